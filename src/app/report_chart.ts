/**
 * A report drawn as smem's pie or bar chart (--pie, --bar): the view's
 * rows that split the whole, with the chart's label and size columns
 * appended to the ones shown (as smem appends the chart's field), as a
 * Vega-Lite spec and the name it is written under when none is given.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { barSpec } from "../chart/bar_spec.ts";
import { barRows, pieRows } from "../chart/chart_rows.ts";
import { defaultChartName } from "../chart/file_name.ts";
import { PIE_MAX_ROWS, pieSpec } from "../chart/pie_spec.ts";
import type { ChartOrigin } from "../chart/style.ts";
import { UsageError } from "../errors/memsnap_error.ts";
import { chartName, isAmount } from "../view/column.ts";
import { viewOf } from "../view/registry.ts";
import { isColumnOf } from "../view/view.ts";
import type { Diagnostic } from "./diagnostics.ts";
import { type ReportQuery, runReport } from "./report.ts";
import { knownColumns } from "./view_query.ts";

/** Default sizes (CSS px): the whole picture, title and legend included. */
export const PIE_SIZE = { width: 640, height: 420 } as const;
export const BAR_WIDTH = 800;
export const BAR_TOP = 20;

/** A chart of a report, as a front end asks for it. */
export interface ReportChartQuery {
  readonly kind: "pie" | "bar";
  /** The column that labels the slices or bars. */
  readonly field: string;
  /** A pie of the rows alone, without the memory no row uses. */
  readonly noUnused: boolean;
  /** How many rows get their own slice or bar. */
  readonly top?: number;
  /** The picture's size in CSS pixels; undefined: the chart's own. */
  readonly width?: number;
  readonly height?: number;
}

/** A chart to draw: its spec, and its file name unless one is given. */
export interface ChartResult {
  readonly spec: TopLevelSpec;
  readonly name: string;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Checks a chart against the report's view before anything is read.
 *
 * @throws {UsageError} For a label that is no column of the view, a pie
 *   sized by what is no amount of memory, or too many slices.
 */
export function checkReportChart(query: ReportQuery, chart: ReportChartQuery): void {
  const view = viewOf(query.view.view);
  if (!isColumnOf(view, chart.field)) {
    throw new UsageError(
      `Unknown field "${chart.field}" for --${chart.kind} in the ${view.id} view`,
      knownColumns(view),
    );
  }
  const size = view.columns[query.view.sort]!;
  if (chart.kind === "pie" && !isAmount(size)) {
    throw new UsageError(
      `A pie's slices are sized by the sort field: "${size.id}" is no amount of memory (sort by one: -s pss)`,
    );
  }
  if (chart.kind === "pie" && (chart.top ?? PIE_MAX_ROWS) > PIE_MAX_ROWS) {
    throw new UsageError(
      `A pie shows at most ${PIE_MAX_ROWS} rows on their own (one colour each): --top ${chart.top} is too many`,
    );
  }
  if (chart.kind === "bar" && !query.view.columns.some((id) => isAmount(view.columns[id]!))) {
    throw new UsageError(
      `A bar chart draws the amount columns shown: none of ${
        query.view.columns.map((id) => `"${id}"`).join(", ")
      } is one (choose them with -c)`,
    );
  }
}

/**
 * Runs the report a chart draws and makes the chart's spec.
 *
 * @throws {UsageError} As {@link checkReportChart}.
 */
export async function reportChart(
  query: ReportQuery,
  chart: ReportChartQuery,
): Promise<ChartResult> {
  checkReportChart(query, chart);
  const shown = query.view.columns.length;
  const { table, meta, diagnostics } = await runReport({
    ...query,
    view: { ...query.view, columns: [...query.view.columns, chart.field, query.view.sort] },
    parts: true,
  });
  const view = viewOf(query.view.view);
  const label = table.columns[shown]!;
  const size = table.columns[shown + 1]!;
  const origin: ChartOrigin = { hostname: meta.hostname, takenAt: meta.takenAt };
  const name = defaultChartName([chart.kind, view.id, size.id], origin);
  if (chart.kind === "pie") {
    const spec = pieSpec(pieRows(table, shown), {
      sizeName: chartName(size),
      labelName: chartName(label),
      rowNoun: view.noun,
      total: chart.noUnused
        ? null
        : size.quantity === "swap"
        ? { kb: meta.swapTotal, name: "SwapTotal" }
        : { kb: meta.memTotal, name: query.realMemKb === undefined ? "MemTotal" : "RAM" },
      top: chart.top ?? PIE_MAX_ROWS,
      origin,
      width: chart.width ?? PIE_SIZE.width,
      height: chart.height ?? PIE_SIZE.height,
    });
    return { spec, name, diagnostics };
  }
  const { series, rows } = barRows(table, shown);
  const spec = barSpec(rows, {
    series: series.map((column) => ({ id: column.id, header: chartName(column) })),
    sortName: chartName(size),
    labelName: chartName(label),
    rowNoun: view.noun,
    top: chart.top ?? BAR_TOP,
    origin,
    width: chart.width ?? BAR_WIDTH,
    ...(chart.height !== undefined && { height: chart.height }),
  });
  return { spec, name, diagnostics };
}
