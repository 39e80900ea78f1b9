/**
 * A trend: how each row's metrics moved over a recording. A fold over the
 * recording's sides, one snapshot at a time, so that a long recording is
 * never held whole: {@link startTrend}, then {@link addSide} per snapshot in
 * order, then {@link finishTrend}. Pure: the sides come from the views.
 *
 * @module
 */

import { type CellValue, isAmount } from "../view/column.ts";
import type { ColumnInfo } from "../view/table.ts";
import type { KeyedSide } from "./diff_table.ts";
import { isLeakSuspect, trendStats } from "./leak.ts";
import { addPoint, samplePoints, type SeriesSample, startSample } from "./series_sample.ts";

/**
 * One metric's series over the snapshots a row is in. Unknown values are
 * left out; every field is undefined where none was known.
 */
export interface Series {
  /** The value at the first snapshot the row is in (with a known value). */
  readonly first: number | undefined;
  /** The value at the last snapshot the row is in (with a known value). */
  readonly last: number | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  /** last - first. */
  readonly growth: number | undefined;
  /**
   * How fast it grew, in its unit per hour: Theil–Sen's slope (the median
   * of the rates between every two snapshots); undefined under 2 values.
   */
  readonly ratePerHour: number | undefined;
  /** The same over the later half of the row's time span: whether it still grows. */
  readonly recentRatePerHour: number | undefined;
  /** Mann–Kendall's Z: how consistently it rose (> 0) or fell; undefined under 2 values. */
  readonly z: number | undefined;
  /**
   * A leak suspect: an amount of memory that grew steadily, small dips
   * allowed ({@link isLeakSuspect}).
   */
  readonly suspect: boolean;
}

/** One row's trend, matched across the snapshots by its key. */
export interface TrendRow {
  readonly key: string;
  /** The label columns' cells, from the last snapshot the row is in. */
  readonly labels: readonly CellValue[];
  /** In how many snapshots the row is. */
  readonly seen: number;
  /** The 0-based index of the first and of the last snapshot the row is in. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** One per metric column, in order. */
  readonly series: readonly Series[];
}

/** A whole trend, rows in the order they first appeared. */
export interface TrendTable {
  /** The columns that name a row (pid, user, command...). */
  readonly labels: readonly ColumnInfo[];
  /** The columns followed (pss, uss...). */
  readonly metrics: readonly ColumnInfo[];
  /** How many snapshots were folded in. */
  readonly snapshots: number;
  /** When the first and the last snapshot were taken; null before any. */
  readonly firstTakenAt: string | null;
  readonly lastTakenAt: string | null;
  readonly rows: readonly TrendRow[];
  /** One per metric: the series of the sides' totals; undefined where it does not sum. */
  readonly totals: readonly (Series | undefined)[];
}

/** The columns of a trend: those that name a row and those followed. */
export interface TrendColumns {
  readonly labels: readonly ColumnInfo[];
  readonly metrics: readonly ColumnInfo[];
}

/** A metric's series so far. */
interface SeriesState {
  first: number | undefined;
  last: number | undefined;
  min: number;
  max: number;
  /** When the first and the last known value were taken, ms. */
  firstAt: number;
  lastAt: number;
  /** The values at their times, in bounded memory. */
  readonly sample: SeriesSample;
}

interface RowState {
  labels: readonly CellValue[];
  seen: number;
  firstSeen: number;
  lastSeen: number;
  readonly series: SeriesState[];
}

/** A trend being folded; opaque to callers. */
export interface Trend {
  readonly _columns: TrendColumns;
  readonly _rows: Map<string, RowState>;
  readonly _totals: SeriesState[];
  _snapshots: number;
  _firstTakenAt: string | null;
  _lastTakenAt: string | null;
  /** Every snapshot had a time: rates can be known. */
  _timed: boolean;
}

/** An empty trend of these columns. */
export function startTrend(columns: TrendColumns): Trend {
  return {
    _columns: columns,
    _rows: new Map(),
    _totals: columns.metrics.map(emptySeries),
    _snapshots: 0,
    _firstTakenAt: null,
    _lastTakenAt: null,
    _timed: true,
  };
}

/**
 * Folds in the next snapshot's side (snapshots in the order they were
 * taken). A key twice on one side is a caller's bug: the last row wins, as
 * in diffSides().
 */
export function addSide(trend: Trend, side: KeyedSide, takenAt: string | null): Trend {
  const index = trend._snapshots;
  // Without a time, the order still ranks values; rates are then unknown.
  const at = takenAt === null ? NaN : Date.parse(takenAt);
  if (Number.isNaN(at)) trend._timed = false;
  const time = trend._timed ? at : index;
  const rows = new Map(side.rows.map((row) => [row.key, row]));
  for (const [key, row] of rows) {
    let state = trend._rows.get(key);
    if (state === undefined) {
      state = {
        labels: row.labels,
        seen: 0,
        firstSeen: index,
        lastSeen: index,
        series: trend._columns.metrics.map(emptySeries),
      };
      trend._rows.set(key, state);
    }
    state.labels = row.labels;
    state.seen++;
    state.lastSeen = index;
    state.series.forEach((series, i) => addValue(series, row.values[i], time));
  }
  trend._totals.forEach((series, i) => addValue(series, side.totals[i], time));
  trend._snapshots++;
  if (index === 0) trend._firstTakenAt = takenAt;
  trend._lastTakenAt = takenAt;
  return trend;
}

/** The trend's table: rows in the order they first appeared. */
export function finishTrend(trend: Trend): TrendTable {
  const { labels, metrics } = trend._columns;
  return {
    labels,
    metrics,
    snapshots: trend._snapshots,
    firstTakenAt: trend._firstTakenAt,
    lastTakenAt: trend._lastTakenAt,
    rows: [...trend._rows].map(([key, state]) => ({
      key,
      labels: state.labels,
      seen: state.seen,
      firstSeen: state.firstSeen,
      lastSeen: state.lastSeen,
      series: state.series.map((series, i) => seriesOf(series, metrics[i]!, trend._timed)),
    })),
    totals: metrics.map((column, i) =>
      column.total === "sum" ? seriesOf(trend._totals[i]!, column, trend._timed) : undefined
    ),
  };
}

function emptySeries(): SeriesState {
  return {
    first: undefined,
    last: undefined,
    min: Infinity,
    max: -Infinity,
    firstAt: NaN,
    lastAt: NaN,
    sample: startSample(),
  };
}

function addValue(series: SeriesState, value: number | undefined, time: number): void {
  if (value === undefined) return;
  if (series.first === undefined) {
    series.first = value;
    series.firstAt = time;
  }
  series.last = value;
  series.lastAt = time;
  series.min = Math.min(series.min, value);
  series.max = Math.max(series.max, value);
  addPoint(series.sample, time, value);
}

function seriesOf(state: SeriesState, metric: ColumnInfo, timed: boolean): Series {
  const { first, last } = state;
  const known = first !== undefined && last !== undefined;
  const growth = known ? last - first : undefined;
  const stats = trendStats(samplePoints(state.sample));
  // Without times, rates are unknown (and so are suspects).
  const ratePerHour = timed ? stats.ratePerHour : undefined;
  const recentRatePerHour = timed ? stats.recentRatePerHour : undefined;
  return {
    first,
    last,
    min: known ? state.min : undefined,
    max: known ? state.max : undefined,
    growth,
    ratePerHour,
    recentRatePerHour,
    z: stats.z,
    suspect: isAmount(metric) &&
      isLeakSuspect({
        growth,
        z: stats.z,
        ratePerHour,
        recentRatePerHour,
        // The whole span: sampled points (bucket means) span a little less.
        spanMs: state.lastAt - state.firstAt,
      }),
  };
}
