/**
 * The output formats, in one list, and per kind of result the renderer of
 * each format that applies: every command that prints a result takes its
 * `--format` choices, its help and its rendering from here.
 *
 * @module
 */

import { diffAsTable } from "../diff/diff_report.ts";
import { trendTable } from "../diff/trend_table.ts";
import { describeGap } from "../view/userspace_gap.ts";
import { renderDiffJson } from "./diff_json.ts";
import { renderDiffMarkdown } from "./diff_markdown.ts";
import type { Documents, ResultKind } from "./documents.ts";
import { renderListCsv, renderListJson, renderListMarkdown, renderListText } from "./list_text.ts";
import { renderJson } from "./report_json.ts";
import { renderMarkdown } from "./report_markdown.ts";
import { amountStyle, renderText } from "./table_text.ts";
import { renderTrendJson } from "./trend_json.ts";
import { renderTrendMarkdown } from "./trend_markdown.ts";

/** Every output format; `table` is the default. */
export const FORMATS = ["table", "json", "csv", "markdown"] as const;
export type Format = typeof FORMATS[number];

/** How a result is shown, beside its format. */
export interface RenderOptions {
  /** A header line (-H leaves it out). */
  readonly header: boolean;
  /** A totals line (-t). */
  readonly totals: boolean;
  /** -k: amounts with unit suffixes; wins over percent, as in smem. */
  readonly abbreviate: boolean;
  /** -p: amounts as shares of MemTotal (swap: SwapTotal). */
  readonly percent: boolean;
  /** -a: fit a text table's columns to this terminal width. */
  readonly autosizeColumns?: number;
}

type Renderer<D> = (document: D, options: RenderOptions) => string | Promise<string>;

/** The CSV writer loads only when CSV is asked for. */
async function csv(
  table: Parameters<typeof import("./report_csv.ts").renderCsv>[0],
  options: RenderOptions,
): Promise<string> {
  const { renderCsv } = await import("./report_csv.ts");
  return renderCsv(table, options);
}

/** The renderers of each kind of result, by format. */
export const RENDERERS: {
  readonly [K in ResultKind]: Readonly<Record<Format, Renderer<Documents[K]>>>;
} = {
  report: {
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
  },
  diff: {
    table: ({ diff, sides }, options) =>
      renderText(diffAsTable(diff), {
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
        ...(thresholds !== undefined && { thresholds }),
      }),
    csv: ({ diff }, options) => csv(diffAsTable(diff), options),
    markdown: ({ diff, sides }, options) =>
      renderDiffMarkdown(diff, sides, {
        totals: options.totals,
        amounts: amountStyle(options, sides.b),
      }),
  },
  trend: {
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
  },
  list: {
    table: (list) => renderListText(list),
    json: (list) => renderListJson(list),
    csv: (list) => renderListCsv(list),
    markdown: (list) => renderListMarkdown(list),
  },
};

/** Whether a text names a format. */
export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

/** Renders a result in a format. */
export async function render<K extends ResultKind>(
  kind: K,
  format: Format,
  document: Documents[K],
  options: RenderOptions,
): Promise<string> {
  const renderer = RENDERERS[kind][format] as Renderer<Documents[K]>;
  return await renderer(document, options);
}
