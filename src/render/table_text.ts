/**
 * smem's text table, character for character: printf layouts with a space
 * after every column (trailing space included), the header, the rows and,
 * with -t, a line of dashes as long as the header and the totals.
 *
 * @module
 */

import { type CellValue, isAmount, type Layout } from "../view/column.ts";
import type { ColumnInfo, Table } from "../view/table.ts";
import { kbUnits, percent } from "./python_format.ts";
import { terminalText } from "./terminal_text.ts";

/** How amounts (kB) are shown: as numbers, with units (-k), or as shares (-p). */
export type AmountStyle =
  | { readonly kind: "kb" }
  | { readonly kind: "units" }
  | {
    readonly kind: "percent";
    /** MemTotal, or -R: what memory amounts are a share of. */
    readonly memTotal: number;
    readonly swapTotal: number;
  };

/**
 * The amount style the options ask for; -k wins over -p, as in smem.
 *
 * @param shares What -p takes shares of: MemTotal (or -R) and SwapTotal, kB.
 */
export function amountStyle(
  options: { readonly abbreviate: boolean; readonly percent: boolean },
  shares: { readonly memTotal: number; readonly swapTotal: number },
): AmountStyle {
  return options.abbreviate
    ? { kind: "units" }
    : options.percent
    ? { kind: "percent", memTotal: shares.memTotal, swapTotal: shares.swapTotal }
    : { kind: "kb" };
}

export interface TextOptions {
  readonly header: boolean;
  readonly totals: boolean;
  readonly amounts: AmountStyle;
  /** -a: fit the columns to the values and this terminal width. */
  readonly autosize?: { readonly terminalColumns: number };
}

/** Renders a table as smem prints it. */
export function renderText(table: Table, options: TextOptions): string {
  const layouts = options.autosize
    ? autosize(table, options, options.autosize.terminalColumns)
    : table.columns.map((c) => c.indented ? widenedByIndent(c.layout, table) : c.layout);
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => pad(cell, layouts[i]!) + " ").join("");
  const header = line(table.columns.map((c) => c.header));
  const show = (column: ColumnInfo, value: CellValue) => cellText(column, value, options.amounts);

  const lines: string[] = [];
  if (options.header) lines.push(header);
  table.rows.forEach((row, r) => {
    const indent = INDENT.repeat(table.depths?.[r] ?? 0);
    lines.push(line(row.map((value, i) => {
      const column = table.columns[i]!;
      return (column.indented ? indent : "") + show(column, value);
    })));
  });
  if (options.totals) {
    lines.push("-".repeat(length(header)));
    lines.push(line(table.totals.map((value, i) => {
      const column = table.columns[i]!;
      return column.total === "none" ? "" : show(column, value);
    })));
  }
  return lines.map((l) => l + "\n").join("");
}

/** A cell as the text table shows it (and the Markdown table). */
export function cellText(column: ColumnInfo, value: CellValue, amounts: AmountStyle): string {
  const text = isAmount(column)
    ? showAmount(value, column, amounts)
    : column.quantity === "ticks"
    ? seconds(value)
    : column.quantity === "percent" && typeof value === "number"
    ? value.toFixed(1)
    : textCell(value);
  return column.signed && typeof value === "number" && value > 0 ? "+" + text : text;
}

/** The columns -a gives what the others leave of the terminal. */
const OVERFLOW_COLUMNS: ReadonlySet<string> = new Set(["command", "map", "cgroup"]);

/** A tree's indentation, per level. */
const INDENT = "  ";

/** Python's str(): unknown values print as "-". */
function plain(value: CellValue): string {
  return value === undefined ? "-" : String(value);
}

/** A text cell as a terminal shows it: control characters written visibly (`\x1b`). */
function textCell(value: CellValue): string {
  return terminalText(plain(value));
}

/** Clock ticks as seconds, `12.34`: USER_HZ is 100 on Linux's architectures but alpha. */
function seconds(value: CellValue): string {
  if (typeof value !== "number") return textCell(value);
  return `${Math.trunc(value / 100)}.${String(value % 100).padStart(2, "0")}`;
}

function showAmount(value: CellValue, column: ColumnInfo, style: AmountStyle): string {
  if (typeof value !== "number") return textCell(value);
  switch (style.kind) {
    case "kb":
      return String(value);
    case "units":
      // Negative in the system tree (counters that overlap) and in changes.
      return kbUnits(value);
    case "percent":
      return percent(value, column.quantity === "swap" ? style.swapTotal : style.memTotal);
  }
}

/** What a path cut from the left starts with, so that it is not taken for a whole one. */
const CUT_FROM_LEFT = "...";

/**
 * Python's `%-W.Ps` / `%Ws`, counting code points as Python does. A path
 * that keeps its end (cgroups: memsnap's own) says it was cut.
 */
function pad(text: string, layout: Layout): string {
  let chars = [...text];
  if (layout.truncate && chars.length > layout.width) {
    chars = layout.keepEnd
      ? [...CUT_FROM_LEFT, ...chars.slice(-(layout.width - CUT_FROM_LEFT.length))]
      : chars.slice(0, layout.width);
  }
  const fill = " ".repeat(Math.max(0, layout.width - chars.length));
  return layout.align === "left" ? chars.join("") + fill : fill + chars.join("");
}

/**
 * A tree's indented column, wider by its deepest row's indentation, so
 * that depth does not eat the command (the tree is memsnap's own view).
 */
function widenedByIndent(layout: Layout, table: Table): Layout {
  const deepest = Math.min(Math.max(0, ...(table.depths ?? [])), MAX_WIDENED_DEPTH);
  return { ...layout, width: layout.width + INDENT.length * deepest };
}

/** Deeper rows (a chain of thousands of forks) cut their commands rather than widen every line. */
const MAX_WIDENED_DEPTH = 20;

function length(text: string): number {
  return [...text].length;
}

/**
 * smem's -a: each column as wide as its header and values (7 for amounts
 * shown with -k or -p); the command or map column then takes what is left
 * of the terminal's width, at least 10.
 */
function autosize(table: Table, options: TextOptions, terminalColumns: number): Layout[] {
  const styled = options.amounts.kind !== "kb";
  const widths = table.columns.map((column, i) => {
    const sizes = [1];
    if (options.header) sizes.push(length(column.header));
    if (styled && isAmount(column)) sizes.push(7);
    else {
      table.rows.forEach((row, r) => {
        const indent = column.indented ? INDENT.length * (table.depths?.[r] ?? 0) : 0;
        sizes.push(indent + length(textCell(row[i])));
      });
    }
    return Math.max(...sizes);
  });
  const overflow = table.columns.findIndex((c) => OVERFLOW_COLUMNS.has(c.id));
  if (overflow !== -1) {
    const others = widths.reduce((a, b) => a + b, 0) - widths[overflow]!;
    const room = Math.max(terminalColumns - others - table.columns.length, 10);
    widths[overflow] = Math.min(widths[overflow]!, room);
  }
  return table.columns.map((column, i) => ({ ...column.layout, width: widths[i]! }));
}
