/**
 * The mapping view (smem -m): mappings summed per name (library, file,
 * [heap], <anonymous>...) over the selected processes.
 *
 * @module
 */

import { addCountersInto, type MutableCounters, ussOf } from "../parse/counters.ts";
import type { Process } from "../snapshot/snapshot.ts";
import { mappingGroupsOf } from "../snapshot/mapping_groups.ts";
import { amountLayout, type Column, left, right } from "./column.ts";
import {
  counterColumns,
  KERNEL_COUNTER_COLUMN_IDS,
  ROLLUP_ONLY_COLUMN_IDS,
  SMEM_COUNTER_COLUMN_IDS,
  type WithCounters,
} from "./counter_columns.ts";
import type { ViewModule } from "./view.ts";

type RollupOnly = typeof ROLLUP_ONLY_COLUMN_IDS[number];
const PER_MAPPING_KERNEL_COLUMN_IDS = KERNEL_COUNTER_COLUMN_IDS.filter(
  (id): id is Exclude<typeof id, RollupOnly> =>
    !(ROLLUP_ONLY_COLUMN_IDS as readonly string[]).includes(id),
);

export const MAPPING_COLUMN_IDS = [
  "map",
  "count",
  "pids",
  ...SMEM_COUNTER_COLUMN_IDS,
  "avgpss",
  "avguss",
  "avgrss",
  ...PER_MAPPING_KERNEL_COLUMN_IDS,
] as const;
export type MappingColumnId = typeof MAPPING_COLUMN_IDS[number];

/** A mapping name and the sums over every mapping of that name. */
export interface MappingRow extends WithCounters {
  readonly map: string;
  /** Number of mappings. */
  readonly count: number;
  /** Number of processes with at least one such mapping. */
  readonly pids: number;
}

/** smem's averages: per process, truncated to an integer. */
function average(
  id: string,
  header: string,
  of: string,
  pick: (row: MappingRow) => number | undefined,
): Column<MappingRow> {
  return {
    id,
    header,
    description: `average ${of} per PID`,
    layout: amountLayout(header),
    quantity: "memory",
    total: "sum",
    value: (row) => {
      const value = pick(row);
      return value === undefined ? undefined : Math.trunc(value / row.pids);
    },
  };
}

const own: Record<"map" | "count" | "pids" | "avgpss" | "avguss" | "avgrss", Column<MappingRow>> = {
  map: {
    id: "map",
    header: "Map",
    description: "mapping name",
    layout: left(40, true),
    quantity: "text",
    total: "count",
    value: (r) => r.map,
  },
  count: {
    id: "count",
    header: "Count",
    description: "number of mappings found",
    layout: right(5),
    quantity: "count",
    total: "sum",
    value: (r) => r.count,
  },
  pids: {
    id: "pids",
    header: "PIDs",
    description: "number of PIDs using mapping",
    layout: right(5),
    quantity: "count",
    total: "sum",
    value: (r) => r.pids,
  },
  avgpss: average("avgpss", "AVGPSS", "PSS", (r) => r.counters.pss),
  avguss: average("avguss", "AVGUSS", "USS", (r) => ussOf(r.counters)),
  avgrss: average("avgrss", "AVGRSS", "RSS", (r) => r.counters.rss),
};

export const mappingView: ViewModule<MappingRow, MappingColumnId, "mappings"> = {
  id: "mappings",
  noun: "mapping",
  summary: "mappings (libraries, files, [heap], <anonymous>) summed per name (smem -m)",
  aliases: ["mapping", "maps"],
  columns: {
    ...own,
    ...counterColumns([...SMEM_COUNTER_COLUMN_IDS, ...PER_MAPPING_KERNEL_COLUMN_IDS], {
      vss: "virtual set size (total virtual address space mapped)",
    }),
  },
  defaultColumns: ["map", "pids", "avgpss", "pss"],
  defaultSort: "pss",
  measure: "pss",
  labels: ["map"],
  diffColumns: ["map", "pids", "pss", "uss", "rss", "swap"],
  options: [],
  reads: () => ({ processes: true, mappings: true, rollupCounters: false }),
  rows: (context) => mappingRows(context.processes),
  key: (row) => row.map,
  name: (row) => row.map,
};

/** One row per mapping name over the selected processes (with full detail). */
export function mappingRows(processes: readonly Process[]): MappingRow[] {
  const byName = new Map<string, { count: number; pids: number; counters: MutableCounters }>();
  for (const process of processes) {
    // A process's groups have one name each: each counts the process once.
    for (const group of mappingGroupsOf(process)) {
      let entry = byName.get(group.name);
      if (entry === undefined) {
        entry = { count: 0, pids: 0, counters: {} };
        byName.set(group.name, entry);
      }
      entry.count += group.count;
      entry.pids++;
      addCountersInto(entry.counters, group.counters);
    }
  }
  return [...byName].map(([map, entry]) => ({ map, ...entry }));
}
