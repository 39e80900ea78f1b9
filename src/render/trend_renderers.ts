/**
 * A trend in each format.
 *
 * @module
 */

import { trendTable } from "../diff/trend_table.ts";
import { csv } from "./csv.ts";
import type { TrendDocument } from "./documents.ts";
import type { Format, Renderer } from "./format.ts";
import { amountStyle, renderText } from "./table_text.ts";
import { renderTrendJson } from "./trend_json.ts";
import { renderTrendMarkdown } from "./trend_markdown.ts";

export const TREND_RENDERERS: Readonly<Record<Format, Renderer<TrendDocument>>> = {
  table: ({ trend, meta, style }, options) =>
    renderText(trendTable(trend, style), {
      header: options.header,
      totals: options.totals,
      amounts: amountStyle(options, meta),
    }),
  json: ({ trend, meta }) => renderTrendJson(trend, meta),
  // Rates per hour: a column's unit does not depend on the recording's span.
  csv: ({ trend }, options) => csv(trendTable(trend, { rateUnit: "h" }), options),
  markdown: ({ trend, meta }, options) =>
    renderTrendMarkdown(trend, {
      recording: meta.recording,
      totals: options.totals,
      amounts: amountStyle(options, meta),
    }),
};
