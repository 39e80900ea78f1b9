/**
 * A table as GitHub-flavoured Markdown: for a CI job's summary or a pull
 * request's comment. Cells read as in the text table (-k units, -p shares);
 * amounts align right.
 *
 * @module
 */

import type { Table } from "../view/table.ts";
import { type AmountStyle, cellText } from "./table_text.ts";

export interface MarkdownOptions {
  /** A last row with the totals (-t), in bold. */
  readonly totals: boolean;
  readonly amounts: AmountStyle;
}

/** Renders a table as Markdown, one line per row, ending with a newline. */
export function renderMarkdown(table: Table, options: MarkdownOptions): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const lines = [
    line(table.columns.map((c) => escape(c.header))),
    line(table.columns.map((c) => c.layout.align === "right" ? "---:" : ":---")),
    ...table.rows.map((row) =>
      line(row.map((value, i) => escape(cellText(table.columns[i]!, value, options.amounts))))
    ),
  ];
  if (options.totals) {
    lines.push(line(table.totals.map((value, i) => {
      const column = table.columns[i]!;
      if (column.total === "none" || value === undefined) return i === 0 ? "**Total**" : "";
      return `**${escape(cellText(column, value, options.amounts))}**`;
    })));
  }
  return lines.map((l) => l + "\n").join("");
}

/** Keeps a cell one cell: pipes escaped, line breaks and backticks defused. */
export function escape(text: string): string {
  // \x60 is the backtick (code spans).
  return text.replace(/[\\|*_\x60<>[\]]/g, (c) => "\\" + c).replace(/[\r\n]+/g, " ");
}
