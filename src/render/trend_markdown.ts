/**
 * A trend as Markdown, for a CI job's summary or a pull request's comment:
 * a headline (the recording, the total's course, the leak suspects by
 * name), then the trend's table.
 *
 * @module
 */

import { labelText } from "./threshold_text.ts";
import type { TrendRow, TrendTable } from "../diff/trend.ts";
import { RATE_UNITS, rateUnitOf, suspectMetrics, trendTable } from "../diff/trend_table.ts";
import { isAmount } from "../view/column.ts";
import { kbUnits } from "./python_format.ts";
import { escape, renderMarkdown } from "./report_markdown.ts";
import type { AmountStyle } from "./table_text.ts";
import { terminalText } from "./terminal_text.ts";
import { counted } from "../units/plural.ts";

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

/** The most suspects the headline names; the others are counted. */
const MAX_SUSPECTS = 10;

/**
 * The recording and its time span; the course of the first amount that sums
 * (PSS by default; not a count): first → last, its growth, least and most;
 * the leak suspects, each with its labels and, per metric suspected, its
 * growth and rate.
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
  const suspects = trend.rows.filter((row) => suspectMetrics(trend, row.series).length > 0);
  const rowsCounted = counted(rows, "row");
  if (suspects.length === 0) {
    lines.push(`${rowsCounted}; no leak suspect (a row whose memory grew steadily).`);
  } else {
    lines.push(
      `${rowsCounted}; **${
        counted(suspects.length, "leak suspect")
      }** (memory that grew steadily; the Suspect column):`,
      "",
      ...suspects.slice(0, MAX_SUSPECTS).map((row) => `- ${suspectText(trend, row)}`),
    );
    if (suspects.length > MAX_SUSPECTS) {
      lines.push(`- … and ${suspects.length - MAX_SUSPECTS} more`);
    }
  }
  return lines.map((line) => line + "\n").join("");
}

/** `28773 root python3 …: PSS +103.2M at +13.3M/min, RSS +106.2M at +13.7M/min`. */
function suspectText(trend: TrendTable, row: TrendRow): string {
  const unit = rateUnitOf(trend);
  const signed = (kb: number) => `${kb > 0 ? "+" : ""}${kbUnits(kb)}`;
  const metrics = trend.metrics.flatMap((metric, m) => {
    const series = row.series[m];
    if (series?.suspect !== true) return [];
    const rate = series.ratePerHour! * RATE_UNITS[unit].ms / RATE_UNITS.h.ms;
    return [
      `${metric.header} ${signed(series.growth!)} at ${signed(Math.round(rate))}${
        RATE_UNITS[unit].header
      }`,
    ];
  });
  return `${escape(labelText(row.labels))}: ${metrics.join(", ")}`;
}
