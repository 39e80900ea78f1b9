import assert from "node:assert/strict";
import { startStored } from "../../src/app/stored_serving.ts";
import { text } from "../_helpers/answer.ts";
import { memsnap } from "../_helpers/memsnap.ts";

const CAPTURE = "fixtures/captures/n8.tar.gz";
const RECORDING = "fixtures/charts/workload.tar.gz";

async function json(serving: Awaited<ReturnType<typeof startStored>>, path: string, query = "") {
  const answer = text(await serving.answer(path, new URLSearchParams(query), undefined));
  assert.equal(answer.status, 200, answer.body);
  return JSON.parse(answer.body);
}

async function cli(args: string[]) {
  const outcome = await memsnap([...args, "--format", "json"]);
  assert.equal(outcome.code, 0, outcome.stderr);
  return JSON.parse(outcome.stdout);
}

Deno.test("startStored() serves a recording's snapshots by index, as FILE@N reports them", async () => {
  const serving = await startStored({ sources: [RECORDING] });
  assert.equal(serving.mode, "recording");
  const { samples } = await json(serving, "/api/v1/samples");
  assert.equal(samples.length, 30);
  assert.equal(samples[0].takenAt, "2026-11-25T20:01:23.709Z");
  for (const index of [3, 29]) {
    const served = await json(serving, "/api/v1/report", `view=users&sample=${index}`);
    const expected = await cli(["-S", `${RECORDING}@${index}`, "-u"]);
    assert.deepEqual(
      served.rows.map((r: { user: string; pss: number }) => [r.user, r.pss]),
      expected.rows.map((r: { user: string; pss: number }) => [r.user, r.pss]),
    );
  }
  // The latest snapshot by default.
  const latest = await json(serving, "/api/v1/report", "view=system");
  const expected29 = await cli(["-S", `${RECORDING}@29`, "-w"]);
  assert.deepEqual(latest.rows, expected29.rows);
  assert.equal(latest.source, expected29.source);
  // The timeline: each snapshot's users by PSS, as the users view gives them.
  const timeline = await json(serving, "/api/v1/timeline", "view=users");
  assert.equal(timeline.points.length, 30);
  const at7 = await cli(["-S", `${RECORDING}@7`, "-u"]);
  assert.deepEqual(
    timeline.points[7].groups.map((g: { name: string; kb: number }) => [g.name, g.kb]).sort(),
    at7.rows.map((r: { user: string; pss: number }) => [r.user, r.pss]).sort(),
  );
  // Unknown and malformed indexes.
  assert.equal(
    (await serving.answer("/api/v1/report", new URLSearchParams("sample=30"), undefined)).status,
    404,
  );
  assert.equal(
    (await serving.answer("/api/v1/report", new URLSearchParams("sample=x"), undefined)).status,
    400,
  );
});

Deno.test("startStored() diffs two sources as memsnap diff does, and restricts to one program or cgroup exactly", async () => {
  const serving = await startStored({ sources: [`${RECORDING}@2`, `${RECORDING}@20`] });
  assert.equal(serving.mode, "diff");
  const served = await json(serving, "/api/v1/diff", "view=processes");
  const expected = await cli(["diff", `${RECORDING}@2`, `${RECORDING}@20`, "--by", "processes"]);
  assert.deepEqual(served.rows, expected.rows);
  assert.equal(
    (await serving.answer("/api/v1/timeline", new URLSearchParams(), undefined)).status,
    404,
  );

  const capture = await startStored({ sources: [CAPTURE] });
  assert.equal(capture.mode, "capture");
  const commands = await cli(["-S", CAPTURE, "--commands", "-c", "command pss uss"]);
  for (const row of commands.rows) {
    const processes = await json(
      capture,
      "/api/v1/report",
      new URLSearchParams({ view: "processes", program: row.command }).toString(),
    );
    assert.ok(processes.rows.length > 0);
    assert.equal(processes.rows.reduce((s: number, r: { pss: number }) => s + r.pss, 0), row.pss);
  }
  const cgroups = await cli(["-S", CAPTURE, "--cgroups"]);
  const cgroup = cgroups.rows[0];
  const inCgroup = await json(
    capture,
    "/api/v1/report",
    new URLSearchParams({ view: "processes", cgroup: cgroup.cgroup }).toString(),
  );
  assert.equal(inCgroup.rows.length, cgroup.count);
  const none = await json(capture, "/api/v1/report", "view=processes&cgroup=/not-there");
  assert.equal(none.rows.length, 0);
});

Deno.test("memsnap ui: more than two sources is a usage error, a missing one an error, one line each", async () => {
  const three = await memsnap(["ui", "--no-open", CAPTURE, CAPTURE, CAPTURE]);
  assert.equal(three.code, 2);
  assert.match(
    three.stderr,
    /^memsnap ui: memsnap ui takes one source, or two to diff, not 3: "[^"]+"\n/,
  );
  const missing = await memsnap(["ui", "--no-open", "/nonexistent.tar.gz"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^memsnap: Cannot open source "\/nonexistent.tar.gz"[^\n]*\n/);
});
