/**
 * The order of a diff's rows: by the size of a metric's change, largest
 * first (growth and shrinkage alike), or by a label's text.
 *
 * @module
 */

import { compareTuples } from "../view/table.ts";
import type { DiffRow, DiffTable } from "./diff_table.ts";

/**
 * Sorts a diff's rows on a column shown (an id among its labels or
 * metrics): a metric by |change| descending, a label ascending; ties by the
 * labels left to right, then the key. `reverse` turns the order around.
 */
export function sortDiff(diff: DiffTable, sort: string, reverse: boolean): DiffTable {
  const metric = diff.metrics.findIndex((column) => column.id === sort);
  const label = diff.labels.findIndex((column) => column.id === sort);
  const size = (row: DiffRow) => {
    const change = row.changes[metric]?.change;
    // An unknown change sorts after every known one.
    return change === undefined ? -1 : Math.abs(change);
  };
  const primary = metric !== -1
    ? (a: DiffRow, b: DiffRow) => size(b) - size(a)
    : (a: DiffRow, b: DiffRow) => compareTuples([a.labels[label]], [b.labels[label]]);
  const direction = reverse ? -1 : 1;
  const rows = [...diff.rows].sort((a, b) =>
    direction * (primary(a, b) || compareTuples(a.labels, b.labels) ||
      compareTuples([a.key], [b.key]))
  );
  return { ...diff, rows };
}
