/**
 * memsnap chart REC: the timeline's numbers are the recording's (those
 * `memsnap list` gives), its groups the largest at their peak.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { timelineSpec, topGroups } from "../../src/chart/timeline_spec.ts";
import type { TimelinePoint } from "../../src/chart/timeline_data.ts";
import { type Spec, validateSpec } from "../_helpers/chart.ts";
import { memsnap, ROOT } from "../_helpers/memsnap.ts";

const WORKLOAD = `${ROOT}fixtures/charts/workload.tar.gz`;

async function timeline(args: readonly string[]): Promise<Spec> {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-timeline-" });
  try {
    const { code, stderr } = await memsnap(["chart", ...args, "-o", `${dir}/t.vl.json`]);
    strictEqual(code, 0, stderr);
    return JSON.parse(await Deno.readTextFile(`${dir}/t.vl.json`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** `memsnap list --format json`'s snapshots. */
async function listed(): Promise<{ takenAt: string; pss: number; memAvailable: number }[]> {
  const { code, stdout } = await memsnap(["list", WORKLOAD, "--format", "json"]);
  strictEqual(code, 0);
  return JSON.parse(stdout).snapshots;
}

for (const by of ["processes", "users", "commands"]) {
  Deno.test(`chart --by ${by}: the areas add up to each snapshot's PSS, the line is MemAvailable`, async () => {
    const spec = await timeline([WORKLOAD, "--by", by]);
    const { valid, errors } = await validateSpec(spec);
    ok(valid, JSON.stringify(errors));
    const snapshots = await listed();
    const [areas, line] = spec.layer;
    const sums = new Map<string, number>();
    for (const v of areas.data.values as { takenAt: string; kb: number }[]) {
      sums.set(v.takenAt, (sums.get(v.takenAt) ?? 0) + v.kb);
    }
    deepStrictEqual([...sums], snapshots.map((s) => [s.takenAt, s.pss]));
    deepStrictEqual(
      line.data.values.map((v: { takenAt: string; kb: number }) => [v.takenAt, v.kb]),
      snapshots.map((s) => [s.takenAt, s.memAvailable]),
    );
  });
}

Deno.test("chart --top 2: the two processes with the highest peaks, the rest as other", async () => {
  const spec = await timeline([WORKLOAD, "--top", "2"]);
  const areas: { group: string; kb: number }[] = spec.layer[0].data.values;
  // Every process's peak, from the report of each snapshot.
  const peaks = new Map<string, number>();
  for (let index = 0; index < (await listed()).length; index++) {
    const { stdout } = await memsnap([
      "-S",
      `${WORKLOAD}@${index}`,
      "-c",
      "pid name pss",
      "--format",
      "json",
    ]);
    for (const row of JSON.parse(stdout).rows as { pid: number; name: string; pss: number }[]) {
      const group = `${row.name} [${row.pid}]`;
      peaks.set(group, Math.max(peaks.get(group) ?? 0, row.pss));
    }
  }
  const expected = [...peaks].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([g]) => g);
  deepStrictEqual([...new Set(areas.map((a) => a.group))], [...expected, "other"]);
  strictEqual(spec.layer[0].encoding.y.title, "PSS (MiB)");
  strictEqual(spec.layer[1].encoding.y.title, "MemAvailable (GiB)");
  strictEqual(spec.title.text, "PSS by process over time");
  ok(spec.title.subtitle.startsWith("host vm · 2026-11-25 20:01:23 UTC · 30 snapshots"));
});

const point = (takenAt: string, groups: [string, number][], memAvailableKb: number | null) =>
  ({ takenAt, memAvailableKb, groups: new Map(groups) }) satisfies TimelinePoint;

Deno.test("topGroups() ranks by peak, ties by name", () => {
  const points = [
    point("2026-01-01T00:00:00Z", [["a", 5], ["b", 1], ["c", 3]], 10),
    point("2026-01-01T00:00:01Z", [["b", 9], ["d", 3]], 10),
  ];
  deepStrictEqual(topGroups(points, 3), ["b", "a", "c"]);
});

Deno.test("timelineSpec() without MemAvailable draws no line and no right axis", () => {
  const spec = timelineSpec(
    [point("2026-01-01T00:00:00Z", [["a", 2048]], null), point("2026-01-01T00:03:00Z", [], null)],
    { noun: "user", measure: "PSS", top: 8, hostname: null, width: 600, height: 300 },
  ) as Spec;
  strictEqual(spec.layer.length, 1);
  // A group absent from a snapshot is 0 there, so that the stack stays whole.
  deepStrictEqual(spec.layer[0].data.values.map((v: { t: number; kb: number }) => [v.t, v.kb]), [
    [0, 2048],
    [3, 0],
  ]);
  strictEqual(spec.layer[0].encoding.x.title, "Time since start (min)");
});

Deno.test("chart refuses what is no recording, in one line", async () => {
  const single = await memsnap(["chart", `${ROOT}fixtures/captures/n8.tar.gz`, "-o", "x.vl.json"]);
  strictEqual(single.code, 1);
  strictEqual(
    single.stderr,
    `memsnap: Cannot chart "${ROOT}fixtures/captures/n8.tar.gz": snapshot 0 has no time (not a memsnap recording?)\n`,
  );
  const capture = await memsnap([
    "chart",
    `${ROOT}fixtures/archives/v1-capture.tar.gz`,
    "-o",
    "x.vl.json",
  ]);
  strictEqual(capture.code, 1);
  ok(/a timeline needs a recording of 2 snapshots or more \(it has 1\)/.test(capture.stderr));
  const missing = await memsnap(["chart", "/nonexistent/rec.tar.gz"]);
  strictEqual(missing.code, 1);
  ok(missing.stderr.startsWith(`memsnap: Cannot open "/nonexistent/rec.tar.gz": `));
});

Deno.test("chart's usage errors exit 2", async () => {
  for (
    const [args, message] of [
      [[], "One recording expected"],
      [[WORKLOAD, "--by", "groups"], 'Unknown view "groups" (did you mean "cgroups"?)'],
      [[WORKLOAD, "--top", "0"], 'Invalid value "0" for --top'],
      [[WORKLOAD, "--top", "9"], "A timeline shows at most 8 groups on their own"],
      [[WORKLOAD, "--bogus"], 'Unknown option "--bogus"'],
      [[WORKLOAD, "-o", "t.gif"], 'Cannot tell the chart format of "t.gif"'],
    ] as const
  ) {
    const { code, stderr } = await memsnap(["chart", ...args]);
    strictEqual(code, 2, stderr);
    ok(stderr.startsWith(`memsnap chart: ${message}`), stderr);
  }
});
