/**
 * The trend (`memsnap diff REC --each`): how each row of a view moved over
 * a recording. The recording is read once, front to back; each snapshot is
 * reduced to its side of the view as soon as it is complete and folded in,
 * so a long recording needs no more memory than one snapshot and the trend.
 *
 * @module
 */

import { diffColumns, sideOf } from "../diff/diff_view.ts";
import { addSide, finishTrend, startTrend } from "../diff/trend.ts";
import { sortTrend, trendStyle } from "../diff/trend_table.ts";
import { SourceError } from "../errors/source_error.ts";
import { compileSelection } from "../select/select.ts";
import type { TrendDocument } from "../render/documents.ts";
import { viewOf } from "../view/registry.ts";
import type { SkippedCounts } from "../render/report_json.ts";
import { type Diagnostic, diagnosticsSink, skippedDiagnostics } from "./diagnostics.ts";
import { eachSnapshot } from "./each_snapshot.ts";
import { skippedCounts } from "./report.ts";
import type { DiffViewQuery } from "./diff.ts";
import { readingFor, type RowOptions, viewContext } from "./view_query.ts";

/** A trend, as a front end asks for it. */
export interface TrendQuery extends RowOptions {
  /** The recording. */
  readonly recording: string;
  /** The view and its columns (names, and the metrics followed); sorted by `sort`'s growth. */
  readonly view: DiffViewQuery;
}

/** A trend and what the user should know of it. */
export interface TrendResult extends TrendDocument {
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Follows every row of a view over a recording.
 *
 * @throws {SourceError} When a snapshot has no time, or the recording has
 *   fewer than two snapshots.
 */
export async function runTrend(query: TrendQuery): Promise<TrendResult> {
  const { diagnostics, warn } = diagnosticsSink();
  const file = query.recording;
  const trend = startTrend(diffColumns(query.view));
  const reading = readingFor([query.view], query.selection);
  // Before any source is read: a pattern RE2 refuses is a usage error.
  const rows = { ...query, filters: await compileSelection(query.selection) };
  // Only a tree orders its rows by the sort: siblings, which the trend re-sorts.
  const order = { sort: viewOf(query.view.view).defaultSort, reverse: false };
  const last = { hostname: null as string | null, memTotal: 0, swapTotal: 0 };
  // The most any one snapshot left out, per reason.
  let skipped: SkippedCounts = { unreadable: 0, vanished: 0, kernelThreads: 0, withoutMappings: 0 };
  const result = await eachSnapshot(file, async ({ index, load }) => {
    const snapshot = await load(reading);
    if (snapshot.takenAt === null) {
      throw new SourceError(
        `Cannot follow "${file}": snapshot ${index} has no time (not a memsnap recording?)`,
      );
    }
    addSide(trend, sideOf(viewContext(snapshot, order, rows), query.view), snapshot.takenAt);
    last.hostname = snapshot.host.hostname;
    last.memTotal = query.realMemKb ?? snapshot.meminfo.MemTotal ?? 0;
    last.swapTotal = snapshot.meminfo.SwapTotal ?? 0;
    const counts = skippedCounts(snapshot, rows.filters);
    skipped = {
      unreadable: Math.max(skipped.unreadable, counts.unreadable),
      vanished: Math.max(skipped.vanished, counts.vanished),
      kernelThreads: Math.max(skipped.kernelThreads, counts.kernelThreads),
      withoutMappings: Math.max(skipped.withoutMappings, counts.withoutMappings),
    };
  });
  if (result.warning !== null) warn(result.warning);
  const table = sortTrend(finishTrend(trend), query.view);
  if (table.snapshots < 2) {
    throw new SourceError(
      `Cannot follow "${file}": a trend needs a recording of 2 snapshots or more (it has ${table.snapshots})`,
    );
  }
  return {
    trend: table,
    style: trendStyle(table, query.view, query.view.sort),
    meta: {
      view: query.view.view,
      recording: file,
      hostname: result.recording?.hostname ?? last.hostname,
      memTotal: last.memTotal,
      swapTotal: last.swapTotal,
      skipped,
    },
    diagnostics: [
      ...diagnostics,
      ...skippedDiagnostics(skipped, `"${file}"`).map(({ message }) => ({
        message: `in a snapshot, up to ${message}`,
      })),
    ],
  };
}
