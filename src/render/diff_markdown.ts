/**
 * A diff as Markdown, for a CI job's summary or a pull request's comment:
 * the headline (what was compared, the total before, after and its change),
 * then the diff's table.
 *
 * @module
 */

import { diffAsTable } from "../diff/diff_report.ts";
import type { DiffTable } from "../diff/diff_table.ts";
import type { Crossings } from "../diff/threshold_eval.ts";
import { isAmount } from "../view/column.ts";
import type { SideMeta } from "./diff_json.ts";
import { kbUnits } from "./python_format.ts";
import { type MarkdownOptions, renderMarkdown } from "./report_markdown.ts";
import { terminalText } from "./terminal_text.ts";
import { renderThresholdsMarkdown } from "./threshold_markdown.ts";
import { counted } from "../units/plural.ts";

/** What the diff's Markdown shows beside its rows. */
export interface DiffMarkdownOptions extends MarkdownOptions {
  /** What --fail-if found: a "Thresholds" section before the table. */
  readonly thresholds?: Crossings;
}

/**
 * Renders a diff as Markdown: its headline, a blank line, with --fail-if
 * the thresholds' section and a blank line, then its table.
 */
export function renderDiffMarkdown(
  diff: DiffTable,
  sides: { readonly a: SideMeta; readonly b: SideMeta },
  options: DiffMarkdownOptions,
): string {
  const thresholds = options.thresholds === undefined
    ? ""
    : renderThresholdsMarkdown(options.thresholds) + "\n";
  return headline(diff, sides) + "\n" + thresholds +
    renderMarkdown(diffAsTable(diff, { capPercent: true }), options);
}

/**
 * The Markdown's first lines: what was compared, and the total of the first
 * amount that sums (PSS by default) before, after and its change.
 */
function headline(diff: DiffTable, sides: { readonly a: SideMeta; readonly b: SideMeta }): string {
  const side = (meta: SideMeta) =>
    terminalText(
      `${meta.source.replace(/^"([^"]*)"/, "$1")}${
        meta.takenAt === null ? "" : ` (${meta.takenAt})`
      }`,
    );
  const lines = [`### memsnap diff: ${side(sides.a)} → ${side(sides.b)}`, ""];
  // The first memory amount that sums (PSS by default), not a count.
  const i = diff.metrics.findIndex((metric, at) =>
    isAmount(metric) && diff.totals[at] !== undefined
  );
  const total = diff.totals[i];
  if (total !== undefined && total.a !== undefined && total.b !== undefined) {
    const change = total.change!;
    const percent = total.percent === undefined
      ? ""
      : `, ${total.percent >= 0 ? "+" : ""}${total.percent.toFixed(1)} %`;
    lines.push(
      `**Total ${diff.metrics[i]!.header}:** ${kbUnits(total.a)} → ${kbUnits(total.b)} (**${
        change > 0 ? "+" : ""
      }${kbUnits(change)}**${percent})`,
      "",
    );
  }
  const count = (status: string) => diff.rows.filter((row) => row.status === status).length;
  const rows = diff.rows.length;
  lines.push(`${counted(rows, "row")}: ${count("new")} new, ${count("gone")} gone.`);
  return lines.map((line) => line + "\n").join("");
}
