/**
 * The system tree as a view (`-w --tree`): one row per line of the tree, in
 * the tree's order, for the table, CSV and JSON renderers.
 *
 * @module
 */

import { amountLayout, left, right } from "./column.ts";
import { flattenTree, type MemoryNode, systemTree } from "./system_tree.ts";
import { mappedShmemKb, userspaceGap } from "./userspace_gap.ts";
import type { ReportAnnex, ViewContext, ViewModule } from "./view.ts";

export const SYSTEM_TREE_COLUMN_IDS = [
  "order",
  "item",
  "name",
  "path",
  "depth",
  "kb",
  "reclaimable",
] as const;
export type SystemTreeColumnId = typeof SYSTEM_TREE_COLUMN_IDS[number];

/** One line of the tree. */
export interface SystemTreeRow {
  readonly order: number;
  readonly depth: number;
  readonly path: readonly string[];
  readonly node: MemoryNode;
}

/** What a line's reclaimable flag reads as in a table. */
export function reclaimableWord(node: MemoryNode): string {
  const { reclaimable } = node;
  return reclaimable === null
    ? "unknown"
    : reclaimable === "partly"
    ? reclaimable
    : reclaimable
    ? "yes"
    : "no";
}

/** The tree of a snapshot's meminfo, and the processes' PSS beside its userspace. */
export function systemTreeAnnex(context: ViewContext): ReportAnnex {
  const { snapshot } = context;
  const shmem = mappedShmemKb(snapshot.processes);
  return {
    tree: systemTree(snapshot.meminfo, {
      ...(context.realMemKb !== undefined && { realMemKb: context.realMemKb }),
      ...(context.kernelKb !== undefined && { kernelKb: context.kernelKb }),
      ...(shmem !== undefined && { mappedShmemKb: shmem }),
    }),
    userspace: userspaceGap(snapshot.meminfo, snapshot.processes, snapshot.skipped),
  };
}

export const systemTreeView: ViewModule<SystemTreeRow, SystemTreeColumnId, "system-tree"> = {
  id: "system-tree",
  noun: "memory area",
  summary: "all of RAM as a tree whose lines add up exactly to MemTotal (-w --tree)",
  aliases: [],
  columns: {
    order: {
      id: "order",
      header: "Order",
      description: "place in the tree (parents before children)",
      layout: right(5),
      quantity: "count",
      total: "none",
      value: (r) => r.order,
    },
    item: {
      id: "item",
      header: "Memory",
      description: "the line's name, indented by its depth",
      layout: left(32),
      quantity: "text",
      total: "none",
      value: (r) => "  ".repeat(r.depth) + r.node.name,
    },
    name: {
      id: "name",
      header: "Name",
      description: "the line's name",
      layout: left(24),
      quantity: "text",
      total: "none",
      value: (r) => r.node.name,
    },
    path: {
      id: "path",
      header: "Path",
      description: "names from the root, joined by /",
      layout: left(48),
      quantity: "text",
      total: "none",
      value: (r) => r.path.join("/"),
    },
    depth: {
      id: "depth",
      header: "Depth",
      description: "0 for the root, 1 for its children, ...",
      layout: right(5),
      quantity: "count",
      total: "none",
      value: (r) => r.depth,
    },
    kb: {
      id: "kb",
      header: "Size",
      description:
        "size (the sum of the children's known sizes); unknown where the kernel does not say",
      layout: amountLayout("kB", 10),
      quantity: "memory",
      total: "none",
      value: (r) => r.node.kb ?? undefined,
    },
    reclaimable: {
      id: "reclaimable",
      header: "Reclaimable",
      description: "yes (cache), no, partly (a line mixing both) or unknown",
      layout: left(11),
      quantity: "text",
      total: "none",
      value: (r) => reclaimableWord(r.node),
    },
  },
  defaultColumns: ["item", "kb", "reclaimable"],
  defaultSort: "order",
  measure: "kb",
  labels: ["path", "item", "name", "order", "depth", "reclaimable"],
  diffColumns: ["path", "kb"],
  dataColumns: ["path", "depth", "name", "kb", "reclaimable"],
  depthOf: (row) => row.depth,
  fixedOrder: true,
  options: ["kernel"],
  optionRules: [{
    option: "kernel",
    needs: "realmem",
    why: "the kernel image is part of the RAM beyond MemTotal",
  }],
  // The processes' Pss_Shmem splits shmem; their PSS stands beside userspace.
  reads: () => ({ processes: true, mappings: false, rollupCounters: true }),
  rows: (context) => systemTreeRows(systemTreeAnnex(context).tree),
  // The leaves split the whole; a parent is the sum of its children.
  parts: (rows) => rows.filter((row) => row.node.children === undefined),
  key: (row) => row.path.join("/"),
  name: (row) => row.path.join("/"),
  annex: systemTreeAnnex,
};

/** The rows of the tree, parents first. */
export function systemTreeRows(root: MemoryNode): SystemTreeRow[] {
  return flattenTree(root).map(({ node, depth, path }, order) => ({ order, depth, path, node }));
}
