/**
 * A report drawn as smem's pie or bar chart (--pie, --bar): the view's
 * table → rows → a Vega-Lite spec → the file. Loaded only for charts.
 *
 * @module
 */

import { barRows, pieRows } from "../chart/chart_rows.ts";
import { isAmount } from "../view/column.ts";
import { barSpec } from "../chart/bar_spec.ts";
import { PIE_MAX_ROWS, pieSpec } from "../chart/pie_spec.ts";
import type { ChartOrigin } from "../chart/style.ts";
import type { ReportMeta } from "../render/report_json.ts";
import type { Table } from "../view/table.ts";
import type { ReportRequest } from "./args.ts";
import { type ReportChart, ROW_NOUNS } from "./chart_args.ts";
import { defaultChartName, writeChart } from "./chart_file.ts";
import { UsageError } from "./errors.ts";
import type { Io } from "./io.ts";

/** Default sizes (CSS px): the whole picture, title and legend included. */
export const PIE_SIZE = { width: 640, height: 420 } as const;
export const BAR_WIDTH = 800;
export const BAR_TOP = 20;

/**
 * Draws a table built with chartColumns() into the chart's file.
 *
 * @throws {UsageError} When the view has nothing a chart of that kind can draw.
 */
export async function writeReportChart(
  table: Table,
  context: {
    readonly request: ReportRequest;
    readonly chart: ReportChart;
    readonly meta: ReportMeta;
    readonly io: Io;
  },
): Promise<void> {
  const { request, chart, meta, io } = context;
  const shown = request.view.columns.length;
  const label = table.columns[shown]!;
  const size = table.columns[shown + 1]!;
  const origin: ChartOrigin = { hostname: meta.hostname, takenAt: meta.takenAt };
  const rowNoun = ROW_NOUNS[request.view.view];
  const chosen = defaultChartName([chart.kind, request.view.view, size.id], origin);
  if (chart.kind === "pie") {
    if (!isAmount(size)) {
      throw new UsageError(
        `A pie's slices are sized by the sort field: "${size.id}" is no amount of memory (sort by one: -s pss)`,
      );
    }
    const top = chart.top ?? PIE_MAX_ROWS;
    if (top > PIE_MAX_ROWS) {
      throw new UsageError(
        `A pie shows at most ${PIE_MAX_ROWS} rows on their own (one colour each): --top ${top} is too many`,
      );
    }
    const swap = size.quantity === "swap";
    const spec = pieSpec(pieRows(table, shown), {
      sizeName: size.header,
      labelName: label.header,
      rowNoun,
      total: chart.noUnused
        ? null
        : swap
        ? { kb: meta.swapTotal, name: "SwapTotal" }
        : { kb: meta.memTotal, name: request.realMemKb === undefined ? "MemTotal" : "RAM" },
      top,
      origin,
      width: chart.width ?? PIE_SIZE.width,
      height: chart.height ?? PIE_SIZE.height,
    });
    return await writeChart(spec, { file: chart, chosen, io });
  }
  const { series, rows } = barRows(table, shown);
  if (series.length === 0) {
    throw new UsageError(
      `A bar chart draws the amount columns shown: none of ${
        request.view.columns.map((id) => `"${id}"`).join(", ")
      } is one (choose them with -c)`,
    );
  }
  const spec = barSpec(rows, {
    series: series.map(({ id, header }) => ({ id, header })),
    sortName: size.header,
    labelName: label.header,
    rowNoun,
    top: chart.top ?? BAR_TOP,
    origin,
    width: chart.width ?? BAR_WIDTH,
    ...(chart.height !== undefined && { height: chart.height }),
  });
  await writeChart(spec, { file: chart, chosen, io });
}
