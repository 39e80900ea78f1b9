/**
 * The sampler that serve and top hold samples with, and the report of a
 * held sample: the same document runReport gives of the same source, and
 * live samples that carry walks from the sample before.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { openSampler } from "../../src/app/live_sampler.ts";
import { reportOn, runReport } from "../../src/app/report.ts";
import { readingFor, viewQuery } from "../../src/app/view_query.ts";
import { compileSelection } from "../../src/select/select.ts";
import { childWhen } from "../_helpers/child.ts";
import { ROOT } from "../_helpers/memsnap.ts";
import { capturePath, unpackCapture } from "../_helpers/mirror.ts";

const N8 = `${ROOT}fixtures/captures/n8.tar.gz`;
const ROWS = { selection: {}, numeric: false } as const;

Deno.test("reportOn(): a held sample of n8 gives runReport's users, smem's numbers", async () => {
  const view = viewQuery({ view: "users" });
  const sampler = await openSampler({ source: N8, reading: readingFor([view], {}) });
  const sample = await sampler.sample();
  const held = await reportOn(sample, { view, ...ROWS }, await compileSelection({}));
  // smem -u on n8 (fixtures/captures/n8.smem-users.txt).
  deepStrictEqual(held.table.rows, [
    ["mema", 2, 0, 3556, 29680, 64172],
    ["memc", 2, 0, 45592, 47167, 58180],
    ["memb", 4, 0, 41504, 48895, 77612],
  ]);
  const fresh = await runReport({ source: N8, view, ...ROWS });
  deepStrictEqual({ ...held, diagnostics: [] }, { ...fresh, diagnostics: [] });
  deepStrictEqual([sample.index, (await sampler.sample()).index], [0, 1]);
});

Deno.test("openSampler(): an archive is parsed once for every sample; a mirror directory is read again", async () => {
  const view = viewQuery({ view: "users" });
  const reading = readingFor([view], {});
  const archive = await openSampler({ source: N8, reading });
  const [first, second] = [await archive.sample(), await archive.sample()];
  strictEqual(first.snapshot, second.snapshot);
  deepStrictEqual([first.index, second.index], [0, 1]);
  // A mirror's files may change between samples (a copy being refreshed): each is read.
  const mirror = await unpackCapture(capturePath("n8.tar.gz"));
  try {
    const sampler = await openSampler({ source: mirror, reading });
    const before = await sampler.sample();
    const pid = before.snapshot.processes[0]!.pid;
    await Deno.remove(`${mirror}/proc/${pid}`, { recursive: true });
    const after = await sampler.sample();
    deepStrictEqual(
      [before.snapshot.processes.length - 1, after.snapshot.processes.some((p) => p.pid === pid)],
      [after.snapshot.processes.length, false],
    );
  } finally {
    await Deno.remove(mirror, { recursive: true });
  }
});

Deno.test("openSampler(): live samples carry the walks of the sample before, within --refresh", async () => {
  const view = viewQuery({ view: "processes" });
  // A process this test controls, whose memory and family do not move while
  // it sleeps: a sleep under a shell (this process, its grandparent, moves).
  const shell = new Deno.Command("sh", { args: ["-c", "sleep 30 & wait"] }).spawn();
  let sleeper: number | undefined;
  try {
    sleeper = await childWhen(shell.pid, (stat) => stat.includes(" (sleep) "));
    ok(sleeper !== undefined, "the shell started its sleep");
    let now = 1_000_000;
    const sampler = await openSampler({
      reading: readingFor([view], {}),
      cost: { refreshMs: 60_000 },
      clock: () => now,
    });
    const of = (sample: Awaited<ReturnType<typeof sampler.sample>>) =>
      sample.snapshot.processes.find((p) => p.pid === sleeper);
    const first = of(await sampler.sample());
    ok(first !== undefined);
    strictEqual(first.provenance, undefined, "the first sample walks it");
    now += 1000;
    const second = of(await sampler.sample());
    deepStrictEqual(second?.provenance, { kind: "carried", ageMs: 1000 });
    deepStrictEqual(second.totals, first.totals);
    now += 60_000;
    const third = of(await sampler.sample());
    strictEqual(third?.provenance, undefined, "walked again once its numbers are --refresh old");
  } finally {
    if (sleeper !== undefined) Deno.kill(sleeper);
    shell.kill();
    await shell.status;
  }
});
