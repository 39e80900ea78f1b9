/**
 * The process tree view (--tree): each process with the sums over its
 * subtree (itself and every descendant), for "how much does this service
 * and everything it started use?".
 *
 * @module
 */

import {
  EXACT_GROUP_COLUMN_IDS,
  exactGroupColumns,
  exactOfSets,
  type WithExact,
} from "./exact_columns.ts";
import { addCountersInto, type Counters, type MutableCounters } from "../parse/counters.ts";
import { commandOf, type Process, type Snapshot, userNameOf } from "../snapshot/snapshot.ts";
import { type Column, right } from "./column.ts";
import {
  counterColumns,
  KERNEL_COUNTER_COLUMN_IDS,
  SMEM_COUNTER_COLUMN_IDS,
  type WithCounters,
} from "./counter_columns.ts";
import {
  type Measured,
  measuredOf,
  PROCESS_IDENTITY_COLUMNS,
  type ProcessIdentity,
  processKey,
  PROVENANCE_COLUMNS,
  type UserDisplay,
} from "./processes.ts";
import { processReading } from "./reading.ts";
import { compareTuples } from "./table.ts";
import type { ViewModule } from "./view.ts";

const SUBTREE = [
  ["tree_pss", "Tree_PSS", "pss", "PSS"],
  ["tree_uss", "Tree_USS", "uss", "USS"],
  ["tree_rss", "Tree_RSS", "rss", "RSS"],
  ["tree_swap", "Tree_Swap", "swap", "swap"],
] as const;

export const PROCESS_TREE_COLUMN_IDS = [
  "pid",
  "ppid",
  "depth",
  "user",
  "name",
  "command",
  ...SMEM_COUNTER_COLUMN_IDS,
  ...KERNEL_COUNTER_COLUMN_IDS,
  ...SUBTREE.map(([id]) => id),
  ...EXACT_GROUP_COLUMN_IDS,
  "provenance",
  "age",
] as const;
export type ProcessTreeColumnId = typeof PROCESS_TREE_COLUMN_IDS[number];

/** A process in the tree. */
export interface ProcessTreeRow extends ProcessIdentity, WithCounters, Measured, WithExact {
  /** The parent's pid, when the parent is in the tree. */
  readonly ppid: number | undefined;
  /** 0 for a root. */
  readonly depth: number;
  /**
   * False for an ancestor shown only to place selected processes (-P, -U,
   * -M): its own counters are then empty.
   */
  readonly selected: boolean;
  /** Sums over the selected processes of the subtree, itself included. */
  readonly subtree: Counters;
}

const own: Record<
  "pid" | "ppid" | "depth" | "user" | "name" | "command",
  Column<ProcessTreeRow>
> = {
  pid: PROCESS_IDENTITY_COLUMNS.pid,
  ppid: {
    id: "ppid",
    header: "PPID",
    description: "parent's process ID (none for a root)",
    layout: right(5),
    quantity: "count",
    total: "none",
    value: (r) => r.ppid,
  },
  depth: {
    id: "depth",
    header: "Depth",
    description: "depth in the tree (0: a root)",
    layout: right(5),
    quantity: "count",
    total: "none",
    value: (r) => r.depth,
  },
  user: PROCESS_IDENTITY_COLUMNS.user,
  name: {
    ...PROCESS_IDENTITY_COLUMNS.name,
    description: "name of process, indented by depth",
    indented: true,
  },
  command: {
    ...PROCESS_IDENTITY_COLUMNS.command,
    description: "process command line, indented by depth",
    indented: true,
  },
};

const counters = counterColumns([...SMEM_COUNTER_COLUMN_IDS, ...KERNEL_COUNTER_COLUMN_IDS]);
const subtreeColumns = Object.fromEntries(SUBTREE.map(([id, header, counter, what]) => {
  const column: Column<ProcessTreeRow> = {
    ...counters[counter],
    id,
    header,
    description: `${what} of the process and all its descendants`,
    layout: { align: "right", width: header.length, truncate: false },
    // Subtrees nest: their sum would count a process once per ancestor.
    total: "none",
    value: (r) => counters[counter].value({ counters: r.subtree }),
  };
  return [id, column];
})) as Record<typeof SUBTREE[number][0], Column<ProcessTreeRow>>;

export const processTreeView: ViewModule<ProcessTreeRow, ProcessTreeColumnId, "process-tree"> = {
  id: "process-tree",
  noun: "process",
  summary: "the process tree, each process with its descendants' sums",
  aliases: ["tree"],
  columns: {
    ...own,
    ...counters,
    ...subtreeColumns,
    ...exactGroupColumns<ProcessTreeRow>({ subtree: true }),
    ...PROVENANCE_COLUMNS,
  },
  defaultColumns: ["pid", "ppid", "user", "command", "swap", "uss", "pss", "rss", "tree_pss"],
  defaultSort: "tree_pss",
  measure: "pss",
  labels: ["command", "name", "user", "pid", "ppid", "depth"],
  diffColumns: ["pid", "user", "command", "pss", "tree_pss"],
  depthOf: (row) => row.depth,
  options: [],
  reads: (asked) => processReading(asked),
  rows: (context) =>
    processTreeRows(context.snapshot, context.processes, {
      numeric: context.numeric,
      sort: context.sort as ProcessTreeColumnId,
      reverse: context.reverse,
    }),
  // A process's own memory: ancestors shown for context count nothing.
  parts: (rows) => rows.filter((row) => row.selected),
  key: processKey,
  name: (row) => `${row.name} [${row.pid}]`,
};

/** How the tree is laid out. */
export interface TreeOptions extends UserDisplay {
  /** Siblings are ordered by this column, ascending... */
  readonly sort: ProcessTreeColumnId;
  /** ...or descending. */
  readonly reverse: boolean;
}

/**
 * The selected processes in tree order (depth first, siblings sorted), with
 * their ancestors from the snapshot for context. A process whose parent is
 * not in the snapshot is a root.
 */
export function processTreeRows(
  snapshot: Snapshot,
  processes: readonly Process[],
  options: TreeOptions,
): ProcessTreeRow[] {
  const byPid = new Map(snapshot.processes.map((p) => [p.pid, p]));
  const selected = new Map(processes.map((p) => [p.pid, p]));
  const parentOf = (p: Process): Process | undefined =>
    p.ppid === null || p.ppid === p.pid ? undefined : byPid.get(p.ppid);

  // The shown processes: the selected and their ancestors.
  const shown = new Map<number, Process>();
  for (const process of processes) {
    for (let p: Process | undefined = process; p && !shown.has(p.pid); p = parentOf(p)) {
      shown.set(p.pid, selected.get(p.pid) ?? p);
    }
  }
  const parents = parentsWithoutLoops(
    new Map([...shown.values()].map((p) => [p.pid, parentOf(p)?.pid])),
  );
  const children = new Map<number, Process[]>();
  const roots: Process[] = [];
  for (const process of shown.values()) {
    const parent = parents.get(process.pid);
    if (parent === undefined) roots.push(process);
    else {
      const siblings = children.get(parent);
      if (siblings === undefined) children.set(parent, [process]);
      else siblings.push(process);
    }
  }

  const subtree = new Map<number, MutableCounters>();
  // The selected processes of each subtree, for the exact columns (only when there are pages).
  const members = new Map<number, Process[]>();
  const sumOf = (root: Process): MutableCounters => {
    // Iterative post-order: a deep chain must not exhaust the stack.
    const order: Process[] = [];
    const stack = [root];
    while (stack.length > 0) {
      const p = stack.pop()!;
      order.push(p);
      stack.push(...children.get(p.pid) ?? []);
    }
    for (const p of order.reverse()) {
      const sum: MutableCounters = {};
      if (selected.has(p.pid)) addCountersInto(sum, p.totals);
      for (const child of children.get(p.pid) ?? []) addCountersInto(sum, subtree.get(child.pid)!);
      subtree.set(p.pid, sum);
      if (snapshot.pages !== undefined) {
        members.set(p.pid, [
          ...(selected.has(p.pid) ? [p] : []),
          ...(children.get(p.pid) ?? []).flatMap((child) => members.get(child.pid)!),
        ]);
      }
    }
    return subtree.get(root.pid)!;
  };
  for (const root of roots) sumOf(root);
  const exact = exactOfSets(snapshot, members);

  const rowOf = (p: Process, depth: number): ProcessTreeRow => {
    const isSelected = selected.has(p.pid);
    return {
      pid: p.pid,
      startTime: p.startTime,
      ppid: parents.get(p.pid),
      depth,
      user: options.numeric ? p.uid : userNameOf(snapshot, p.uid),
      name: p.name,
      command: commandOf(p),
      selected: isSelected,
      ...measuredOf(p),
      counters: isSelected ? p.totals : {},
      subtree: subtree.get(p.pid)!,
      ...(exact?.has(p.pid) && { exact: exact.get(p.pid)! }),
    };
  };
  const sortValue = processTreeView.columns[options.sort].value;
  const direction = options.reverse ? -1 : 1;
  const ordered = (rows: ProcessTreeRow[]) =>
    rows.sort((a, b) => direction * compareTuples([sortValue(a), a.pid], [sortValue(b), b.pid]));

  const out: ProcessTreeRow[] = [];
  const stack = ordered(roots.map((r) => rowOf(r, 0))).reverse();
  while (stack.length > 0) {
    const row = stack.pop()!;
    out.push(row);
    const kids = (children.get(row.pid) ?? []).map((c) => rowOf(c, row.depth + 1));
    stack.push(...ordered(kids).reverse());
  }
  return out;
}

/**
 * The parent of each process, with ppid loops (only a corrupt copy has
 * them) cut: the process at which a walk up meets itself becomes a root.
 */
function parentsWithoutLoops(
  parents: ReadonlyMap<number, number | undefined>,
): Map<number, number | undefined> {
  const result = new Map(parents);
  const settled = new Set<number>();
  for (const start of parents.keys()) {
    const walk = new Set<number>();
    for (let pid: number | undefined = start; pid !== undefined; pid = result.get(pid)) {
      if (settled.has(pid)) break;
      if (walk.has(pid)) {
        result.set(pid, undefined);
        break;
      }
      walk.add(pid);
    }
    for (const pid of walk) settled.add(pid);
  }
  return result;
}
