/**
 * A report in each format.
 *
 * @module
 */

import { describeGap } from "../view/userspace_gap.ts";
import { csv } from "./csv.ts";
import type { ReportDocument } from "./documents.ts";
import type { Format, Renderer } from "./format.ts";
import { renderJson } from "./report_json.ts";
import { renderMarkdown } from "./report_markdown.ts";
import { amountStyle, renderText } from "./table_text.ts";

export const REPORT_RENDERERS: Readonly<Record<Format, Renderer<ReportDocument>>> = {
  table: ({ table, meta, annex }, options) => {
    const text = renderText(table, {
      header: options.header,
      totals: options.totals,
      amounts: amountStyle(options, meta),
      ...(options.autosizeColumns !== undefined &&
        { autosize: { terminalColumns: options.autosizeColumns } }),
    });
    return annex === undefined
      ? text
      : text + "\n" + describeGap(annex.userspace).map((line) => line + "\n").join("");
  },
  json: ({ table, meta, annex }) => renderJson(table, meta, annex),
  csv: ({ table }, options) => csv(table, options),
  markdown: ({ table, meta }, options) =>
    renderMarkdown(table, { totals: options.totals, amounts: amountStyle(options, meta) }),
};
