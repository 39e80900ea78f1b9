/**
 * What each kind of result is, as the renderers take it: a report, a diff,
 * a trend, an archive's list of snapshots. The use cases (src/app) return
 * these with their diagnostics; the front ends render them.
 *
 * @module
 */

import type { SnapshotSummary } from "../archive/format.ts";
import type { RecordedGap, RecordingEnd, RecordingMeta } from "../archive/format.ts";
import type { DiffTableStyle } from "../diff/diff_report.ts";
import type { DiffTable } from "../diff/diff_table.ts";
import type { Crossings } from "../diff/threshold_eval.ts";
import type { TrendTable } from "../diff/trend.ts";
import type { TrendTableStyle } from "../diff/trend_table.ts";
import type { ViewId } from "../view/registry.ts";
import type { Table } from "../view/table.ts";
import type { ReportAnnex } from "../view/view.ts";
import type { SideMeta } from "./diff_json.ts";
import type { ReportMeta } from "./report_json.ts";
import type { TrendMeta } from "./trend_json.ts";

/** A report: a view's table, where it comes from, and what the view adds. */
export interface ReportDocument {
  readonly table: Table;
  readonly meta: ReportMeta;
  readonly annex?: ReportAnnex;
}

/** A diff of two snapshots in one view, sorted, with what --fail-if found. */
export interface DiffDocument {
  readonly diff: DiffTable;
  readonly view: ViewId;
  readonly sort: string;
  readonly sides: { readonly a: SideMeta; readonly b: SideMeta };
  /** How the text table shows it: which metric in full, percentages capped. */
  readonly style: DiffTableStyle;
  /** What --fail-if found; undefined without thresholds. */
  readonly thresholds?: Crossings;
}

/** Each row's course over a recording. */
export interface TrendDocument {
  readonly trend: TrendTable;
  /** How the text table shows it: the one metric shown without -c. */
  readonly style: TrendTableStyle;
  readonly meta: TrendMeta;
}

/** One snapshot of an archive, as `memsnap list` shows it. */
export interface ListRow extends SnapshotSummary {
  readonly index: number;
  readonly takenAt: string | null;
  /** ms late against the schedule; null outside a recording. */
  readonly lateMs: number | null;
  /** Scheduled snapshots missing before this one (a pulled recording's gap); absent: none. */
  readonly gap?: RecordedGap;
}

/** An archive's snapshots. */
export interface ListDocument {
  /** The recording's metadata; null for a single snapshot. */
  readonly recording: RecordingMeta | null;
  /** How the recording ended; null when it did not end cleanly. */
  readonly end: RecordingEnd | null;
  readonly snapshots: readonly ListRow[];
}

/** The documents by result kind. */
export interface Documents {
  readonly report: ReportDocument;
  readonly diff: DiffDocument;
  readonly trend: TrendDocument;
  readonly list: ListDocument;
}

export type ResultKind = keyof Documents;
