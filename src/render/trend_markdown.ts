/**
 * A trend as Markdown, for a CI job's summary or a pull request's comment:
 * a headline (the recording, the total's course, the leak suspects), then
 * the trend's table.
 *
 * @module
 */

import type { TrendTable } from "../diff/trend.ts";
import { grewMetrics, trendTable } from "../diff/trend_table.ts";
import { isAmount } from "../view/column.ts";
import { kbUnits } from "./python_format.ts";
import { renderMarkdown } from "./report_markdown.ts";
import type { AmountStyle } from "./table_text.ts";
import { terminalText } from "./terminal_text.ts";

/** What the Markdown shows beside the rows. */
export interface TrendMarkdownOptions {
  /** The recording's file, as given. */
  readonly recording: string;
  /** A last row with the totals (-t). */
  readonly totals: boolean;
  readonly amounts: AmountStyle;
}

/** Renders a trend as Markdown: the headline, a blank line, the table. */
export function renderTrendMarkdown(trend: TrendTable, options: TrendMarkdownOptions): string {
  return headline(trend, options.recording) + "\n" +
    renderMarkdown(trendTable(trend), { totals: options.totals, amounts: options.amounts });
}

/**
 * The recording and its time span; the course of the first amount that sums
 * (PSS by default; not a count): first → last, its growth, least and most; how many rows
 * only grew.
 */
function headline(trend: TrendTable, recording: string): string {
  const span = trend.firstTakenAt === null ? "" : ` (${trend.firstTakenAt} → ${trend.lastTakenAt})`;
  const lines = [
    terminalText(`### memsnap trend: ${recording}, ${trend.snapshots} snapshots${span}`),
    "",
  ];
  const i = trend.totals.findIndex((total, m) =>
    total?.first !== undefined && isAmount(trend.metrics[m]!)
  );
  const total = trend.totals[i];
  if (total?.first !== undefined && total.last !== undefined) {
    const growth = total.growth!;
    lines.push(
      `**Total ${trend.metrics[i]!.header}:** ${kbUnits(total.first)} → ${kbUnits(total.last)} (**${
        growth > 0 ? "+" : ""
      }${kbUnits(growth)}**), least ${kbUnits(total.min!)}, most ${kbUnits(total.max!)}`,
      "",
    );
  }
  const rows = trend.rows.length;
  const grew = trend.rows.filter((row) => grewMetrics(trend, row.series).length > 0).length;
  lines.push(
    `${rows} row${
      rows === 1 ? "" : "s"
    }; ${grew} only grew in some metric (the Grew column: leak suspects).`,
  );
  return lines.map((line) => line + "\n").join("");
}
