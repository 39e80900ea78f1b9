/**
 * Diffs of two fixture snapshots for the diff chart tests, built as
 * `memsnap diff` builds them.
 *
 * @module
 */

import { diffOf as diffSnapshots } from "../../src/cli/diff.ts";
import type { DiffTable } from "../../src/diff/diff_table.ts";
import { DIFF_VIEW_SPECS, type DiffViewId } from "../../src/diff/diff_view.ts";
import type { DiffSideOrigin } from "../../src/chart/diff_spec.ts";
import { loadSnapshot } from "../../src/snapshot/load_snapshot.ts";
import type { Snapshot } from "../../src/snapshot/snapshot.ts";
import { openSource } from "../../src/source/open_source.ts";
import { ROOT } from "./memsnap.ts";

/** The recording of four growing workers (fixtures/charts/README.md): 30 snapshots. */
export const WORKLOAD = `${ROOT}fixtures/charts/workload.tar.gz`;

/** A snapshot of a source (`FILE@N`), and how a chart names it. */
export async function sideOf(
  spec: string,
): Promise<{ snapshot: Snapshot; origin: DiffSideOrigin }> {
  const source = await openSource(spec);
  const snapshot = await loadSnapshot(source, {
    processes: true,
    mappings: false,
    rollupCounters: false,
  });
  return {
    snapshot,
    origin: {
      hostname: snapshot.host.hostname,
      takenAt: snapshot.takenAt,
      source: source.label.replace(ROOT, ""),
    },
  };
}

/**
 * The diff of two snapshots in a view, as `memsnap diff` builds it, with
 * the view's default diff columns (or `columns`).
 */
export function diffOf(
  a: Snapshot,
  b: Snapshot,
  view: DiffViewId,
  columns: readonly string[] = DIFF_VIEW_SPECS[view].defaultColumns,
): DiffTable {
  return diffSnapshots(a, b, { view, columns }, { filters: {}, numeric: false });
}
