/**
 * The memory columns every process-based view shares (smem's swap, uss, rss,
 * pss, vss, plus the kernel's newer counters), defined once.
 *
 * @module
 */

import { type Counters, dirtyOf, ussOf } from "../parse/counters.ts";
import { amountLayout, type Column, type Quantity } from "./column.ts";

/** A row that carries summed counters. */
export interface WithCounters {
  readonly counters: Counters;
}

/** smem's own memory columns, in smem's order of description. */
export const SMEM_COUNTER_COLUMN_IDS = ["swap", "uss", "rss", "pss", "vss"] as const;

/** Columns beyond smem's, from today's kernels. */
export const KERNEL_COUNTER_COLUMN_IDS = [
  "swappss",
  "pss_anon",
  "pss_file",
  "pss_shmem",
  "pss_dirty",
  "dirty",
  "shared_clean",
  "shared_dirty",
  "private_clean",
  "private_dirty",
  "referenced",
  "anonymous",
  "thp",
  "locked",
] as const;

/** Kernel columns that exist only per process (smaps_rollup), not per mapping. */
export const ROLLUP_ONLY_COLUMN_IDS = ["pss_anon", "pss_file", "pss_shmem"] as const;

export type CounterColumnId =
  | typeof SMEM_COUNTER_COLUMN_IDS[number]
  | typeof KERNEL_COUNTER_COLUMN_IDS[number];

interface Definition {
  readonly header: string;
  readonly description: string;
  readonly quantity: Quantity;
  readonly value: (counters: Counters) => number | undefined;
}

const DEFINITIONS: Record<CounterColumnId, Definition> = {
  swap: {
    header: "Swap",
    description: "amount of swap space consumed (ignoring sharing)",
    quantity: "swap",
    value: (c) => c.swap,
  },
  uss: {
    header: "USS",
    description: "unique set size",
    quantity: "memory",
    value: ussOf,
  },
  rss: {
    header: "RSS",
    description: "resident set size (ignoring sharing)",
    quantity: "memory",
    value: (c) => c.rss,
  },
  pss: {
    header: "PSS",
    description: "proportional set size (including sharing)",
    quantity: "memory",
    value: (c) => c.pss,
  },
  vss: {
    header: "VSS",
    description: "virtual set size (total virtual memory mapped)",
    quantity: "memory",
    value: (c) => c.size,
  },
  swappss: {
    header: "SwapPSS",
    description: "proportional swap share (SwapPss)",
    quantity: "swap",
    value: (c) => c.swapPss,
  },
  pss_anon: {
    header: "PSS_Anon",
    description: "PSS of anonymous memory (Pss_Anon, smaps_rollup only)",
    quantity: "memory",
    value: (c) => c.pssAnon,
  },
  pss_file: {
    header: "PSS_File",
    description: "PSS of file-backed memory (Pss_File, smaps_rollup only)",
    quantity: "memory",
    value: (c) => c.pssFile,
  },
  pss_shmem: {
    header: "PSS_Shmem",
    description: "PSS of shared memory and tmpfs (Pss_Shmem, smaps_rollup only)",
    quantity: "memory",
    value: (c) => c.pssShmem,
  },
  pss_dirty: {
    header: "PSS_Dirty",
    description: "PSS of dirty pages (Pss_Dirty)",
    quantity: "memory",
    value: (c) => c.pssDirty,
  },
  dirty: {
    header: "Dirty",
    description: "dirty pages, shared or not (Private_Dirty + Shared_Dirty)",
    quantity: "memory",
    value: dirtyOf,
  },
  shared_clean: {
    header: "Shr_Clean",
    description: "clean pages shared with other processes (Shared_Clean)",
    quantity: "memory",
    value: (c) => c.sharedClean,
  },
  shared_dirty: {
    header: "Shr_Dirty",
    description: "dirty pages shared with other processes (Shared_Dirty)",
    quantity: "memory",
    value: (c) => c.sharedDirty,
  },
  private_clean: {
    header: "Priv_Clean",
    description: "clean pages of this process alone (Private_Clean)",
    quantity: "memory",
    value: (c) => c.privateClean,
  },
  private_dirty: {
    header: "Priv_Dirty",
    description: "dirty pages of this process alone (Private_Dirty)",
    quantity: "memory",
    value: (c) => c.privateDirty,
  },
  referenced: {
    header: "Referenced",
    description: "pages marked referenced or accessed (Referenced)",
    quantity: "memory",
    value: (c) => c.referenced,
  },
  anonymous: {
    header: "Anonymous",
    description: "pages not backed by a file (Anonymous)",
    quantity: "memory",
    value: (c) => c.anonymous,
  },
  thp: {
    header: "THP",
    description: "anonymous transparent huge pages (AnonHugePages)",
    quantity: "memory",
    value: (c) => c.anonHugePages,
  },
  locked: {
    header: "Locked",
    description: "pages locked in memory (Locked)",
    quantity: "memory",
    value: (c) => c.locked,
  },
};

/**
 * The catalogue entries for the given counter columns.
 *
 * @param overrides Descriptions that differ in a view (smem words a few
 *   differently per view).
 */
export function counterColumns<Id extends CounterColumnId>(
  ids: readonly Id[],
  overrides: Partial<Record<Id, string>> = {},
): Record<Id, Column<WithCounters>> {
  return Object.fromEntries(ids.map((id) => {
    const { header, description, quantity, value } = DEFINITIONS[id];
    const column: Column<WithCounters> = {
      id,
      header,
      description: overrides[id] ?? description,
      layout: amountLayout(header),
      quantity,
      total: "sum",
      value: (row) => value(row.counters),
    };
    return [id, column];
  })) as Record<Id, Column<WithCounters>>;
}
