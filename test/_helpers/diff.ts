/**
 * Diffs of two fixture snapshots for the diff chart tests, built as
 * `memsnap diff` builds them.
 *
 * @module
 */

import { diffOf as diffSnapshots, type DiffResult } from "../../src/app/diff.ts";
import { diffChart } from "../../src/app/diff_chart.ts";
import type { DiffTable } from "../../src/diff/diff_table.ts";
import type { ChartFile } from "../../src/cli/view_args.ts";
import type { Io } from "../../src/cli/io.ts";
import { writeChart } from "../../src/cli/output.ts";
import type { SideMeta } from "../../src/render/diff_json.ts";
import { type ViewId, viewOf } from "../../src/view/registry.ts";
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
  view: ViewId,
  columns: readonly string[] = viewOf(view).diffColumns,
): DiffTable {
  return diffSnapshots(a, b, { view, columns }, { filters: {}, numeric: false });
}

/** A diff's chart, as `memsnap diff --bar` asks for it. */
export interface DiffChartArgs extends ChartFile {
  readonly label?: string;
}

/**
 * Writes a diff's chart as `memsnap diff --bar` does: the chart of the
 * diff sorted by `metric` (none: by a label, which draws PSS or the first
 * amount), into the chart's file.
 */
export async function writeDiffChart(
  diff: DiffTable,
  context: {
    readonly chart: DiffChartArgs;
    readonly view: ViewId;
    readonly metric?: string;
    readonly sides: readonly [DiffSideOrigin, DiffSideOrigin];
    readonly io: Io;
  },
): Promise<void> {
  const { chart, view, sides, io } = context;
  const side = (origin: DiffSideOrigin) => origin as unknown as SideMeta;
  const result: DiffResult = {
    diff,
    view,
    sort: context.metric ?? diff.labels[0]?.id ?? "pss",
    sides: { a: side(sides[0]), b: side(sides[1]) },
    style: {},
    diagnostics: [],
  };
  const drawn = diffChart(result, {
    ...(chart.label !== undefined && { label: chart.label }),
    ...(chart.top !== undefined && { top: chart.top }),
    ...(chart.width !== undefined && { width: chart.width }),
    ...(chart.height !== undefined && { height: chart.height }),
  });
  await writeChart(drawn.spec, { file: chart, chosen: drawn.name, io });
}
