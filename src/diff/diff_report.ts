/**
 * A diff as a table the report renderers print: the label columns, the
 * row's status, then per metric its value in A and in B, the change and the
 * change in percent.
 *
 * @module
 */

import { amountLayout, left, right } from "../view/column.ts";
import type { CellValue } from "../view/column.ts";
import { type ColumnInfo, columnTotal, type Table } from "../view/table.ts";
import type { Change, DiffStatus, DiffTable } from "./diff_table.ts";

/** What a Change splits into, in the order shown, with its header suffix and id suffix. */
const PARTS = [
  { part: "a", header: "A", id: "a" },
  { part: "b", header: "B", id: "b" },
  { part: "change", header: "+/-", id: "change" },
  { part: "percent", header: "%", id: "percent" },
] as const;

const STATUS: ColumnInfo = {
  id: "status",
  header: "Status",
  description: "gone: only in A; new: only in B; blank: in both",
  layout: left(6),
  quantity: "text",
  total: "none",
};

const STATUS_TEXT: Readonly<Record<DiffStatus, string>> = { both: "", gone: "gone", new: "new" };

/** The four columns of one metric. */
function metricColumns(metric: ColumnInfo): ColumnInfo[] {
  return PARTS.map(({ part, header, id }) => {
    const title = `${metric.header} ${header}`;
    const isPercent = part === "percent";
    return {
      id: `${metric.id}_${id}`,
      header: title,
      description: `${metric.description}: ${
        part === "a"
          ? "in A"
          : part === "b"
          ? "in B"
          : part === "change"
          ? "B - A"
          : "change in % of A"
      }`,
      layout: isPercent ? right(Math.max(8, title.length)) : amountLayout(title),
      quantity: isPercent ? "percent" : metric.quantity,
      total: metric.total === "sum" ? "sum" : "none",
      ...((part === "change" || isPercent) && { signed: true }),
    };
  });
}

function cells(change: Change | undefined): CellValue[] {
  return PARTS.map(({ part }) => change?.[part]);
}

/** The diff's table, rows in the diff's order; totals from the diff's totals. */
export function diffAsTable(diff: DiffTable): Table {
  const columns = [...diff.labels, STATUS, ...diff.metrics.flatMap(metricColumns)];
  const rows = diff.rows.map((row) => [
    ...row.labels,
    STATUS_TEXT[row.status],
    ...row.changes.flatMap(cells),
  ]);
  const labelTotals = diff.labels.map((column, i) =>
    columnTotal(column.total, diff.rows.map((row) => row.labels[i]))
  );
  return {
    columns,
    rows,
    totals: [...labelTotals, undefined, ...diff.totals.flatMap(cells)],
  };
}
