/**
 * A report column: what it is called, what it holds, how smem lays it out
 * and how it totals. Every view has a catalogue of these.
 *
 * @module
 */

/** A cell's value: text, a number, or unknown (the kernel did not say). */
export type CellValue = string | number | undefined;

/** How the totals line sums a column (smem's per-field total function). */
export type TotalRule =
  /** The sum of the values. */
  | "sum"
  /** The number of rows (smem: pid, map). */
  | "count"
  /** The number of distinct values (smem: user, in the process view). */
  | "distinct"
  /** Blank. */
  | "none";

/** smem's printf layout for a column: `%-27.27s` is left, 27, truncated. */
export interface Layout {
  readonly align: "left" | "right";
  readonly width: number;
  /** Cut longer text to the width (smem: command, name, map). */
  readonly truncate: boolean;
  /** Cut from the start, keeping the end (a cgroup path's leaf tells most). */
  readonly keepEnd?: boolean;
}

/**
 * What a column's numbers are: `memory` and `swap` amounts in kB are shown
 * with units by -k, or by -p as a share of MemTotal or SwapTotal; `ticks`
 * is CPU time in clock ticks (USER_HZ), shown in seconds; `percent` a
 * share (CPU %), shown with one decimal.
 */
export type Quantity = "memory" | "swap" | "count" | "ticks" | "percent" | "text";

/** One column of a view. */
export interface Column<Row> {
  /** What -c and -s call it. */
  readonly id: string;
  readonly header: string;
  readonly description: string;
  readonly layout: Layout;
  readonly quantity: Quantity;
  readonly total: TotalRule;
  /** The text table indents it by the row's depth (a tree's names). */
  readonly indented?: boolean;
  /** A change: text shows a "+" before a positive value (a diff's columns). */
  readonly signed?: boolean;
  /**
   * What charts call it where smem's header would mislead: the system
   * view's Used counts free memory too, so its charts say Size.
   */
  readonly chartName?: string;
  readonly value: (row: Row) => CellValue;
}

/** A column's name in a chart's title, legend and tooltip. */
export function chartName(
  column: { readonly header: string; readonly chartName?: string },
): string {
  return column.chartName ?? column.header;
}

/** Does a column hold amounts of memory (kB): shown with units by -k, drawn by charts? */
export function isAmount(column: { readonly quantity: Quantity }): boolean {
  return column.quantity === "memory" || column.quantity === "swap";
}

/** A right-aligned width-8 kB amount, smem's `% 8a`, wider for long headers. */
export function amountLayout(header: string, width = 8): Layout {
  return { align: "right", width: Math.max(width, header.length), truncate: false };
}

/** Shorthands for smem's other layouts. */
export const right = (width: number): Layout => ({ align: "right", width, truncate: false });
export const left = (width: number, truncate = false): Layout => ({
  align: "left",
  width,
  truncate,
});

/** A kB amount summed in the totals, 10 wide as in smem's system view. */
export function memoryColumn<Row>(
  id: string,
  header: string,
  description: string,
  value: (row: Row) => number | undefined,
): Column<Row> {
  return {
    id,
    header,
    description,
    layout: amountLayout(header, 10),
    quantity: "memory",
    total: "sum",
    value,
  };
}
