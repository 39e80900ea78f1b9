/**
 * What the views that show processes need read, by the columns asked for.
 *
 * @module
 */

import { EXACT_COLUMN_IDS } from "./exact_columns.ts";
import type { Reading } from "./view.ts";

/** Columns that need every mapping (full smaps): smaps_rollup has no Size sum or count. */
const MAPPING_DERIVED: ReadonlySet<string> = new Set(["vss", "maps"]);
/** Columns only smaps_rollup has (Pss_Anon, Pss_File, Pss_Shmem). */
const ROLLUP_ONLY: ReadonlySet<string> = new Set(["pss_anon", "pss_file", "pss_shmem"]);

/** The processes, with mappings or the rollup's own counters when a column needs them. */
export function processReading(asked: readonly string[], more: Partial<Reading> = {}): Reading {
  return {
    processes: true,
    mappings: asked.some((id) => MAPPING_DERIVED.has(id)),
    rollupCounters: asked.some((id) => ROLLUP_ONLY.has(id)),
    ...(asked.some((id) => EXACT_COLUMN_IDS.has(id)) && { exact: true }),
    ...more,
  };
}
