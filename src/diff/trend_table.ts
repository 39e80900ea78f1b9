/**
 * A trend as a report table, so that the report renderers (smem's text
 * layout with -k and -p, CSV) print it: the label columns, then per metric
 * its first, last, minimum, maximum and growth, then Seen and Grew.
 *
 * @module
 */

import { amountLayout, type CellValue, left, right } from "../view/column.ts";
import { type ColumnInfo, compareTuples, type Table } from "../view/table.ts";
import type { Series, TrendRow, TrendTable } from "./trend.ts";

/** What a trend table shows of each metric, in order. */
export const TREND_STATS = ["first", "last", "min", "max", "growth"] as const;
export type TrendStat = typeof TREND_STATS[number];

/** How a trend table is sorted. */
export interface TrendSort {
  /**
   * A column id: a metric's (its growth), a metric's statistic
   * (`pss_max`), a label's, `seen` or `grew`. Numbers sort largest first,
   * text in ascending order.
   */
  readonly sort: string;
  /** -r: the other way round. */
  readonly reverse: boolean;
}

/** The id of a metric's statistic column: `pss_growth`. */
export function statColumnId(metric: string, stat: TrendStat): string {
  return `${metric}_${stat}`;
}

/** The columns of a trend table, as {@link trendTable} lays them out. */
export function trendColumns(trend: Pick<TrendTable, "labels" | "metrics">): ColumnInfo[] {
  const stats = trend.metrics.flatMap((metric) =>
    TREND_STATS.map((stat): ColumnInfo => {
      const header = `${metric.header} ${stat}`;
      return {
        id: statColumnId(metric.id, stat),
        header,
        description: `${metric.description}: ${STAT_DESCRIPTIONS[stat]}`,
        layout: amountLayout(header, metric.layout.width),
        quantity: metric.quantity,
        total: metric.total === "sum" ? "sum" : "none",
      };
    })
  );
  const grewWidth = trend.metrics.map((m) => m.header.length + 1).reduce((a, b) => a + b, 0) - 1;
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
      id: "grew",
      header: "Grew",
      description: "The metrics that never decreased and ended higher: leak suspects",
      layout: left(Math.max(4, grewWidth)),
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
};

/** Whether a sort id names a column of this trend's table. */
export function isTrendSort(trend: Pick<TrendTable, "labels" | "metrics">, id: string): boolean {
  return trend.metrics.some((m) => m.id === id) || trendColumns(trend).some((c) => c.id === id);
}

/**
 * Sorts a trend's rows by the sort column: the metrics' statistics and Seen
 * largest first, labels and Grew ascending (the other way round with
 * `reverse`), ties broken by the row's cells from left to right, ascending
 * (rows that did not move read in name order). A sort id
 * the table does not have sorts by the first metric's growth.
 */
export function sortTrend(trend: TrendTable, request: TrendSort): TrendTable {
  const columns = trendColumns(trend);
  const sortAt = sortIndex(columns, trend, request.sort);
  const descending = sortAt >= trend.labels.length && columns[sortAt]?.id !== "grew";
  const direction = (descending ? -1 : 1) * (request.reverse ? -1 : 1);
  const keyed = trend.rows.map((row) => ({ cells: cellsOf(trend, row), row }));
  keyed.sort((a, b) =>
    direction * compareTuples([a.cells[sortAt]], [b.cells[sortAt]]) ||
    compareTuples(a.cells, b.cells)
  );
  return { ...trend, rows: keyed.map((k) => k.row) };
}

/** Builds the table, rows in the trend's order (see {@link sortTrend}). */
export function trendTable(trend: TrendTable): Table {
  return {
    columns: trendColumns(trend),
    rows: trend.rows.map((row) => cellsOf(trend, row)),
    totals: [
      ...trend.labels.map((column, i) => labelTotal(column, trend.rows.map((r) => r.labels[i]))),
      ...trend.totals.flatMap((series) => series === undefined ? NO_STATS : statCells(series)),
      trend.snapshots,
      grewCell(trend, trend.totals),
    ],
  };
}

function cellsOf(trend: TrendTable, row: TrendRow): CellValue[] {
  return [
    ...row.labels,
    ...row.series.flatMap(statCells),
    row.seen,
    grewCell(trend, row.series),
  ];
}

const NO_STATS: readonly CellValue[] = TREND_STATS.map(() => undefined);

function statCells(series: Series): CellValue[] {
  return TREND_STATS.map((stat) => series[stat]);
}

/** The headers of the metrics that only grew, `PSS,RSS`; unknown when none did. */
function grewCell(trend: TrendTable, series: readonly (Series | undefined)[]): CellValue {
  const grew = grewMetrics(trend, series);
  return grew.length === 0 ? undefined : grew.map((m) => m.header).join(",");
}

/** The metrics whose series only grew: leak suspects. */
export function grewMetrics(
  trend: Pick<TrendTable, "metrics">,
  series: readonly (Series | undefined)[],
): ColumnInfo[] {
  return trend.metrics.filter((_, i) => series[i]?.grewOnly === true);
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
