/**
 * A trend as a report table, so that the report renderers (smem's text
 * layout with -k and -p, CSV) print it: the label columns, then per metric
 * its first, last, minimum, maximum, growth and rate, then Seen and
 * Suspect (the metrics that grew steadily: leak suspects).
 *
 * @module
 */

import { amountLayout, type CellValue, left, right } from "../view/column.ts";
import { type ColumnInfo, compareTuples, type Table } from "../view/table.ts";
import { type DiffViewRequest, textStyle } from "./diff_view.ts";
import type { Series, TrendRow, TrendTable } from "./trend.ts";

/** What a trend table shows of each metric, in order. */
export const TREND_STATS = ["first", "last", "min", "max", "growth", "rate"] as const;
export type TrendStat = typeof TREND_STATS[number];

/** What the text table shows of the one metric it shows by default (see {@link trendStyle}). */
const BRIEF_STATS: readonly TrendStat[] = ["first", "last", "growth", "rate"];

/** The units a rate is shown in: per minute, or per hour. */
export const RATE_UNITS = {
  min: { ms: 60_000, header: "/min", words: "per minute" },
  h: { ms: 3_600_000, header: "/h", words: "per hour" },
} as const;
export type RateUnit = keyof typeof RATE_UNITS;

/** How a trend reads as a table. */
export interface TrendTableStyle {
  /** The rate's unit; by default per minute for a recording under an hour, else per hour. */
  readonly rateUnit?: RateUnit;
  /**
   * The one metric shown (its first, last, growth and rate), beside Seen
   * and Suspect; undefined: every statistic of every metric.
   */
  readonly brief?: string;
}

/** How a trend table is sorted. */
export interface TrendSort {
  /**
   * A column id: a metric's (its growth), a metric's statistic
   * (`pss_max`), a label's, `seen` or `suspect`. Numbers sort largest
   * first, text in ascending order.
   */
  readonly sort: string;
  /** -r: the other way round. */
  readonly reverse: boolean;
}

/** The id of a metric's statistic column: `pss_growth`. */
export function statColumnId(metric: string, stat: TrendStat): string {
  return `${metric}_${stat}`;
}

/** The unit a style asks for, or the one that reads best for the trend's span. */
export function rateUnitOf(
  trend: Pick<TrendTable, "firstTakenAt" | "lastTakenAt">,
  style: TrendTableStyle = {},
): RateUnit {
  if (style.rateUnit !== undefined) return style.rateUnit;
  const span = Date.parse(trend.lastTakenAt ?? "") - Date.parse(trend.firstTakenAt ?? "");
  return span >= RATE_UNITS.h.ms ? "h" : "min";
}

/** The columns of a trend table, as {@link trendTable} lays them out (every column). */
export function trendColumns(
  trend: Pick<TrendTable, "labels" | "metrics" | "firstTakenAt" | "lastTakenAt">,
  style: TrendTableStyle = {},
): ColumnInfo[] {
  const unit = RATE_UNITS[rateUnitOf(trend, style)];
  const stats = trend.metrics.flatMap((metric) =>
    TREND_STATS.map((stat): ColumnInfo => {
      const rate = stat === "rate";
      const header = rate ? `${metric.header}${unit.header}` : `${metric.header} ${stat}`;
      return {
        id: statColumnId(metric.id, stat),
        header,
        description: `${metric.description}: ${
          rate ? `${STAT_DESCRIPTIONS.rate} (${unit.words})` : STAT_DESCRIPTIONS[stat]
        }`,
        layout: amountLayout(header, metric.layout.width),
        quantity: metric.quantity,
        total: metric.total === "sum" ? "sum" : "none",
        ...((stat === "growth" || rate) && { signed: true }),
      };
    })
  );
  const suspectWidth = trend.metrics.map((m) => m.header.length + 1).reduce((a, b) => a + b, 0) -
    1;
  return [
    ...trend.labels,
    ...stats,
    {
      id: "seen",
      header: "Seen",
      description: "In how many snapshots the row is (totals: of how many)",
      layout: right(5),
      quantity: "count",
      total: "count",
    },
    {
      id: "suspect",
      header: "Suspect",
      description: "The metrics that grew steadily, small dips allowed: leak suspects",
      layout: left(Math.max(7, suspectWidth)),
      quantity: "text",
      total: "count",
    },
  ];
}

const STAT_DESCRIPTIONS: Record<TrendStat, string> = {
  first: "at the first snapshot the row is in",
  last: "at the last snapshot the row is in",
  min: "the least",
  max: "the most",
  growth: "last - first",
  rate: "how fast it grew, Theil-Sen's slope",
};

/**
 * The text table's style for a request: with the view's default columns
 * (no -c), only the sort metric (its first, last, growth and rate; PSS
 * under a label sort) beside Seen and Suspect, so that the table fits 120
 * columns; every column otherwise.
 */
export function trendStyle(
  trend: Pick<TrendTable, "metrics">,
  view: DiffViewRequest,
  sort: string,
): TrendTableStyle {
  const metric = trend.metrics.find((m) =>
    sort === m.id || TREND_STATS.some((stat) => sort === statColumnId(m.id, stat))
  );
  const { full } = textStyle(view, metric?.id ?? sort);
  return full === undefined ? {} : { brief: full };
}

/** Whether a sort id names a column of this trend's table. */
export function isTrendSort(
  trend: Pick<TrendTable, "labels" | "metrics" | "firstTakenAt" | "lastTakenAt">,
  id: string,
): boolean {
  return trend.metrics.some((m) => m.id === id) || trendColumns(trend).some((c) => c.id === id);
}

/**
 * Sorts a trend's rows by the sort column: the metrics' statistics and Seen
 * and Suspect largest first (suspects before the rest), labels ascending
 * (the other way round with `reverse`), ties broken by the row's cells from left to right, ascending
 * (rows that did not move read in name order). A sort id
 * the table does not have sorts by the first metric's growth.
 */
export function sortTrend(trend: TrendTable, request: TrendSort): TrendTable {
  const columns = trendColumns(trend);
  const sortAt = sortIndex(columns, trend, request.sort);
  const descending = sortAt >= trend.labels.length;
  const direction = (descending ? -1 : 1) * (request.reverse ? -1 : 1);
  const keyed = trend.rows.map((row) => ({ cells: cellsOf(trend, row), row }));
  keyed.sort((a, b) =>
    direction * compareTuples([a.cells[sortAt]], [b.cells[sortAt]]) ||
    compareTuples(a.cells, b.cells)
  );
  return { ...trend, rows: keyed.map((k) => k.row) };
}

/**
 * Builds the table, rows in the trend's order (see {@link sortTrend}):
 * every column, or those the style keeps.
 */
export function trendTable(trend: TrendTable, style: TrendTableStyle = {}): Table {
  const unitMs = RATE_UNITS[rateUnitOf(trend, style)].ms;
  const columns = trendColumns(trend, style);
  const table: Table = {
    columns,
    rows: trend.rows.map((row) => cellsOf(trend, row, unitMs)),
    totals: [
      ...trend.labels.map((column, i) => labelTotal(column, trend.rows.map((r) => r.labels[i]))),
      ...trend.totals.flatMap((series) =>
        series === undefined ? NO_STATS : statCells(series, unitMs)
      ),
      trend.snapshots,
      suspectCell(trend, trend.totals),
    ],
  };
  const { brief } = style;
  if (brief === undefined) return table;
  const kept = new Set([
    ...trend.labels.map((l) => l.id),
    ...BRIEF_STATS.map((stat) => statColumnId(brief, stat)),
    "seen",
    "suspect",
  ]);
  const at = columns.flatMap((column, i) => kept.has(column.id) ? [i] : []);
  const pick = (cells: readonly CellValue[]) => at.map((i) => cells[i]);
  return {
    columns: at.map((i) => columns[i]!),
    rows: table.rows.map(pick),
    totals: pick(table.totals),
  };
}

function cellsOf(trend: TrendTable, row: TrendRow, unitMs: number = RATE_UNITS.h.ms): CellValue[] {
  return [
    ...row.labels,
    ...row.series.flatMap((series) => statCells(series, unitMs)),
    row.seen,
    suspectCell(trend, row.series),
  ];
}

const NO_STATS: readonly CellValue[] = TREND_STATS.map(() => undefined);

/** A series' statistics; its rate in kB per unit, whole. */
function statCells(series: Series, unitMs: number): CellValue[] {
  return TREND_STATS.map((stat) =>
    stat === "rate"
      ? series.ratePerHour === undefined
        ? undefined
        : Math.round(series.ratePerHour * unitMs / RATE_UNITS.h.ms)
      : series[stat]
  );
}

/** The headers of the metrics suspected of leaking, `PSS,RSS`; unknown when none is. */
function suspectCell(trend: TrendTable, series: readonly (Series | undefined)[]): CellValue {
  const suspects = suspectMetrics(trend, series);
  return suspects.length === 0 ? undefined : suspects.map((m) => m.header).join(",");
}

/** The metrics whose series grew steadily: leak suspects. */
export function suspectMetrics(
  trend: Pick<TrendTable, "metrics">,
  series: readonly (Series | undefined)[],
): ColumnInfo[] {
  return trend.metrics.filter((_, i) => series[i]?.suspect === true);
}

function sortIndex(columns: readonly ColumnInfo[], trend: TrendTable, id: string): number {
  const metric = trend.metrics.find((m) => m.id === id);
  const wanted = metric === undefined ? id : statColumnId(metric.id, "growth");
  const at = columns.findIndex((c) => c.id === wanted);
  if (at !== -1) return at;
  const first = trend.metrics[0];
  return first === undefined
    ? 0
    : columns.findIndex((c) => c.id === statColumnId(first.id, "growth"));
}

/** A label column's total, as the reports total it, over every row of the trend. */
function labelTotal(column: ColumnInfo, values: readonly CellValue[]): CellValue {
  switch (column.total) {
    case "count":
      return values.length;
    case "distinct":
      return new Set(values).size;
    case "sum":
    case "none":
      return undefined;
  }
}
