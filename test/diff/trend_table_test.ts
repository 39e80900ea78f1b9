import assert from "node:assert/strict";
import type { KeyedSide } from "../../src/diff/diff_table.ts";
import { addSide, finishTrend, startTrend, type TrendTable } from "../../src/diff/trend.ts";
import {
  isTrendSort,
  sortTrend,
  trendColumns,
  trendStyle,
  trendTable,
} from "../../src/diff/trend_table.ts";
import { renderCsv } from "../../src/render/report_csv.ts";
import { renderText } from "../../src/render/table_text.ts";
import { memoryColumn } from "../../src/view/column.ts";
import type { ColumnInfo } from "../../src/view/table.ts";

const info = ({ value: _, ...rest }: ReturnType<typeof memoryColumn>): ColumnInfo => rest;
const PSS: ColumnInfo = {
  ...info(memoryColumn("pss", "PSS", "pss", () => 0)),
  layout: { align: "right", width: 8, truncate: false },
};
const USS: ColumnInfo = { ...PSS, id: "uss", header: "USS" };
const PID: ColumnInfo = {
  id: "pid",
  header: "PID",
  description: "pid",
  layout: { align: "right", width: 5, truncate: false },
  quantity: "count",
  total: "count",
};
const COMMAND: ColumnInfo = {
  id: "command",
  header: "Command",
  description: "command",
  layout: { align: "left", width: 10, truncate: true },
  quantity: "text",
  total: "none",
};

/**
 * Three processes over five snapshots ten seconds apart: pid 3 leaks (its
 * PSS), pid 1 shrinks, pid 2 is seen once.
 */
function trend(): TrendTable {
  const rows: Record<string, [string, number[], number[]]> = {
    "1": ["shrinks", [300, 250, 260, 255, 260], [200, 150, 150, 150, 150]],
    "3": ["leaks", [100, 150, 1148, 2148, 3148], [50, 50, 60, 60, 60]],
  };
  const sides: KeyedSide[] = [0, 1, 2, 3, 4].map((i) => {
    const present = Object.entries(rows).map(([key, [name, pss, uss]]) => ({
      key,
      labels: [Number(key), name],
      values: [pss[i]!, uss[i]!],
    }));
    const brief = i === 1 ? [{ key: "2", labels: [2, "brief"], values: [40, 40] }] : [];
    const all = [...present, ...brief];
    return {
      rows: all,
      totals: [0, 1].map((m) => all.reduce((sum, row) => sum + row.values[m]!, 0)),
    };
  });
  const folded = startTrend({ labels: [PID, COMMAND], metrics: [PSS, USS] });
  sides.forEach((side, i) => addSide(folded, side, `2026-01-01T00:00:${i}0Z`));
  return finishTrend(folded);
}

Deno.test("trendColumns(): the labels, six statistics per metric, then Seen and Suspect", () => {
  const columns = trendColumns(trend());
  assert.deepEqual(columns.map((c) => c.id), [
    "pid",
    "command",
    ...["pss", "uss"].flatMap((m) =>
      ["first", "last", "min", "max", "growth", "rate"].map((s) => `${m}_${s}`)
    ),
    "seen",
    "suspect",
  ]);
  assert.deepEqual(columns.slice(2, 8).map((c) => c.header), [
    "PSS first",
    "PSS last",
    "PSS min",
    "PSS max",
    "PSS growth",
    "PSS/min",
  ]);
  // As wide as the metric's own column, or its header.
  assert.deepEqual(columns.slice(2, 8).map((c) => c.layout.width), [9, 8, 8, 8, 10, 8]);
  assert.ok(columns.slice(2, 14).every((c) => c.quantity === "memory"));
  // Per hour when asked, or for a recording of an hour or more.
  assert.equal(trendColumns(trend(), { rateUnit: "h" })[7]!.header, "PSS/h");
  const long = { ...trend(), lastTakenAt: "2026-01-01T01:00:00Z" };
  assert.equal(trendColumns(long)[7]!.header, "PSS/h");
});

Deno.test("sortTrend() sorts by the sort metric's growth, largest first; -r reverses", () => {
  const pids = (sort: string, reverse = false) =>
    trendTable(sortTrend(trend(), { sort, reverse })).rows.map((row) => row[0]);
  // Growth of PSS: 3 +3048, 2 0, 1 -40.
  assert.deepEqual(pids("pss"), [3, 2, 1]);
  assert.deepEqual(pids("pss", true), [1, 2, 3]);
  // USS: 3 +10, 2 0, 1 -50.
  assert.deepEqual(pids("uss"), [3, 2, 1]);
  // Another statistic; Seen (ties in the order of the row's cells, either way); a label in text order.
  assert.deepEqual(pids("pss_first"), [1, 3, 2]);
  assert.deepEqual(pids("pss_rate"), [3, 1, 2]);
  assert.deepEqual(pids("seen"), [1, 3, 2]);
  assert.deepEqual(pids("seen", true), [2, 1, 3]);
  assert.deepEqual(pids("suspect"), [3, 1, 2]);
  assert.deepEqual(pids("command"), [2, 3, 1]);
  assert.deepEqual(pids("command", true), [1, 3, 2]);
  // An id the table has not: the first metric's growth.
  assert.deepEqual(pids("vss"), [3, 2, 1]);
  assert.ok(isTrendSort(trend(), "uss") && isTrendSort(trend(), "uss_max"));
  assert.ok(isTrendSort(trend(), "pss_rate") && isTrendSort(trend(), "suspect"));
  assert.ok(!isTrendSort(trend(), "vss"));
});

Deno.test("trendTable() cells: statistics, the rate per minute, Seen and the suspects; totals over the recording", () => {
  const table = trendTable(sortTrend(trend(), { sort: "pss", reverse: false }));
  // PSS 100 → 3148: Theil–Sen's slope is 99.85 kB/s, 5991 kB/min.
  assert.deepEqual(table.rows[0], [
    ...[3, "leaks"],
    ...[100, 3148, 100, 3148, 3048, 5991],
    ...[50, 60, 50, 60, 10, 18],
    ...[5, "PSS"],
  ]);
  // Seen once: no rate.
  assert.deepEqual(table.rows[1], [
    ...[2, "brief"],
    ...[40, 40, 40, 40, 0, undefined],
    ...[40, 40, 40, 40, 0, undefined],
    ...[1, undefined],
  ]);
  assert.deepEqual(table.rows[2], [
    ...[1, "shrinks"],
    ...[300, 260, 250, 300, -40, -15],
    ...[200, 150, 150, 200, -50, 0],
    ...[5, undefined],
  ]);
  // Rows seen over the recording; the sides' totals; the number of snapshots.
  assert.deepEqual(table.totals, [
    ...[3, undefined],
    ...[400, 3408, 400, 3408, 3008, 5849],
    ...[250, 210, 210, 250, -40, -60],
    ...[5, "PSS"],
  ]);
});

Deno.test("trendTable() with the default columns: the sort metric's first, last, growth and rate only", () => {
  const view = { view: "processes", columns: ["pid", "command", "pss", "uss"] } as const;
  const brief = trendStyle(trend(), { ...view, brief: true }, "uss_max");
  assert.deepEqual(brief, { brief: "uss" });
  assert.deepEqual(trendStyle(trend(), { ...view, brief: true }, "seen"), { brief: "pss" });
  assert.deepEqual(trendStyle(trend(), view, "pss"), {});
  const table = trendTable(sortTrend(trend(), { sort: "pss", reverse: false }), { brief: "pss" });
  assert.deepEqual(table.columns.map((c) => c.header), [
    "PID",
    "Command",
    "PSS first",
    "PSS last",
    "PSS growth",
    "PSS/min",
    "Seen",
    "Suspect",
  ]);
  assert.deepEqual(table.rows[0], [3, "leaks", 100, 3148, 3048, 5991, 5, "PSS"]);
  assert.deepEqual(table.totals, [3, undefined, 400, 3408, 3008, 5849, 5, "PSS"]);
});

Deno.test("the text renderer lays a trend out as a report: -k shows growth and rate with their sign", () => {
  const table = trendTable(sortTrend(trend(), { sort: "pss", reverse: false }));
  const text = renderText(table, { header: true, totals: true, amounts: { kind: "units" } });
  const lines = text.split("\n");
  assert.equal(
    lines[0],
    "  PID Command    PSS first PSS last  PSS min  PSS max PSS growth  PSS/min USS first USS last  USS min  USS max USS growth  USS/min  Seen Suspect ",
  );
  assert.equal(
    lines[1],
    "    3 leaks         100.0K     3.1M   100.0K     3.1M      +3.0M    +5.9M     50.0K    60.0K    50.0K    60.0K     +10.0K   +18.0K     5 PSS     ",
  );
  // A shrinking row's growth is negative; no metric is suspected: "-".
  assert.deepEqual(lines[3]!.trim().split(/ +/), [
    ...["1", "shrinks"],
    ...["300.0K", "260.0K", "250.0K", "300.0K", "-40.0K", "-15.0K"],
    ...["200.0K", "150.0K", "150.0K", "200.0K", "-50.0K", "0"],
    ...["5", "-"],
  ]);
  // The totals line: rows, then the totals' statistics, then the snapshots.
  assert.equal(
    lines[5],
    "    3               400.0K     3.3M   400.0K     3.3M      +2.9M    +5.7M    250.0K   210.0K   210.0K   250.0K     -40.0K   -60.0K     5 PSS     ",
  );
});

Deno.test("the CSV renderer writes a trend with its column ids and raw kB, rates per hour", () => {
  const table = trendTable(sortTrend(trend(), { sort: "pss", reverse: false }), { rateUnit: "h" });
  const csv = renderCsv(table, { header: true, totals: false }).split("\n");
  assert.equal(
    csv[0],
    "pid,command,pss_first,pss_last,pss_min,pss_max,pss_growth,pss_rate,uss_first,uss_last,uss_min,uss_max,uss_growth,uss_rate,seen,suspect",
  );
  assert.equal(csv[1], "3,leaks,100,3148,100,3148,3048,359460,50,60,50,60,10,1050,5,PSS");
  assert.equal(csv[2], "2,brief,40,40,40,40,0,,40,40,40,40,0,,1,");
});
