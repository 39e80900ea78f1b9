/**
 * The diff model: two sides' rows of one view, matched by key, and per
 * metric the value on each side, the change and the change in percent.
 * Pure: the rows come from the views, the numbers from their columns.
 *
 * @module
 */

import type { CellValue } from "../view/column.ts";
import type { KeyedRow, KeyedSide } from "../view/keyed_side.ts";
import type { ColumnInfo } from "../view/table.ts";

export type { KeyedRow, KeyedSide };

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
