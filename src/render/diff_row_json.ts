/**
 * A diff's row as JSON, one form wherever a row appears: the diff's rows,
 * a threshold's rows, and (labels only) a trend's rows. Labels and metrics
 * are nested under their own members, so that a column's id can never
 * collide with `key` or `status`.
 *
 * @module
 */

import type { Change, DiffStatus } from "../diff/diff_table.ts";
import type { CellValue } from "../view/column.ts";
import type { ColumnInfo } from "../view/table.ts";

/** A change: both sides, B − A and its percent of A; null where unknown. */
export interface ChangeJson {
  readonly a: number | null;
  readonly b: number | null;
  readonly change: number | null;
  readonly percent: number | null;
}

/** One row of a diff. */
export interface DiffRowJson {
  /** What matched it on both sides: `PID@START` for a process, else its name. */
  readonly key: string;
  readonly status: DiffStatus;
  /** The label columns by id. */
  readonly labels: Readonly<Record<string, CellValue | null>>;
  /** The metrics by id; null where neither side has the row's value. */
  readonly metrics: Readonly<Record<string, ChangeJson | null>>;
}

export function changeJson(change: Change | undefined): ChangeJson | null {
  return change === undefined ? null : {
    a: change.a ?? null,
    b: change.b ?? null,
    change: change.change ?? null,
    percent: change.percent ?? null,
  };
}

/** Label cells by their columns' ids; unknown cells null. */
export function labelsJson(
  columns: readonly ColumnInfo[],
  cells: readonly CellValue[],
): Record<string, CellValue | null> {
  return Object.fromEntries(columns.map((column, i) => [column.id, cells[i] ?? null]));
}

/** A row: its key, status, labels, and its changes in `metrics` (as many, in order). */
export function diffRowJson(
  row: {
    readonly key: string;
    readonly status: DiffStatus;
    readonly labels: readonly CellValue[];
  },
  columns: { readonly labels: readonly ColumnInfo[]; readonly metrics: readonly ColumnInfo[] },
  changes: readonly (Change | undefined)[],
): DiffRowJson {
  return {
    key: row.key,
    status: row.status,
    labels: labelsJson(columns.labels, row.labels),
    metrics: Object.fromEntries(columns.metrics.map((m, i) => [m.id, changeJson(changes[i])])),
  };
}
