/**
 * The output formats, in one list: what `--format` takes, and what every
 * renderer of a result takes beside it.
 *
 * @module
 */

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

/** Renders one kind of result in one format. */
export type Renderer<D> = (document: D, options: RenderOptions) => string | Promise<string>;

/** Whether a text names a format. */
export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}
