/**
 * A diff is the subtraction of two reports: for fixture captures and a
 * recording's snapshots, in every view, each row's A, B, change and % and
 * the totals are computed here from `memsnap -S X --format json` on each
 * side, never typed by hand.
 */

import { deepStrictEqual, ok } from "node:assert/strict";
import { memsnap } from "../_helpers/memsnap.ts";

const N8 = "fixtures/captures/n8.tar.gz";
const N60 = "fixtures/captures/n60.tar.gz";
const WORKLOAD = "fixtures/charts/workload.tar.gz";

interface Report {
  rows: Record<string, string | number | null>[];
  totals: Record<string, number | null>;
}

interface Change {
  a: number | null;
  b: number | null;
  change: number | null;
}

interface DiffDocument {
  rows: {
    key: string;
    status: string;
    labels: Record<string, unknown>;
    metrics: Record<string, Change | null>;
  }[];
  totals: Record<string, { a: number | null; b: number | null; change: number | null }>;
}

async function json<T>(args: string[]): Promise<T> {
  const { code, stdout, stderr } = await memsnap([...args, "--format", "json"]);
  deepStrictEqual([code, stderr], [0, ""]);
  return JSON.parse(stdout) as T;
}

/** The change a diff must show for one metric, from the two reports' values. */
function expectedChange(a: number | null | undefined, b: number | null | undefined) {
  const known = (v: number | null | undefined) => typeof v === "number";
  const change = !known(a) && !known(b) ? null : (b ?? 0) - (a ?? 0);
  return {
    a: a ?? null,
    b: b ?? null,
    change,
    percent: !known(a) || a === 0 || change === null ? null : (change / a!) * 100,
  };
}

const CASES = [
  { view: [], key: "pid", metrics: ["pss", "uss", "rss", "swap", "vss"] },
  {
    view: ["--by", "command"],
    report: ["--commands"],
    key: "command",
    metrics: ["count", "pss", "uss", "rss"],
  },
  { view: ["-u"], key: "user", metrics: ["count", "pss", "uss", "rss", "swap"] },
  { view: ["-m"], key: "map", metrics: ["count", "pids", "pss", "uss", "rss", "swap"] },
  { view: ["-w"], key: "area", metrics: ["used", "cache", "noncache"] },
] as const;

// The recording holds smaps_rollup only: no mappings, no VSS.
const PAIRS = [
  { a: N8, b: N60, full: true },
  { a: N60, b: N8, full: true },
  { a: `${WORKLOAD}@0`, b: `${WORKLOAD}@last`, full: false },
  { a: `${WORKLOAD}@3`, b: `${WORKLOAD}@17`, full: false },
];

for (const { a, b, full } of PAIRS) {
  for (const { view, key, metrics: all, ...rest } of CASES) {
    if (!full && key === "map") continue;
    const metrics = full ? all : all.filter((metric) => metric !== "vss");
    const reportView = "report" in rest ? rest.report : view;
    Deno.test(`diff ${a} ${b} ${view.join(" ") || "(processes)"}: each row and total is B's report minus A's`, async () => {
      const columns = [key, ...metrics].join(" ");
      const [left, right] = await Promise.all(
        [a, b].map((side) => json<Report>(["-S", side, ...reportView, "-c", columns])),
      );
      const diff = await json<DiffDocument>(["diff", a, b, ...view, "-c", columns]);
      const byKey = (report: Report) => new Map(report.rows.map((row) => [String(row[key]), row]));
      const [inA, inB] = [byKey(left!), byKey(right!)];
      const keys = [...new Set([...inA.keys(), ...inB.keys()])];
      ok(keys.length > 0);
      // The diff's rows: one per key of either side, nothing else.
      deepStrictEqual(diff.rows.map((row) => String(row.labels[key])).sort(), keys.sort());
      for (const row of diff.rows) {
        const id = String(row.labels[key]);
        const [before, after] = [inA.get(id), inB.get(id)];
        deepStrictEqual(
          row.status,
          before === undefined ? "new" : after === undefined ? "gone" : "both",
          id,
        );
        for (const metric of metrics) {
          deepStrictEqual(
            row.metrics[metric],
            expectedChange(
              before?.[metric] as number | null | undefined,
              after?.[metric] as number | null | undefined,
            ),
            `${id} ${metric}`,
          );
        }
      }
      for (const metric of metrics) {
        if (left!.totals[metric] === undefined) continue;
        deepStrictEqual(
          diff.totals[metric],
          expectedChange(left!.totals[metric], right!.totals[metric]),
          `total ${metric}`,
        );
      }
    });
  }
}

Deno.test("diff sorts rows by the size of the PSS change, largest first, growth and shrinkage alike", async () => {
  const diff = await json<DiffDocument>(["diff", `${WORKLOAD}@0`, `${WORKLOAD}@last`]);
  const sizes = diff.rows.map((row) => Math.abs(row.metrics.pss!.change!));
  deepStrictEqual(sizes, [...sizes].sort((x, y) => y - x));
  const reversed = await json<DiffDocument>(["diff", `${WORKLOAD}@0`, `${WORKLOAD}@last`, "-r"]);
  deepStrictEqual(
    reversed.rows.map((row) => row.key),
    diff.rows.map((row) => row.key).reverse(),
  );
});

Deno.test("diff REC compares the first and the last snapshot; --peak the first and the highest total PSS", async () => {
  const list = await json<{ snapshots: { index: number; pss: number }[] }>(["list", WORKLOAD]);
  const last = list.snapshots.at(-1)!.index;
  const peak = list.snapshots.reduce((best, s) => s.pss > best.pss ? s : best).index;
  for (const [args, b] of [[[], last], [["--peak"], peak]] as const) {
    const alone = await memsnap(["diff", WORKLOAD, ...args, "--format", "csv"]);
    const pair = await memsnap(["diff", `${WORKLOAD}@0`, `${WORKLOAD}@${b}`, "--format", "csv"]);
    deepStrictEqual(alone, pair);
  }
});
