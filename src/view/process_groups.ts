/**
 * What the views that sum processes per group (user, cgroup, program)
 * share: the grouping itself and the count column.
 *
 * @module
 */

import { addCountersInto, type MutableCounters } from "../parse/counters.ts";
import type { Process } from "../snapshot/snapshot.ts";
import { type Column, right } from "./column.ts";

/** A group's processes, summed. */
export interface ProcessGroup {
  /** Number of processes. */
  readonly count: number;
  readonly counters: MutableCounters;
}

/**
 * Sums processes per key, keeping the order in which keys first appear
 * (the order of the snapshot, for the table's ties).
 */
export function groupProcesses<K>(
  processes: readonly Process[],
  keyOf: (process: Process) => K,
): Map<K, ProcessGroup> {
  const groups = new Map<K, { count: number; counters: MutableCounters }>();
  for (const process of processes) {
    const key = keyOf(process);
    let group = groups.get(key);
    if (group === undefined) {
      group = { count: 0, counters: {} };
      groups.set(key, group);
    }
    group.count++;
    addCountersInto(group.counters, process.totals);
  }
  return groups;
}

/** The `count` column: a group's number of processes. */
export const countColumn: Column<{ readonly count: number }> = {
  id: "count",
  header: "Count",
  description: "number of processes",
  layout: right(5),
  quantity: "count",
  total: "sum",
  value: (r) => r.count,
};
