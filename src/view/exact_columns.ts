/**
 * The exact columns (`--exact`): per group, memory counted by page frames
 * (exact_groups.ts) — group USS, group RSS, shared with others, the group's
 * own swap — and per process its "unique" frames, beside smem's USS.
 *
 * @module
 */

import type { FrameCounts, ProcessPages } from "../snapshot/pages.ts";
import type { Process, Snapshot } from "../snapshot/snapshot.ts";
import { type Column, memoryColumn } from "./column.ts";
import { exactGroups, exactOfMembers, type ExactPages, lowerBoundGroups } from "./exact_groups.ts";
import type { ViewContext } from "./view.ts";

/** A group's exact amounts, kB; only `uss` in lower-bound mode (a lower bound). */
export interface ExactKb {
  readonly uss: number;
  readonly rss?: number;
  readonly shared?: number;
  readonly swap?: number;
}

/** A row that may carry exact amounts (absent: the snapshot has no pages). */
export interface WithExact {
  readonly exact?: ExactKb;
}

/** The group views' exact columns, in the order `--exact` adds them. */
export const EXACT_GROUP_COLUMN_IDS = ["guss", "grss", "gshared", "gswap"] as const;
/** The process view's: its frames no other process maps. */
export const EXACT_PROCESS_COLUMN_IDS = ["unique"] as const;
/** Every exact column id: asking for one reads the pages. */
export const EXACT_COLUMN_IDS: ReadonlySet<string> = new Set([
  ...EXACT_GROUP_COLUMN_IDS,
  ...EXACT_PROCESS_COLUMN_IDS,
]);

type GroupId = typeof EXACT_GROUP_COLUMN_IDS[number];

/**
 * The group views' exact columns; with `subtree`, the process tree's, of
 * each process and its descendants (nested: no total).
 */
export function exactGroupColumns<Row extends WithExact>(
  options: { readonly subtree?: boolean } = {},
): Record<GroupId, Column<Row>> {
  const columns = groupColumns<Row>();
  if (!options.subtree) return columns;
  return Object.fromEntries(
    Object.entries(columns).map(([id, column]) => [id, {
      ...column,
      description: column.description.replace("the group", "the process and its descendants")
        .replace("group's processes", "process and its descendants"),
      total: "none",
    }]),
  ) as Record<GroupId, Column<Row>>;
}

function groupColumns<Row extends WithExact>(): Record<GroupId, Column<Row>> {
  return {
    guss: memoryColumn(
      "guss",
      "GroupUSS",
      "exact: resident memory only the group maps, freed if all of it exits (--exact)",
      (r) => r.exact?.uss,
    ),
    grss: memoryColumn(
      "grss",
      "GroupRSS",
      "exact: distinct resident memory the group maps, shared pages once (--exact)",
      (r) => r.exact?.rss,
    ),
    gshared: memoryColumn(
      "gshared",
      "Shared",
      "exact: resident memory the group maps that others map too (--exact)",
      (r) => r.exact?.shared,
    ),
    gswap: {
      ...memoryColumn(
        "gswap",
        "GroupSwap",
        "exact: swap only the group's processes hold (--exact)",
        (r) => r.exact?.swap,
      ),
      quantity: "swap",
    },
  };
}

/** The process view's exact column. */
export function exactProcessColumns<Row extends WithExact>(): Record<"unique", Column<Row>> {
  return {
    unique: memoryColumn(
      "unique",
      "Unique",
      "exact: resident memory no other process maps, by page frames (--exact)",
      (r) => r.exact?.uss,
    ),
  };
}

/**
 * The exact amounts of each group of the shown processes; undefined when
 * the snapshot holds no pages. The others (processes filtered out) count as
 * others: what they share with a group is not the group's own.
 */
export function exactByGroup<K>(
  context: Pick<ViewContext, "snapshot" | "processes">,
  keyOf: (process: Process) => K,
): Map<K, ExactKb> | undefined {
  const shown = new Set(context.processes);
  const groupOf = (process: Process) => (shown.has(process) ? keyOf(process) : undefined);
  const all = context.snapshot.processes;
  return exactKb(
    context.snapshot.pages,
    () => lowerBoundGroups(all, groupOf),
    (frameCounts) => exactGroups(all, groupOf, frameCounts),
  );
}

/**
 * The exact amounts of groups given by their members, which may overlap
 * (subtrees); undefined when the snapshot holds no pages.
 */
export function exactOfSets<K>(
  snapshot: Snapshot,
  sets: ReadonlyMap<K, readonly Process[]>,
): Map<K, ExactKb> | undefined {
  const known = new Map<K, ProcessPages[]>();
  for (const [key, list] of sets) {
    const pages = list.flatMap((p) => (p.pages === undefined ? [] : [p.pages]));
    if (pages.length > 0) known.set(key, pages);
  }
  return exactKb(
    snapshot.pages,
    () =>
      new Map(
        [...known].map(([key, pages]) => [key, pages.reduce((sum, p) => sum + p.exclusive, 0)]),
      ),
    (frameCounts) => exactOfMembers(snapshot.processes, known, frameCounts),
  );
}

/** Groups' pages in kB, by the snapshot's mode: a lower bound of USS, or every exact amount. */
function exactKb<K>(
  pages: Snapshot["pages"],
  lowerBound: () => Map<K, number>,
  frames: (frameCounts: FrameCounts) => Map<K, ExactPages>,
): Map<K, ExactKb> | undefined {
  if (pages === undefined) return undefined;
  const kb = (count: number) => count * pages.pageSize / 1024;
  const result = new Map<K, ExactKb>();
  if (pages.mode === "lower-bound") {
    for (const [key, uss] of lowerBound()) result.set(key, { uss: kb(uss) });
  } else {
    for (const [key, group] of frames(pages.frameCounts)) result.set(key, inKb(group, kb));
  }
  return result;
}

function inKb(group: ExactPages, kb: (pages: number) => number): ExactKb {
  return {
    uss: kb(group.uss),
    rss: kb(group.rss),
    shared: kb(group.shared),
    swap: kb(group.swapUss),
  };
}
