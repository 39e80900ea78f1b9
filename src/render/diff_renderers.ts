/**
 * A diff in each format.
 *
 * @module
 */

import { diffAsTable } from "../diff/diff_report.ts";
import { csv } from "./csv.ts";
import { renderDiffJson } from "./diff_json.ts";
import { renderDiffMarkdown } from "./diff_markdown.ts";
import type { DiffDocument } from "./documents.ts";
import type { Format, Renderer } from "./format.ts";
import { amountStyle, renderText } from "./table_text.ts";
import { thresholdsJson } from "./threshold_json.ts";

export const DIFF_RENDERERS: Readonly<Record<Format, Renderer<DiffDocument>>> = {
  table: ({ diff, sides, style }, options) =>
    renderText(diffAsTable(diff, style), {
      header: options.header,
      totals: options.totals,
      // Shares are of B's MemTotal and SwapTotal.
      amounts: amountStyle(options, sides.b),
    }),
  json: ({ diff, view, sort, sides, thresholds }) =>
    renderDiffJson(diff, {
      view,
      sort,
      ...sides,
      ...(thresholds !== undefined && { thresholds: thresholdsJson(thresholds) }),
    }),
  csv: ({ diff }, options) => csv(diffAsTable(diff), options),
  markdown: ({ diff, sides, thresholds }, options) =>
    renderDiffMarkdown(diff, sides, {
      ...(thresholds !== undefined && { thresholds }),
      totals: options.totals,
      amounts: amountStyle(options, sides.b),
    }),
};
