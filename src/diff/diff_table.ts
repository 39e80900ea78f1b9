/**
 * The diff model: two sides' rows of one view, matched by key, and per
 * metric the value on each side, the change and the change in percent.
 * Pure: the rows come from the views, the numbers from their columns.
 *
 * @module
 */

import type { CellValue, Column } from "../view/column.ts";
import { type ColumnInfo, columnTotal } from "../view/table.ts";

/** A metric's values on both sides; undefined where a side has no value. */
export interface Change {
  readonly a: number | undefined;
  readonly b: number | undefined;
  /** b - a; a missing side counts as 0 (a gone row shrank to nothing). */
  readonly change: number | undefined;
  /** The change as a share of a, in %; undefined where a is 0 or missing. */
  readonly percent: number | undefined;
}

/** Whether a row is on both sides, only in A (gone) or only in B (new). */
export type DiffStatus = "both" | "gone" | "new";

/** One matched row. */
export interface DiffRow {
  /** What matched it: a process's pid and start time, a user's name... */
  readonly key: string;
  readonly status: DiffStatus;
  /** The label columns' cells, from B (from A for a gone row). */
  readonly labels: readonly CellValue[];
  /** One per metric column, in order. */
  readonly changes: readonly Change[];
}

/** A whole diff, unsorted. */
export interface DiffTable {
  /** The columns that name a row (pid, user, command...). */
  readonly labels: readonly ColumnInfo[];
  /** The columns compared (pss, uss...). */
  readonly metrics: readonly ColumnInfo[];
  readonly rows: readonly DiffRow[];
  /** One per metric: the totals of both sides; undefined where it does not sum. */
  readonly totals: readonly (Change | undefined)[];
}

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

/** The change between two values, as {@link Change} defines it. */
export function changeOf(a: number | undefined, b: number | undefined): Change {
  const change = a === undefined && b === undefined ? undefined : (b ?? 0) - (a ?? 0);
  const percent = a === undefined || a === 0 || change === undefined
    ? undefined
    : (change / a) * 100;
  return { a, b, change, percent };
}

/**
 * Matches the rows of A and B by key and compares their metrics: rows in
 * A's order, then B's new rows. A key twice on one side is a caller's bug:
 * the last row wins.
 */
export function diffSides(
  a: KeyedSide,
  b: KeyedSide,
  columns: { readonly labels: readonly ColumnInfo[]; readonly metrics: readonly ColumnInfo[] },
): DiffTable {
  const inA = new Map(a.rows.map((row) => [row.key, row]));
  const inB = new Map(b.rows.map((row) => [row.key, row]));
  const rowOf = (key: string, before?: KeyedRow, after?: KeyedRow): DiffRow => ({
    key,
    status: before === undefined ? "new" : after === undefined ? "gone" : "both",
    labels: (after ?? before)!.labels,
    changes: columns.metrics.map((_, i) => changeOf(before?.values[i], after?.values[i])),
  });
  return {
    labels: columns.labels,
    metrics: columns.metrics,
    rows: [
      ...[...inA].map(([key, row]) => rowOf(key, row, inB.get(key))),
      ...[...inB].filter(([key]) => !inA.has(key)).map(([key, row]) => rowOf(key, undefined, row)),
    ],
    totals: columns.metrics.map((column, i) =>
      column.total === "sum" ? changeOf(a.totals[i], b.totals[i]) : undefined
    ),
  };
}
