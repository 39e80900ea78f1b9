/**
 * The system view (smem -w): physical memory split into firmware, kernel,
 * userspace and free, from /proc/meminfo.
 *
 * @module
 */

import { MissingMeminfoError } from "./missing_meminfo.ts";
import { type Column, left, memoryColumn, right } from "./column.ts";

export { MissingMeminfoError };
import type { ViewModule } from "./view.ts";

export const SYSTEM_COLUMN_IDS = ["order", "area", "used", "cache", "noncache"] as const;
export type SystemColumnId = typeof SYSTEM_COLUMN_IDS[number];

/** One area of memory, in kB. */
export interface SystemRow {
  readonly order: number;
  readonly area: string;
  readonly used: number;
  /** The part that is reclaimable cache. */
  readonly cache: number;
}

const amount = (
  id: SystemColumnId,
  header: string,
  description: string,
  value: (r: SystemRow) => number,
): Column<SystemRow> => memoryColumn(id, header, description, value);

export const systemView: ViewModule<SystemRow, SystemColumnId, "system"> = {
  id: "system",
  noun: "memory area",
  summary: "physical memory split into firmware, kernel, userspace and free (smem -w)",
  aliases: [],
  columns: {
    order: {
      id: "order",
      header: "Order",
      description: "hierarchical order",
      layout: right(1),
      quantity: "count",
      total: "none",
      value: (r) => r.order,
    },
    area: {
      id: "area",
      header: "Area",
      description: "memory area",
      layout: left(24),
      quantity: "text",
      total: "none",
      value: (r) => r.area,
    },
    // Free memory's "Used" is its size: charts of the areas are of their sizes.
    used: {
      ...amount(
        "used",
        "Used",
        "the area's size (for free memory: how much is free)",
        (r) => r.used,
      ),
      chartName: "Size",
    },
    cache: amount("cache", "Cache", "area used as reclaimable cache", (r) => r.cache),
    noncache: amount("noncache", "Noncache", "area not reclaimable", (r) => r.used - r.cache),
  },
  defaultColumns: ["area", "used", "cache", "noncache"],
  defaultSort: "order",
  measure: "used",
  labels: ["area", "order"],
  diffColumns: ["area", "used", "cache", "noncache"],
  options: ["kernel"],
  reads: () => ({ processes: false, mappings: false, rollupCounters: false }),
  rows: (context) =>
    systemRows(context.snapshot.meminfo, {
      ...(context.realMemKb !== undefined && { realMemKb: context.realMemKb }),
      ...(context.kernelKb !== undefined && { kernelKb: context.kernelKb }),
    }),
  key: (row) => row.area,
  name: (row) => row.area,
};

/** What smem's -R and -K add to meminfo. */
export interface SystemSizes {
  /** -R: the physical RAM, in kB; MemTotal when not given. */
  readonly realMemKb?: number;
  /** -K: the kernel image's size, in kB; 0 when not given. */
  readonly kernelKb?: number;
}

const REQUIRED = [
  "MemTotal",
  "MemFree",
  "AnonPages",
  "Mapped",
  "Buffers",
  "SReclaimable",
  "Cached",
] as const;

/**
 * smem's five areas. Userspace is anonymous plus mapped pages; the kernel's
 * dynamic memory is what is neither free nor userspace, its cache part the
 * buffers, reclaimable slab and unmapped page cache.
 *
 * @throws {MissingMeminfoError} When meminfo lacks a field (old kernels).
 */
export function systemRows(
  meminfo: Readonly<Record<string, number>>,
  sizes: SystemSizes,
): SystemRow[] {
  const missing = REQUIRED.filter((key) => meminfo[key] === undefined);
  if (missing.length > 0) {
    throw new MissingMeminfoError(
      `Cannot show the system view: meminfo has no ${missing.map((k) => `"${k}"`).join(", ")}`,
    );
  }
  const m = (key: typeof REQUIRED[number]): number => meminfo[key]!;
  const kernel = sizes.kernelKb ?? 0;
  const firmware = Math.max((sizes.realMemKb ?? m("MemTotal")) - m("MemTotal") - kernel, 0);
  const userspace = m("AnonPages") + m("Mapped");
  const areas: [string, number, number][] = [
    ["firmware/hardware", firmware, 0],
    ["kernel image", kernel, 0],
    [
      "kernel dynamic memory",
      m("MemTotal") - m("MemFree") - userspace,
      m("Buffers") + m("SReclaimable") + (m("Cached") - m("Mapped")),
    ],
    ["userspace memory", userspace, m("Mapped")],
    ["free memory", m("MemFree"), m("MemFree")],
  ];
  return areas.map(([area, used, cache], order) => ({ order, area, used, cache }));
}
