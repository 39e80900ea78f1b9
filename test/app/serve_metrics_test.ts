/**
 * serve's /metrics from the n8 capture, through the use case itself (no
 * HTTP): exact numbers from smem's own users output of that capture and
 * the system tree's, and promtool's check of both formats.
 */

import assert from "node:assert/strict";
import { startServing } from "../../src/app/serve.ts";
import { text } from "../_helpers/answer.ts";

const CAPTURE = "fixtures/captures/n8.tar.gz";

/** name{labels} → value, from text exposition. */
function values(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^(\w+\{[^}]*\}|\w+) (\S+)$/.exec(line);
    if (match) found.set(match[1] as string, Number(match[2]));
  }
  return found;
}

/** smem -u's rows of the capture: user → [count, swap, uss, pss, rss] in kB. */
function smemUsers(): Map<string, number[]> {
  const lines = Deno.readTextFileSync("fixtures/captures/n8.smem-users.txt").trim().split("\n");
  return new Map(
    lines.slice(1).map((line) => {
      const [user, ...numbers] = line.trim().split(/\s+/);
      return [user as string, numbers.map(Number)];
    }),
  );
}

async function promtool(text: string): Promise<void> {
  const child = new Deno.Command("promtool", {
    args: ["check", "metrics"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const out = await child.output();
  const said = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, said);
}

Deno.test("serve metrics of n8: smem -u's users exactly, the system tree adds up to MemTotal, promtool passes the text format", async () => {
  const stop = new AbortController();
  const serving = await startServing({
    source: CAPTURE,
    intervalMs: 60_000,
    topN: 3,
    keep: 8,
    signal: stop.signal,
  });
  try {
    await serving.ready;
    const answer = text(await serving.answer("/metrics", new URLSearchParams(), undefined));
    assert.equal(answer.status, 200);
    const got = values(answer.body);
    const smem = smemUsers();
    assert.deepEqual([...smem.keys()].sort(), ["mema", "memb", "memc"]);
    // The fixture's own figure, as the issue quotes it.
    assert.equal(got.get('memsnap_pss_bytes{view="users",user="mema"}'), 29680 * 1024);
    for (const [user, [, swap, uss, pss, rss]] of smem) {
      for (const [name, kb] of [["swap", swap], ["uss", uss], ["pss", pss], ["rss", rss]]) {
        assert.equal(
          got.get(`memsnap_${name}_bytes{view="users",user="${user}"}`),
          (kb as number) * 1024,
          `${name} ${user}`,
        );
      }
    }
    // Every view adds up to the same PSS: users, top processes + other,
    // top commands + other, cgroups (the capture's one cgroup: 125742 kB).
    const pssOf = (view: string) =>
      [...got].filter(([key]) => key.startsWith(`memsnap_pss_bytes{view="${view}",`))
        .reduce((sum, [, value]) => sum + value, 0);
    const usersPss = [...smem.values()].reduce((sum, row) => sum + (row[3] as number), 0) * 1024;
    assert.equal(usersPss, 125742 * 1024);
    for (const view of ["users", "processes", "commands", "cgroups"]) {
      assert.equal(pssOf(view), usersPss, view);
    }
    assert.equal(got.get('memsnap_pss_bytes{view="commands",command="wl-cow0-0"}'), 29680 * 1024);
    assert.equal(
      [...got].filter(([key]) => key.startsWith('memsnap_pss_bytes{view="commands",')).length,
      4,
    );
    // The system tree: MemTotal, and its children adding up to it.
    assert.equal(got.get('memsnap_system_bytes{path="MemTotal",depth="0"}'), 24684096 * 1024);
    assert.equal(got.get('memsnap_system_bytes{path="MemTotal/free",depth="1"}'), 23880456 * 1024);
    const depthOne = [...got].filter(([key]) =>
      key.startsWith("memsnap_system_bytes{") && key.endsWith('depth="1"}')
    );
    assert.equal(depthOne.length, 5);
    assert.equal(depthOne.reduce((sum, [, value]) => sum + value, 0), 24684096 * 1024);
    // Self metrics: a capture's processes are all read exactly.
    assert.equal(got.get('memsnap_processes{measured="rss_only"}'), 0);
    assert.equal(got.get("memsnap_sample_index"), 0);
    await promtool(answer.body);
    const open = text(
      await serving.answer(
        "/metrics",
        new URLSearchParams(),
        "application/openmetrics-text; version=1.0.0",
      ),
    );
    assert.ok(open.body.endsWith("# EOF\n"));
    assert.ok(open.body.includes("# UNIT memsnap_system_bytes bytes\n"));
    // (promtool check metrics parses the 0.0.4 text format only: Debian's
    // promtool refuses OpenMetrics' `info` type, so it checks the text above.)
  } finally {
    stop.abort();
    await serving.done;
  }
});

Deno.test("serve holds the first sample and the last --keep: the report and the diff of any held one by index; one not held is a 404 that lists those held", async () => {
  const stop = new AbortController();
  const serving = await startServing({
    source: CAPTURE,
    intervalMs: 20,
    topN: 3,
    keep: 2,
    signal: stop.signal,
  });
  const get = async (path: string, query = "") => {
    const answer = text(await serving.answer(path, new URLSearchParams(query), undefined));
    return { status: answer.status, body: answer.body };
  };
  try {
    await serving.ready;
    // Bounded: 500 waits of 20 ms at most for the fifth sample.
    for (let i = 0; i < 500; i++) {
      if (JSON.parse((await get("/healthz")).body).sampleIndex >= 4) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    stop.abort();
    await serving.done;
    const held = (JSON.parse((await get("/api/v1/samples")).body) as {
      samples: { index: number }[];
    }).samples.map((s) => s.index);
    const latest = held.at(-1)!;
    assert.ok(latest >= 4, `${held}`);
    assert.deepEqual(held, [0, latest - 1, latest]);
    // A held sample's report is the latest's (the capture does not change); the diff names both.
    const users = await get("/api/v1/report", "view=users");
    assert.deepEqual(await get("/api/v1/report", `view=users&sample=${latest - 1}`), users);
    assert.deepEqual(await get("/api/v1/report", "view=users&sample=0"), users);
    const diff = JSON.parse(
      (await get("/api/v1/diff", `view=users&from=${latest - 1}&to=${latest}`)).body,
    );
    assert.deepEqual([diff.a.source, diff.b.source], [
      `sample ${latest - 1}`,
      `sample ${latest}`,
    ]);
    assert.deepEqual(
      JSON.parse((await get("/api/v1/diff", "view=users")).body).a.source,
      "sample 0",
    );
    // Dropped from the ring, never taken, or not an index.
    const gone = await get("/api/v1/report", `sample=${latest - 2}`);
    assert.deepEqual(gone.status, 404);
    assert.deepEqual(
      gone.body,
      `sample ${latest - 2} is not held (held: 0, ${latest - 1}, ${latest}; see /api/v1/samples)\n`,
    );
    assert.deepEqual((await get("/api/v1/diff", "to=99999")).status, 404);
    const bad = await get("/api/v1/diff", "from=-1");
    assert.deepEqual([bad.status, bad.body], [
      400,
      "from must be a sample's index (a whole number)\n",
    ]);
  } finally {
    stop.abort();
    await serving.done;
  }
});
