/**
 * The cgroup view (--cgroups): processes summed per memory cgroup, beside
 * the memory the kernel charges to that cgroup.
 *
 * @module
 */

import type { MemoryCgroup, Process, Snapshot } from "../snapshot/snapshot.ts";
import { amountLayout, type Column, left } from "./column.ts";
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
import { processReading } from "./reading.ts";
import type { ViewModule } from "./view.ts";

export const CGROUP_COLUMN_IDS = [
  "cgroup",
  "hierarchy",
  "count",
  "charge",
  ...SMEM_COUNTER_COLUMN_IDS,
  ...KERNEL_COUNTER_COLUMN_IDS,
  ...EXACT_GROUP_COLUMN_IDS,
] as const;
export type CgroupColumnId = typeof CGROUP_COLUMN_IDS[number];

/** A cgroup (deeper ones folded in with --depth) and the sums over its processes. */
export interface CgroupRow extends WithCounters, WithExact {
  /** The cgroup's path; `?` for processes whose cgroup is unknown. */
  readonly cgroup: string;
  /** `v2`, or `v1` (the v1 memory controller's hierarchy); unknown with the path. */
  readonly hierarchy: "v1" | "v2" | undefined;
  /** Number of processes. */
  readonly count: number;
  /** kB the kernel charges to the cgroup and its descendants; unknown where not readable. */
  readonly charge: number | undefined;
}

const own: Record<"cgroup" | "hierarchy" | "count" | "charge", Column<CgroupRow>> = {
  cgroup: {
    id: "cgroup",
    header: "Cgroup",
    description: "cgroup path (v2, or the v1 memory controller's)",
    layout: { ...left(40, true), keepEnd: true },
    quantity: "text",
    total: "none",
    value: (r) => r.cgroup,
  },
  hierarchy: {
    id: "hierarchy",
    header: "Hier",
    description: "cgroup hierarchy: v2 (unified) or v1 (memory controller)",
    layout: left(4),
    quantity: "text",
    total: "none",
    value: (r) => r.hierarchy,
  },
  count: countColumn,
  charge: {
    id: "charge",
    header: "Charge",
    description:
      "memory charged to the cgroup by the kernel (memory.current, v1 memory.usage_in_bytes)",
    layout: amountLayout("Charge"),
    quantity: "memory",
    // A cgroup's charge holds its descendants': summing rows would count twice.
    total: "none",
    value: (r) => r.charge,
  },
};

export const cgroupView: ViewModule<CgroupRow, CgroupColumnId, "cgroups"> = {
  id: "cgroups",
  noun: "cgroup",
  summary: "processes summed per memory cgroup, beside the kernel's charge",
  aliases: ["cgroup"],
  columns: {
    ...own,
    ...counterColumns([...SMEM_COUNTER_COLUMN_IDS, ...KERNEL_COUNTER_COLUMN_IDS]),
    ...exactGroupColumns<CgroupRow>(),
  },
  defaultColumns: ["cgroup", "hierarchy", "count", "swap", "uss", "pss", "rss", "charge"],
  defaultSort: "pss",
  measure: "pss",
  labels: ["cgroup", "hierarchy"],
  diffColumns: ["cgroup", "count", "pss", "uss", "rss", "swap"],
  options: ["depth"],
  reads: (asked) => processReading(asked, { cgroups: true, charges: true }),
  rows: (context) =>
    cgroupRows(context.processes, {
      ...(context.depth !== undefined && { depth: context.depth }),
      charges: context.charges,
      snapshot: context.snapshot,
    }),
  key: (row) => `${row.hierarchy ?? "?"}:${row.cgroup}`,
  name: (row) => row.cgroup,
};

/** How the cgroup view groups. */
export interface CgroupOptions {
  /** --depth: cgroups deeper than this count in their ancestor at this depth (root: 0). */
  readonly depth?: number;
  /** Charges in kB, by cgroupKey() of the (folded) cgroup. */
  readonly charges?: ReadonlyMap<string, number>;
  /** The snapshot the processes are of: its pages give the exact columns. */
  readonly snapshot?: Snapshot;
}

/** A cgroup's path cut to `depth` levels below the root. */
export function foldCgroup(cgroup: MemoryCgroup, depth: number | undefined): MemoryCgroup {
  if (depth === undefined) return cgroup;
  const parts = cgroup.path.split("/").filter((part) => part !== "");
  return { version: cgroup.version, path: "/" + parts.slice(0, depth).join("/") };
}

/** Identifies a cgroup across hierarchies: `v2:/system.slice`. */
export function cgroupKey(cgroup: MemoryCgroup): string {
  return `v${cgroup.version}:${cgroup.path}`;
}

/** The distinct (folded) cgroups of the processes: the charges a report reads. */
export function cgroupsOf(
  processes: readonly Process[],
  depth: number | undefined,
): MemoryCgroup[] {
  const found = new Map<string, MemoryCgroup>();
  for (const process of processes) {
    if (!process.cgroup) continue;
    const folded = foldCgroup(process.cgroup, depth);
    found.set(cgroupKey(folded), folded);
  }
  return [...found.values()];
}

/** One row per (folded) cgroup holding a selected process. */
export function cgroupRows(processes: readonly Process[], options: CgroupOptions): CgroupRow[] {
  // Grouped by key; the key's cgroup kept beside it.
  const cgroups = new Map<string, MemoryCgroup | null>();
  const keyOf = (process: Process) => {
    const cgroup = process.cgroup ? foldCgroup(process.cgroup, options.depth) : null;
    const key = cgroup === null ? UNKNOWN : cgroupKey(cgroup);
    cgroups.set(key, cgroup);
    return key;
  };
  const groups = groupProcesses(processes, keyOf);
  const exact = options.snapshot && exactByGroup({ snapshot: options.snapshot, processes }, keyOf);
  return [...groups].map(([key, { count, counters }]) => {
    const cgroup = cgroups.get(key) ?? null;
    const own = exact?.get(key);
    return {
      ...(own !== undefined && { exact: own }),
      cgroup: cgroup?.path ?? UNKNOWN,
      hierarchy: cgroup === null ? undefined : cgroup.version === 2 ? "v2" : "v1",
      count,
      charge: options.charges?.get(key),
      counters,
    };
  });
}

/** The row of processes whose cgroup is unknown. */
const UNKNOWN = "?";
