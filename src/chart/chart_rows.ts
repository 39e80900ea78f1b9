/**
 * A view's table → the rows a chart draws, in smem's order. The CLI builds
 * the table with the chart's label and size columns appended to the ones
 * shown, as smem appends --pie or --bar's field to its columns.
 *
 * @module
 */

import { type CellValue, isAmount } from "../view/column.ts";
import type { ColumnInfo, Table } from "../view/table.ts";

/** One row of a pie: its label and size. */
export interface PieRow {
  /** The label column's text, whole. */
  readonly label: string;
  /** The size (sort) column's amount, kB; unknown counts as 0. */
  readonly kb: number;
}

/** One row of a bar chart: its label and one amount per series. */
export interface BarRow {
  readonly label: string;
  /** kB per series, in the series' order; undefined where unknown. */
  readonly kb: readonly (number | undefined)[];
}

/** What a chart of a table draws: the series (bar) and its rows, largest first. */
export interface ChartRows<Row> {
  readonly rows: readonly Row[];
  /** The columns drawn as bars (bar charts); empty for pies. */
  readonly series: readonly ColumnInfo[];
}

/**
 * A pie's rows from a table whose columns are the `shown` ones, then the
 * label, then the size (sort) column.
 */
export function pieRows(table: Table, shown: number): PieRow[] {
  return largestFirst(table.rows).map((cells) => ({
    label: text(cells[shown]),
    kb: amount(cells[shown + 1]),
  }));
}

/**
 * A bar chart's rows from a table whose columns are the `shown` ones, then
 * the label, then the sort column: the series are the shown amount columns (smem: every numeric
 * column but pid, user and group; counts share no axis with kB, so memsnap
 * leaves them out).
 */
export function barRows(table: Table, shown: number): ChartRows<BarRow> {
  const drawn = table.columns.slice(0, shown).flatMap((column, index) =>
    isAmount(column) ? [index] : []
  );
  return {
    series: drawn.map((index) => table.columns[index]!),
    rows: largestFirst(table.rows).map((cells) => ({
      label: text(cells[shown]),
      kb: drawn.map((index) => {
        const value = cells[index];
        return typeof value === "number" ? value : undefined;
      }),
    })),
  };
}

/**
 * smem's order for charts: the table's, reversed when it runs from small to
 * large (smem compares the first and last rows' sort keys, the last cell).
 */
function largestFirst(
  rows: readonly (readonly CellValue[])[],
): readonly (readonly CellValue[])[] {
  const key = (row: readonly CellValue[] | undefined) => amount(row?.[row.length - 1]);
  return rows.length > 0 && key(rows[0]) < key(rows[rows.length - 1]) ? [...rows].reverse() : rows;
}

function text(value: CellValue): string {
  return value === undefined ? "?" : String(value);
}

function amount(value: CellValue): number {
  return typeof value === "number" ? value : 0;
}
