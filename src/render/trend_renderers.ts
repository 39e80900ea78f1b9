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
  table: ({ trend, meta }, options) =>
    renderText(trendTable(trend), {
      header: options.header,
      totals: options.totals,
      amounts: amountStyle(options, meta),
    }),
  json: ({ trend, meta }) => renderTrendJson(trend, meta),
  csv: ({ trend }, options) => csv(trendTable(trend), options),
  markdown: ({ trend, meta }, options) =>
    renderTrendMarkdown(trend, {
      recording: meta.recording,
      totals: options.totals,
      amounts: amountStyle(options, meta),
    }),
};
