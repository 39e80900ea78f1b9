/**
 * A view's rows reduced to what a diff or a trend compares: per row the
 * key that matches it across snapshots, the cells that name it and the
 * values of the metrics compared, with the metrics' totals.
 *
 * @module
 */

import type { CellValue, Column } from "./column.ts";
import { columnTotal } from "./table.ts";

/** A row of one side, reduced to what a diff compares: its key, names and numbers. */
export interface KeyedRow {
  /** What matches it: a process's pid and start time, a user's name... */
  readonly key: string;
  readonly labels: readonly CellValue[];
  /** One per metric column; undefined where unknown. */
  readonly values: readonly (number | undefined)[];
}

/** One side (one snapshot) of a diff or a trend, in one view. */
export interface KeyedSide {
  readonly rows: readonly KeyedRow[];
  /** One per metric: its total, as the report sums it; undefined where it does not sum. */
  readonly totals: readonly (number | undefined)[];
}

/** The columns shown, split into those that name a row and those compared. */
export interface DiffColumns<Row> {
  readonly labels: readonly Column<Row>[];
  readonly metrics: readonly Column<Row>[];
}

/** Reduces a view's rows to a side; `keyOf` must give each row its own key. */
export function keyedSide<Row>(
  rows: readonly Row[],
  keyOf: (row: Row) => string,
  columns: DiffColumns<Row>,
): KeyedSide {
  const numberOf = (value: CellValue) => typeof value === "number" ? value : undefined;
  return {
    rows: rows.map((row) => ({
      key: keyOf(row),
      labels: columns.labels.map((column) => column.value(row)),
      values: columns.metrics.map((column) => numberOf(column.value(row))),
    })),
    // As the reports total them.
    totals: columns.metrics.map((column) =>
      column.total === "sum" ? numberOf(columnTotal("sum", rows.map(column.value))) : undefined
    ),
  };
}
