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

type Part = typeof PARTS[number];

/** What a metric shows only its change of, when another is shown in full. */
const CHANGE_ONLY: readonly Part[] = PARTS.filter(({ part }) => part === "change");

/**
 * How a diff reads as a table. By default every metric in full, every
 * number as it is: what CSV prints.
 */
export interface DiffTableStyle {
  /**
   * The metric shown in full (A, B, change, %); the others show their
   * change only. Undefined: every metric in full.
   */
  readonly full?: string;
  /**
   * Percentages of {@link PERCENT_CAP} and more show as `>+999.9`: a base
   * near zero (376 kB that grew to 103 MB) makes the exact figure noise.
   * For people: the text table and Markdown; CSV and JSON keep the number.
   */
  readonly capPercent?: boolean;
}

/** The least percentage shown capped. */
export const PERCENT_CAP = 1000;

/** What a capped percentage shows. */
export const CAPPED_PERCENT = ">+999.9";

/** The parts of a metric a style shows. */
function partsOf(metric: ColumnInfo, style: DiffTableStyle): readonly Part[] {
  return style.full === undefined || style.full === metric.id ? PARTS : CHANGE_ONLY;
}

/** The columns of one metric: its four parts, or those the style shows. */
function metricColumns(metric: ColumnInfo, parts: readonly Part[]): ColumnInfo[] {
  return parts.map(({ part, header, id }) => {
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

/**
 * The diff's table, rows in the diff's order; totals from the diff's
 * totals. The style picks the parts shown and the percentages' form.
 */
export function diffAsTable(diff: DiffTable, style: DiffTableStyle = {}): Table {
  const parts = diff.metrics.map((metric) => partsOf(metric, style));
  const cells = (changes: readonly (Change | undefined)[]): CellValue[] =>
    changes.flatMap((change, m) =>
      parts[m]!.map(({ part }) => {
        const value = change?.[part];
        const capped = style.capPercent && part === "percent" && value !== undefined &&
          value >= PERCENT_CAP;
        return capped ? CAPPED_PERCENT : value;
      })
    );
  const columns = [
    ...diff.labels,
    STATUS,
    ...diff.metrics.flatMap((metric, m) => metricColumns(metric, parts[m]!)),
  ];
  const rows = diff.rows.map((
    row,
  ) => [...row.labels, STATUS_TEXT[row.status], ...cells(row.changes)]);
  const labelTotals = diff.labels.map((column, i) =>
    columnTotal(column.total, diff.rows.map((row) => row.labels[i]))
  );
  return { columns, rows, totals: [...labelTotals, undefined, ...cells(diff.totals)] };
}
