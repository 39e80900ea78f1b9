/**
 * A recording's snapshots → the points of a timeline: per snapshot, the PSS
 * of each process, user or program, and MemAvailable. Each snapshot is
 * reduced as it is read, so a long recording is never held whole.
 *
 * @module
 */

import type { Snapshot } from "../snapshot/snapshot.ts";
import { commandRows } from "../view/commands.ts";
import { userRows } from "../view/users.ts";

/** What a timeline's areas stand for, as `--by` names them. */
export const TIMELINE_GROUPINGS = ["processes", "users", "commands"] as const;
export type TimelineGrouping = typeof TIMELINE_GROUPINGS[number];

/** One snapshot of a timeline. */
export interface TimelinePoint {
  /** ISO 8601. */
  readonly takenAt: string;
  /** kB; null when meminfo has none (kernels before 3.14). */
  readonly memAvailableKb: number | null;
  /** PSS per group, kB, in the snapshot's order. */
  readonly groups: ReadonlyMap<string, number>;
}

/**
 * A snapshot's point: its processes' PSS summed per group. A process is
 * named `name [pid]` (names repeat, pids do not at one moment), a user by
 * name, a program as the --commands view names it.
 */
export function timelinePoint(
  snapshot: Snapshot & { readonly takenAt: string },
  by: TimelineGrouping,
): TimelinePoint {
  const groups = new Map<string, number>();
  const add = (key: string, kb: number | undefined) =>
    groups.set(key, (groups.get(key) ?? 0) + (kb ?? 0));
  switch (by) {
    case "processes":
      for (const p of snapshot.processes) add(`${p.name} [${p.pid}]`, p.totals.pss);
      break;
    case "users":
      for (const row of userRows(snapshot, snapshot.processes, { numeric: false })) {
        add(String(row.user), row.counters.pss);
      }
      break;
    case "commands":
      for (const row of commandRows(snapshot, snapshot.processes)) {
        add(row.command, row.counters.pss);
      }
      break;
  }
  return {
    takenAt: snapshot.takenAt,
    memAvailableKb: snapshot.meminfo.MemAvailable ?? null,
    groups,
  };
}
