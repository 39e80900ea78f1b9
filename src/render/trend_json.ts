/**
 * The JSON form of a trend (`memsnap diff REC --each --format json`; schema:
 * docs/trend.schema.json). Values are raw: kB integers whatever -k or -p
 * say; unknown values are null.
 *
 * @module
 */

import type { Series, TrendTable } from "../diff/trend.ts";
import { suspectMetrics } from "../diff/trend_table.ts";
import type { ColumnInfo } from "../view/table.ts";
import { labelsJson } from "./diff_row_json.ts";
import { type SkippedCounts, UNITS } from "./report_json.ts";
import { jsonText } from "./terminal_text.ts";

/**
 * The version of the JSON trend format. 2: leak suspects by a trend test
 * (`suspects`, and per series `suspect`, `ratePerHour`, `recentRatePerHour`,
 * `z`) replace the rows that only grew (`grew`, `grewOnly`); `skipped`,
 * as in the reports; labels by id, as in the diff's rows.
 */
export const TREND_FORMAT_VERSION = 2;

/** Where a trend's numbers come from. */
export interface TrendMeta {
  readonly view: string;
  /** The recording's file, as given. */
  readonly recording: string;
  readonly hostname: string | null;
  /** What -p takes shares of, at the last snapshot: MemTotal (or -R) and SwapTotal, kB. */
  readonly memTotal: number;
  readonly swapTotal: number;
  /** The most processes any one snapshot left out, per reason. */
  readonly skipped: SkippedCounts;
}

/** Renders a trend as JSON, rows in the trend's order, ending with a newline. */
export function renderTrendJson(trend: TrendTable, meta: TrendMeta): string {
  const column = (c: ColumnInfo) => ({ id: c.id, header: c.header, unit: UNITS[c.quantity] });
  const byMetric = (series: readonly (Series | undefined)[]) =>
    Object.fromEntries(
      trend.metrics.flatMap((m, i) => {
        const s = series[i];
        return s === undefined ? [] : [[m.id, seriesJson(s)]];
      }),
    );
  const document = {
    format: "memsnap-trend",
    version: TREND_FORMAT_VERSION,
    view: meta.view,
    recording: meta.recording,
    hostname: meta.hostname,
    snapshots: trend.snapshots,
    firstTakenAt: trend.firstTakenAt,
    lastTakenAt: trend.lastTakenAt,
    memTotal: meta.memTotal,
    swapTotal: meta.swapTotal,
    skipped: meta.skipped,
    columns: {
      labels: trend.labels.map(column),
      metrics: trend.metrics.map((m) => ({ ...column(m), total: m.total })),
    },
    rows: trend.rows.map((row) => ({
      key: row.key,
      labels: labelsJson(trend.labels, row.labels),
      seen: row.seen,
      firstSeen: row.firstSeen,
      lastSeen: row.lastSeen,
      suspects: suspectMetrics(trend, row.series).map((m) => m.id),
      metrics: byMetric(row.series),
    })),
    totals: byMetric(trend.totals),
  };
  return jsonText(document) + "\n";
}

function seriesJson(series: Series) {
  return {
    first: series.first ?? null,
    last: series.last ?? null,
    min: series.min ?? null,
    max: series.max ?? null,
    growth: series.growth ?? null,
    ratePerHour: series.ratePerHour ?? null,
    recentRatePerHour: series.recentRatePerHour ?? null,
    z: series.z ?? null,
    suspect: series.suspect,
  };
}
