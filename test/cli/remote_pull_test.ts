/**
 * Remote capture, pulled: `memsnap serve` answers /api/v1/capture, and
 * `capture --from` / `record --from` write files of the local formats, with
 * the device's metadata. Faults injected by the test: a proxy on loopback
 * that cuts a connection mid-snapshot, the server killed with SIGKILL and
 * restarted. Numbers exact against the serving side's report of the same
 * sample (a fixed capture, served with -S). Loopback only; every wait bounded.
 */

import assert from "node:assert/strict";
import { connect, createServer, type Server, type Socket } from "node:net";
import { memsnapProcess, ROOT } from "../_helpers/memsnap.ts";
import { serve } from "../_helpers/serve.ts";

const HOST = "board-7";

/** n8's capture as a device would have taken it: with memsnap.json naming its host. */
async function deviceCapture(dir: string): Promise<string> {
  const tree = `${dir}/tree`;
  await Deno.mkdir(tree);
  await run("tar", ["-xzf", `${ROOT}fixtures/captures/n8.tar.gz`, "-C", tree]);
  await Deno.writeTextFile(
    `${tree}/memsnap.json`,
    JSON.stringify({
      format: "memsnap-snapshot",
      formatVersion: 1,
      producer: "memsnap test",
      takenAt: "2026-12-01T08:00:00.000Z",
      hostname: HOST,
      kernel: null,
      pageSize: 4096,
      detail: "full",
      users: {},
      groups: {},
    }),
  );
  const members = [...Deno.readDirSync(tree)].map((e) => e.name).filter((n) =>
    n !== "memsnap.json"
  );
  const file = `${dir}/device.tar.gz`;
  // memsnap.json first, as memsnap writes it.
  await run("tar", ["-czf", file, "-C", tree, "memsnap.json", ...members.sort()]);
  return file;
}

async function run(command: string, args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command(command, { args, stderr: "piped" }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
}

async function ok(args: string[], options: { killAfterMs?: number } = {}) {
  const outcome = await memsnapProcess(args, { killAfterMs: options.killAfterMs ?? 60_000 });
  assert.equal(outcome.code, 0, `memsnap ${args.join(" ")}: ${outcome.stderr}`);
  return outcome;
}

/**
 * A report's JSON without the source's label (a file's name here, a sample
 * there) nor, for the system view, the detail it read (serve's samples hold
 * every view's data, so say `full`; `-w` reads only what it needs).
 */
async function report(source: string, view = "users") {
  const flag = { users: "-u", processes: "-p", mappings: "-m", system: "-w" }[view]!;
  const args = view === "processes" ? ["-S", source] : ["-S", source, flag];
  const doc = JSON.parse((await ok([...args, "--format", "json"])).stdout);
  delete doc.source;
  if (view === "system") delete doc.detail;
  return doc;
}

async function served(url: string, view = "users") {
  const response = await fetch(`${url}/api/v1/report?view=${view}`);
  assert.equal(response.status, 200);
  const doc = await response.json();
  delete doc.source;
  if (view === "system") delete doc.detail;
  return doc;
}

async function listJson(file: string) {
  return JSON.parse((await ok(["list", file, "--format", "json"])).stdout);
}

Deno.test("pull: capture --from is the device's capture: same numbers as its report, its host and time", async () => {
  const dir = await Deno.makeTempDir();
  const server = await serve(["-S", await deviceCapture(dir), "--interval", "1h"]);
  try {
    const out = `${dir}/pulled.tar.gz`;
    const outcome = await ok(["capture", "--from", server.url, "-o", out]);
    assert.match(outcome.stderr, /captured 8 processes \(full detail\) of board-7 from/);
    for (const view of ["users", "processes", "mappings", "system"]) {
      assert.deepEqual(await report(out, view), await served(server.url, view), view);
    }
    const meta = JSON.parse(new TextDecoder().decode(
      (await new Deno.Command("tar", { args: ["-xzOf", out, "memsnap.json"], stdout: "piped" })
        .output()).stdout,
    ));
    assert.equal(meta.hostname, HOST);
    assert.equal(meta.takenAt, "2026-12-01T08:00:00.000Z");
    // Rollup detail: smaps_rollup only.
    const rollup = `${dir}/rollup.tar.gz`;
    await ok(["capture", "--from", server.url, "-o", rollup, "--detail", "rollup"]);
    const names = new TextDecoder().decode(
      (await new Deno.Command("tar", { args: ["-tzf", rollup], stdout: "piped" }).output()).stdout,
    );
    assert.match(names, /\/smaps_rollup\n/);
    assert.doesNotMatch(names, /\/smaps\n/);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pull: record --from writes a recording every command reads, each snapshot the served sample's numbers", async () => {
  const dir = await Deno.makeTempDir();
  const server = await serve(["-S", await deviceCapture(dir), "--interval", "1h"]);
  try {
    const rec = `${dir}/board.rec`;
    await ok([
      "record",
      "--from",
      server.url,
      "-o",
      rec,
      "-n",
      "3",
      "-i",
      "200ms",
      "--detail",
      "full",
    ]);
    const list = await listJson(rec);
    assert.equal(list.recording.hostname, HOST);
    assert.equal(list.recording.from, server.url);
    assert.equal(list.end.snapshots, 3);
    assert.equal(list.end.missed, 0);
    assert.deepEqual(list.snapshots.map((s: { index: number }) => s.index), [0, 1, 2]);
    assert.ok(list.snapshots.every((s: { gap?: unknown }) => s.gap === undefined));
    for (const at of [0, 2]) {
      assert.deepEqual(await report(`${rec}@${at}`), await served(server.url), `@${at}`);
    }
    assert.deepEqual(await report(`${rec}@1`, "processes"), await served(server.url, "processes"));
    const diff = await ok(["diff", `${rec}@0`, `${rec}@2`, "-u", "--format", "json"]);
    assert.ok(JSON.parse(diff.stdout).rows.length > 0);
    await ok(["chart", rec, "-o", `${dir}/board.svg`]);
    assert.match(await Deno.readTextFile(`${dir}/board.svg`), /<svg/);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
