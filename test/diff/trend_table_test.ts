import assert from "node:assert/strict";
import type { KeyedSide } from "../../src/diff/diff_table.ts";
import { addSide, finishTrend, startTrend, type TrendTable } from "../../src/diff/trend.ts";
import { isTrendSort, sortTrend, trendColumns, trendTable } from "../../src/diff/trend_table.ts";
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

/** Three processes over three snapshots: pid 3 leaks, pid 1 shrinks, pid 2 comes and goes. */
function trend(): TrendTable {
  const sides: KeyedSide[] = [
    {
      rows: [
        { key: "1", labels: [1, "shrinks"], values: [300, 200] },
        { key: "3", labels: [3, "leaks"], values: [100, 50] },
      ],
      totals: [400, 250],
    },
    {
      rows: [
        { key: "1", labels: [1, "shrinks"], values: [250, 150] },
        { key: "2", labels: [2, "brief"], values: [40, 40] },
        { key: "3", labels: [3, "leaks"], values: [150, 50] },
      ],
      totals: [440, 240],
    },
    {
      rows: [
        { key: "1", labels: [1, "shrinks"], values: [260, 150] },
        { key: "3", labels: [3, "leaks"], values: [2148, 60] },
      ],
      totals: [2408, 210],
    },
  ];
  const folded = startTrend({ labels: [PID, COMMAND], metrics: [PSS, USS] });
  sides.forEach((side, i) => addSide(folded, side, `t${i}`));
  return finishTrend(folded);
}

Deno.test("trendColumns(): the labels, five statistics per metric, then Seen and Grew", () => {
  const columns = trendColumns(trend());
  assert.deepEqual(columns.map((c) => c.id), [
    "pid",
    "command",
    ...["pss", "uss"].flatMap((m) =>
      ["first", "last", "min", "max", "growth"].map((s) => `${m}_${s}`)
    ),
    "seen",
    "grew",
  ]);
  assert.deepEqual(columns.slice(2, 7).map((c) => c.header), [
    "PSS first",
    "PSS last",
    "PSS min",
    "PSS max",
    "PSS growth",
  ]);
  // As wide as the metric's own column, or its header.
  assert.deepEqual(columns.slice(2, 7).map((c) => c.layout.width), [9, 8, 8, 8, 10]);
  assert.ok(columns.slice(2, 12).every((c) => c.quantity === "memory"));
});

Deno.test("sortTrend() sorts by the sort metric's growth, largest first; -r reverses", () => {
  const pids = (sort: string, reverse = false) =>
    trendTable(sortTrend(trend(), { sort, reverse })).rows.map((row) => row[0]);
  // Growth of PSS: 3 +2048, 2 0, 1 -40.
  assert.deepEqual(pids("pss"), [3, 2, 1]);
  assert.deepEqual(pids("pss", true), [1, 2, 3]);
  // USS: 3 +10, 2 0, 1 -50.
  assert.deepEqual(pids("uss"), [3, 2, 1]);
  // Another statistic; Seen (ties in the order of the row's cells, either way); a label in text order.
  assert.deepEqual(pids("pss_first"), [1, 3, 2]);
  assert.deepEqual(pids("seen"), [1, 3, 2]);
  assert.deepEqual(pids("seen", true), [2, 1, 3]);
  assert.deepEqual(pids("command"), [2, 3, 1]);
  assert.deepEqual(pids("command", true), [1, 3, 2]);
  // An id the table has not: the first metric's growth.
  assert.deepEqual(pids("vss"), [3, 2, 1]);
  assert.ok(isTrendSort(trend(), "uss") && isTrendSort(trend(), "uss_max"));
  assert.ok(!isTrendSort(trend(), "vss"));
});

Deno.test("trendTable() cells: statistics, Seen and the metrics that only grew; totals over the recording", () => {
  const table = trendTable(sortTrend(trend(), { sort: "pss", reverse: false }));
  assert.deepEqual(table.rows[0], [
    3,
    "leaks",
    100,
    2148,
    100,
    2148,
    2048,
    50,
    60,
    50,
    60,
    10,
    3,
    "PSS,USS",
  ]);
  assert.deepEqual(table.rows[1], [2, "brief", 40, 40, 40, 40, 0, 40, 40, 40, 40, 0, 1, undefined]);
  assert.deepEqual(table.rows[2], [
    1,
    "shrinks",
    300,
    260,
    250,
    300,
    -40,
    200,
    150,
    150,
    200,
    -50,
    3,
    undefined,
  ]);
  // Rows seen over the recording; the sides' totals; the number of snapshots.
  assert.deepEqual(table.totals, [
    3,
    undefined,
    400,
    2408,
    400,
    2408,
    2008,
    250,
    210,
    210,
    250,
    -40,
    3,
    "PSS",
  ]);
});

Deno.test("the text renderer lays a trend out as a report: -k shows growth with its sign", () => {
  const table = trendTable(sortTrend(trend(), { sort: "pss", reverse: false }));
  const text = renderText(table, { header: true, totals: true, amounts: { kind: "units" } });
  const lines = text.split("\n");
  assert.equal(
    lines[0],
    "  PID Command    PSS first PSS last  PSS min  PSS max PSS growth USS first USS last  USS min  USS max USS growth  Seen Grew    ",
  );
  assert.equal(
    lines[1],
    "    3 leaks         100.0K     2.1M   100.0K     2.1M       2.0M     50.0K    60.0K    50.0K    60.0K      10.0K     3 PSS,USS ",
  );
  // A shrinking row's growth is negative; no metric only grew: "-".
  assert.deepEqual(lines[3]!.trim().split(/ +/), [
    "1",
    "shrinks",
    "300.0K",
    "260.0K",
    "250.0K",
    "300.0K",
    "-40.0K",
    "200.0K",
    "150.0K",
    "150.0K",
    "200.0K",
    "-50.0K",
    "3",
    "-",
  ]);
  // The totals line: rows, then the totals' statistics, then the snapshots.
  assert.equal(
    lines[5],
    "    3               400.0K     2.4M   400.0K     2.4M       2.0M    250.0K   210.0K   210.0K   250.0K     -40.0K     3 PSS     ",
  );
});

Deno.test("the CSV renderer writes a trend with its column ids and raw kB", () => {
  const table = trendTable(sortTrend(trend(), { sort: "pss", reverse: false }));
  const csv = renderCsv(table, { header: true, totals: false }).split("\n");
  assert.equal(
    csv[0],
    "pid,command,pss_first,pss_last,pss_min,pss_max,pss_growth,uss_first,uss_last,uss_min,uss_max,uss_growth,seen,grew",
  );
  assert.equal(csv[1], '3,leaks,100,2148,100,2148,2048,50,60,50,60,10,3,"PSS,USS"');
  assert.equal(csv[2], "2,brief,40,40,40,40,0,40,40,40,40,0,1,");
});
