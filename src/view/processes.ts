/**
 * The process view (smem's default): one row per process.
 *
 * @module
 */

import { EXACT, type Provenance, type ProvenanceKind } from "../snapshot/provenance.ts";
import { commandOf, type Process, type Snapshot, userNameOf } from "../snapshot/snapshot.ts";
import { amountLayout, type Column, left, right } from "./column.ts";
import {
  counterColumns,
  KERNEL_COUNTER_COLUMN_IDS,
  SMEM_COUNTER_COLUMN_IDS,
  type WithCounters,
} from "./counter_columns.ts";
import {
  EXACT_PROCESS_COLUMN_IDS,
  exactByGroup,
  exactProcessColumns,
  type WithExact,
} from "./exact_columns.ts";
import { processReading } from "./reading.ts";
import type { ViewModule } from "./view.ts";

export const PROCESS_COLUMN_IDS = [
  "pid",
  "user",
  "name",
  "command",
  "maps",
  ...SMEM_COUNTER_COLUMN_IDS,
  ...KERNEL_COUNTER_COLUMN_IDS,
  ...EXACT_PROCESS_COLUMN_IDS,
  "oom_score",
  "cpu",
  "cpu_pct",
  "gpu",
  "provenance",
  "age",
] as const;
export type ProcessColumnId = typeof PROCESS_COLUMN_IDS[number];

/** What the process and tree views show of a process beside its memory. */
export interface ProcessIdentity {
  readonly pid: number;
  /** Start time in clock ticks after boot; null when unknown. */
  readonly startTime: number | null;
  /** The user name, or the uid with -n. */
  readonly user: string | number;
  readonly name: string;
  readonly command: string;
}

/** A process as the view shows it. */
export interface ProcessRow extends ProcessIdentity, WithCounters, Measured, WithExact {
  /** Number of mappings; unknown with rollup detail. */
  readonly maps: number | undefined;
  /** The process's extras, when known (read only for the columns that show them). */
  readonly oomScore?: number;
  readonly cpuTicks?: number;
  readonly cpuPercent?: number;
  readonly gpuKb?: number;
}

/** How a row's numbers were obtained: what a process row says of it. */
export interface Measured {
  /** How its memory numbers were obtained (provenance.ts). */
  readonly provenance: ProvenanceKind;
  /** Seconds since its numbers were read: 0 exact, the age of carried ones; unknown rss-only. */
  readonly ageS: number | undefined;
}

/** The provenance and age columns, for every view whose rows are processes. */
export const PROVENANCE_COLUMNS: Record<"provenance" | "age", Column<Measured>> = {
  provenance: {
    id: "provenance",
    header: "Provenance",
    description:
      "how its numbers were obtained: exact (walked now), carried (an earlier walk, its status unchanged since), rss-only (status alone: PSS and USS unknown)",
    layout: left(10),
    quantity: "text",
    total: "none",
    value: (r) => r.provenance,
  },
  age: {
    id: "age",
    header: "Age_s",
    description: "seconds since its numbers were read: 0 exact, more carried, - rss-only",
    layout: right(5),
    quantity: "count",
    total: "none",
    value: (r) => r.ageS,
  },
};

/** A process's provenance, as its row says it. */
export function measuredOf(process: Pick<Process, "provenance">): Measured {
  return {
    provenance: process.provenance?.kind ?? "exact",
    ageS: ageOf(process.provenance ?? EXACT),
  };
}

/** The process columns that need more than memory maps, and what they read. */
export const EXTRA_COLUMNS = {
  oom_score: "oomScore",
  cpu: "cpuTime",
  cpu_pct: "cpuPercent",
  gpu: "gpu",
} as const;

const extras: Record<keyof typeof EXTRA_COLUMNS, Column<ProcessRow>> = {
  oom_score: {
    id: "oom_score",
    header: "OOM",
    description: "OOM killer's score, highest killed first (oom_score)",
    layout: right(5),
    quantity: "count",
    total: "none",
    value: (r) => r.oomScore,
  },
  cpu: {
    id: "cpu",
    header: "CPU_s",
    description: "CPU time, user + system, seconds (utime + stime; JSON, CSV: clock ticks)",
    layout: right(9),
    quantity: "ticks",
    total: "sum",
    value: (r) => r.cpuTicks,
  },
  cpu_pct: {
    id: "cpu_pct",
    header: "CPU%",
    description:
      "CPU use since the recording's previous snapshot, % of one core (utime + stime); - live and for new processes",
    layout: right(6),
    quantity: "percent",
    total: "sum",
    value: (r) => r.cpuPercent,
  },
  gpu: {
    id: "gpu",
    header: "GPU",
    description: "GPU memory of its DRM clients (fdinfo drm-resident-*); - where none",
    quantity: "memory",
    layout: amountLayout("GPU"),
    total: "sum",
    value: (r) => r.gpuKb,
  },
};

/** The columns of ProcessIdentity, shared with the tree view. */
export const PROCESS_IDENTITY_COLUMNS: Record<
  "pid" | "user" | "name" | "command",
  Column<ProcessIdentity>
> = {
  pid: {
    id: "pid",
    header: "PID",
    description: "process ID",
    layout: right(5),
    quantity: "count",
    total: "count",
    value: (r) => r.pid,
  },
  user: {
    id: "user",
    header: "User",
    description: "owner of process",
    layout: left(8),
    quantity: "text",
    total: "distinct",
    value: (r) => r.user,
  },
  name: {
    id: "name",
    header: "Name",
    description: "name of process",
    layout: left(24, true),
    quantity: "text",
    total: "none",
    value: (r) => r.name,
  },
  command: {
    id: "command",
    header: "Command",
    description: "process command line",
    layout: left(27, true),
    quantity: "text",
    total: "none",
    value: (r) => r.command,
  },
};

const own: Record<
  "pid" | "user" | "name" | "command" | "maps" | "provenance" | "age",
  Column<ProcessRow>
> = {
  ...PROCESS_IDENTITY_COLUMNS,
  maps: {
    id: "maps",
    header: "Maps",
    description: "total number of mappings",
    layout: right(5),
    quantity: "count",
    total: "sum",
    value: (r) => r.maps,
  },
  ...PROVENANCE_COLUMNS,
};

export const processView: ViewModule<ProcessRow, ProcessColumnId, "processes"> = {
  id: "processes",
  noun: "process",
  summary: "one row per process (smem's default)",
  aliases: ["process"],
  columns: {
    ...own,
    ...counterColumns([...SMEM_COUNTER_COLUMN_IDS, ...KERNEL_COUNTER_COLUMN_IDS]),
    ...exactProcessColumns<ProcessRow>(),
    ...extras,
  },
  defaultColumns: ["pid", "user", "command", "swap", "uss", "pss", "rss"],
  defaultSort: "pss",
  measure: "pss",
  labels: ["command", "name", "user", "pid"],
  diffColumns: ["pid", "user", "command", "pss", "uss", "rss", "swap"],
  options: [],
  reads: (asked) => {
    const wanted = Object.entries(EXTRA_COLUMNS).filter(([id]) => asked.includes(id));
    return processReading(
      asked,
      wanted.length === 0
        ? {}
        : { extras: Object.fromEntries(wanted.map(([, what]) => [what, true])) },
    );
  },
  rows: (context) => processRows(context.snapshot, context.processes, context),
  key: processKey,
  name: (row) => `${row.name} [${row.pid}]`,
};

/**
 * What matches a process across snapshots: its pid and its start time (a
 * reused pid is another process; an exec keeps both).
 */
export function processKey(
  process: { readonly pid: number; readonly startTime: number | null },
): string {
  return `${process.pid}@${process.startTime ?? "?"}`;
}

/** How the process view names users. */
export interface UserDisplay {
  /** -n: show uids, not names. */
  readonly numeric: boolean;
}

/** One row per selected process. */
export function processRows(
  snapshot: Snapshot,
  processes: readonly Process[],
  display: UserDisplay,
): ProcessRow[] {
  // Each process a group of its own: its frames no other process maps.
  const exact = exactByGroup({ snapshot, processes }, (process) => process);
  return processes.map((p) => ({
    ...(exact?.has(p) && { exact: exact.get(p)! }),
    pid: p.pid,
    startTime: p.startTime,
    user: display.numeric ? p.uid : userNameOf(snapshot, p.uid),
    name: p.name,
    command: commandOf(p),
    maps: p.mapCount ?? undefined,
    ...(typeof p.oomScore === "number" && { oomScore: p.oomScore }),
    ...(typeof p.cpuTicks === "number" && { cpuTicks: p.cpuTicks }),
    ...(typeof p.cpuPercent === "number" && { cpuPercent: p.cpuPercent }),
    ...(typeof p.gpuKb === "number" && { gpuKb: p.gpuKb }),
    ...measuredOf(p),
    counters: p.totals,
  }));
}

/** Seconds since a process's numbers were read; undefined when they never were (rss-only). */
function ageOf(provenance: Provenance): number | undefined {
  switch (provenance.kind) {
    case "exact":
      return 0;
    case "carried":
      return Math.round(provenance.ageMs / 1000);
    case "rss-only":
      return undefined;
  }
}
