/**
 * The user view (smem -u): processes summed per owner.
 *
 * @module
 */

import { type Process, type Snapshot, userNameOf } from "../snapshot/snapshot.ts";
import { type Column, left } from "./column.ts";
import {
  counterColumns,
  KERNEL_COUNTER_COLUMN_IDS,
  SMEM_COUNTER_COLUMN_IDS,
  type WithCounters,
} from "./counter_columns.ts";
import {
  EXACT_GROUP_COLUMN_IDS,
  exactByGroup,
  exactGroupColumns,
  type WithExact,
} from "./exact_columns.ts";
import { countColumn, groupProcesses } from "./process_groups.ts";
import type { UserDisplay } from "./processes.ts";
import { processReading } from "./reading.ts";
import type { ViewModule } from "./view.ts";

export const USER_COLUMN_IDS = [
  "user",
  "count",
  ...SMEM_COUNTER_COLUMN_IDS,
  ...KERNEL_COUNTER_COLUMN_IDS,
  ...EXACT_GROUP_COLUMN_IDS,
] as const;
export type UserColumnId = typeof USER_COLUMN_IDS[number];

/** A user and the sums over their processes. */
export interface UserRow extends WithCounters, WithExact {
  readonly uid: number;
  /** The user name, or the uid with -n. */
  readonly user: string | number;
  /** Number of processes. */
  readonly count: number;
}

const own: Record<"user" | "count", Column<UserRow>> = {
  user: {
    id: "user",
    header: "User",
    description: "user name or ID",
    layout: left(8),
    quantity: "text",
    total: "none",
    value: (r) => r.user,
  },
  count: countColumn,
};

export const userView: ViewModule<UserRow, UserColumnId, "users"> = {
  id: "users",
  noun: "user",
  summary: "processes summed per owner (smem -u)",
  aliases: ["user"],
  columns: {
    ...own,
    // smem -u shows PSS under this heading; memsnap shows the real VSS.
    ...counterColumns([...SMEM_COUNTER_COLUMN_IDS, ...KERNEL_COUNTER_COLUMN_IDS]),
    ...exactGroupColumns<UserRow>(),
  },
  defaultColumns: ["user", "count", "swap", "uss", "pss", "rss"],
  defaultSort: "pss",
  measure: "pss",
  labels: ["user"],
  diffColumns: ["user", "count", "pss", "uss", "rss", "swap"],
  options: [],
  reads: (asked) => processReading(asked),
  rows: (context) => userRows(context.snapshot, context.processes, context),
  key: (row) => String(row.user),
  name: (row) => String(row.user),
};

/** One row per user owning a selected process. */
export function userRows(
  snapshot: Snapshot,
  processes: readonly Process[],
  display: UserDisplay,
): UserRow[] {
  const byUid = groupProcesses(processes, (process) => process.uid);
  const exact = exactByGroup({ snapshot, processes }, (process) => process.uid);
  return [...byUid].map(([uid, { count, counters }]) => {
    const own = exact?.get(uid);
    return {
      uid,
      user: display.numeric ? uid : userNameOf(snapshot, uid),
      count,
      counters,
      ...(own !== undefined && { exact: own }),
    };
  });
}
