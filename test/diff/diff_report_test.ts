import { deepStrictEqual } from "node:assert/strict";
import { diffAsTable } from "../../src/diff/diff_report.ts";
import { diffSides, type KeyedSide } from "../../src/diff/diff_table.ts";
import { diffColumns, textStyle } from "../../src/diff/diff_view.ts";

const VIEW = { view: "processes", columns: ["pid", "pss", "rss"] } as const;
const side = (rows: [string, number, number][]): KeyedSide => ({
  rows: rows.map(([key, pss, rss]) => ({ key, labels: [Number(key)], values: [pss, rss] })),
  totals: [
    rows.reduce((sum, [, pss]) => sum + pss, 0),
    rows.reduce((sum, [, , rss]) => sum + rss, 0),
  ],
});
const DIFF = diffSides(
  side([["1", 100, 1000], ["2", 10, 20]]),
  side([["1", 1099, 1500], ["2", 110, 20]]),
  diffColumns(VIEW),
);

Deno.test("diffAsTable(): every part of every metric by default, numbers as they are", () => {
  const table = diffAsTable(DIFF);
  deepStrictEqual(table.columns.map((c) => c.id), [
    "pid",
    "status",
    ...["pss_a", "pss_b", "pss_change", "pss_percent"],
    ...["rss_a", "rss_b", "rss_change", "rss_percent"],
  ]);
  deepStrictEqual(table.rows[1], [2, "", 10, 110, 100, 1000, 20, 20, 0, 0]);
});

Deno.test("diffAsTable(): one metric in full, the others' change; percentages from 1000 % capped", () => {
  const table = diffAsTable(DIFF, { full: "pss", capPercent: true });
  deepStrictEqual(table.columns.map((c) => c.header), [
    "PID",
    "Status",
    "PSS A",
    "PSS B",
    "PSS +/-",
    "PSS %",
    "RSS +/-",
  ]);
  deepStrictEqual(table.rows, [
    // 999 % is shown; 1000 % is not.
    [1, "", 100, 1099, 999, 999, 500],
    [2, "", 10, 110, 100, ">+999.9", 0],
  ]);
  deepStrictEqual(table.totals, [2, undefined, 110, 1209, 1099, (1099 / 110) * 100, 500]);
  deepStrictEqual(diffAsTable(DIFF, { full: "rss" }).columns.map((c) => c.id), [
    "pid",
    "status",
    "pss_change",
    ...["rss_a", "rss_b", "rss_change", "rss_percent"],
  ]);
});

Deno.test("textStyle(): with the default columns the sort metric in full (a label sort: PSS)", () => {
  const brief = {
    view: "processes",
    columns: ["pid", "command", "pss", "uss"],
    brief: true,
  } as const;
  deepStrictEqual(textStyle(brief, "uss"), { capPercent: true, full: "uss" });
  deepStrictEqual(textStyle(brief, "command"), { capPercent: true, full: "pss" });
  deepStrictEqual(textStyle({ ...brief, brief: false }, "uss"), { capPercent: true });
  const system = { view: "system", columns: ["area", "used", "cache"], brief: true } as const;
  deepStrictEqual(textStyle(system, "area"), { capPercent: true, full: "used" });
});
