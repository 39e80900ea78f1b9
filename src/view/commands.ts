/**
 * The command view (--commands): processes summed per program, as ps_mem
 * shows them (private + shared = total), for "how much does firefox use,
 * all its processes together?".
 *
 * @module
 */

import { ussOf } from "../parse/counters.ts";
import type { Process, Snapshot } from "../snapshot/snapshot.ts";
import { type Column, left, memoryColumn } from "./column.ts";
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

export const COMMAND_COLUMN_IDS = [
  "command",
  "count",
  "private",
  "shared",
  "total",
  ...SMEM_COUNTER_COLUMN_IDS,
  ...KERNEL_COUNTER_COLUMN_IDS,
  ...EXACT_GROUP_COLUMN_IDS,
] as const;
export type CommandColumnId = typeof COMMAND_COLUMN_IDS[number];

/** A program and the sums over its processes. */
export interface CommandRow extends WithCounters, WithExact {
  readonly command: string;
  /** Number of processes. */
  readonly count: number;
}

const amount = memoryColumn<CommandRow>;

const own: Record<"command" | "count" | "private" | "shared" | "total", Column<CommandRow>> = {
  command: {
    id: "command",
    header: "Program",
    description: "program name (see docs/views.md)",
    layout: left(24, true),
    quantity: "text",
    total: "none",
    value: (r) => r.command,
  },
  count: countColumn,
  private: amount("private", "Private", "ps_mem's private: USS", (r) => ussOf(r.counters)),
  shared: amount("shared", "Shared", "ps_mem's shared: PSS - USS", (r) => {
    const uss = ussOf(r.counters);
    return r.counters.pss === undefined || uss === undefined ? undefined : r.counters.pss - uss;
  }),
  total: amount("total", "RAM used", "ps_mem's RAM used: PSS", (r) => r.counters.pss),
};

export const commandView: ViewModule<CommandRow, CommandColumnId, "commands"> = {
  id: "commands",
  noun: "program",
  summary: "programs, all their processes together (ps_mem)",
  aliases: ["command", "programs", "program"],
  columns: {
    ...own,
    ...counterColumns([...SMEM_COUNTER_COLUMN_IDS, ...KERNEL_COUNTER_COLUMN_IDS]),
    ...exactGroupColumns<CommandRow>(),
  },
  defaultColumns: ["command", "count", "private", "shared", "total"],
  defaultSort: "total",
  measure: "pss",
  labels: ["command"],
  diffColumns: ["command", "count", "pss", "uss", "rss", "swap"],
  options: [],
  reads: (asked) => processReading(asked),
  rows: (context) => commandRows(context.snapshot, context.processes),
  key: (row) => row.command,
  name: (row) => row.command,
};

/**
 * The basename of argv[0], the program a process was started as; undefined
 * where argv[0] is empty or is a title the process wrote over its arguments
 * (`postgres: checkpointer`, `sshd: dev@pts/0`: they hold spaces).
 */
function startedAs(process: Process): string | undefined {
  const first = process.cmdline?.[0];
  if (first === undefined || /\s/.test(first)) return undefined;
  const base = first.slice(first.lastIndexOf("/") + 1);
  return base === "" ? undefined : base;
}

/**
 * Names each process's program, as ps_mem does with argv[0] in place of the
 * exe link (which stored sources lack and which needs ptrace rights): the
 * command name from stat (comm); argv[0]'s basename where comm is a prefix
 * of it (the kernel cuts comm at 15 bytes); and a process that renamed
 * itself (firefox's `Web Content`) but was started as the same program as
 * its parent counts as its parent's program.
 *
 * @param all Every process of the snapshot: parents are looked up there.
 */
export function programNames(all: readonly Process[]): Map<number, string> {
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const names = new Map<number, string>();
  const nameOf = (process: Process, seen: Set<number>): string => {
    const known = names.get(process.pid);
    if (known !== undefined) return known;
    const comm = process.name;
    const program = startedAs(process);
    let name = comm;
    if (program !== undefined && (program.startsWith(comm) || comm === "?")) name = program;
    else if (program !== undefined && process.ppid !== null) {
      const parent = byPid.get(process.ppid);
      // seen: a ppid loop in a corrupt copy must not recurse forever.
      if (parent !== undefined && !seen.has(parent.pid) && startedAs(parent) === program) {
        name = nameOf(parent, seen.add(process.pid));
      }
    }
    names.set(process.pid, name);
    return name;
  };
  for (const process of all) nameOf(process, new Set());
  return names;
}

/** One row per program with a selected process. */
export function commandRows(snapshot: Snapshot, processes: readonly Process[]): CommandRow[] {
  const names = programNames(snapshot.processes);
  const nameOf = (process: Process) => names.get(process.pid) ?? process.name;
  const groups = groupProcesses(processes, nameOf);
  const exact = exactByGroup({ snapshot, processes }, nameOf);
  return [...groups].map(([command, { count, counters }]) => {
    const own = exact?.get(command);
    return { command, count, counters, ...(own !== undefined && { exact: own }) };
  });
}
