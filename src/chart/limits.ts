/**
 * What drawing a chart may cost. A spec comes from anywhere (`chart-render`
 * draws any Vega-Lite spec) and sizes are options: a 200,000-point spec at
 * 20000×20000 took 38 s and 4.1 GB to draw as PNG. The data a spec holds
 * and the pixels of a raster are capped before any drawing starts, with a
 * message that says which option raises the cap.
 *
 * @module
 */

/** The caps; every chart is drawn under them. */
export interface ChartLimits {
  /** Pixels of a PNG, JPG or EPS raster (its width × height at its scale), in megapixels. */
  readonly maxMegapixels: number;
  /** Data values (rows) the spec holds inline or generates, over all its data. */
  readonly maxData: number;
}

/**
 * 50 megapixels: a 4K screen (8.3) at scale 2 fits, drawing takes about 2 s and 0.5 GB;
 * 50,000 values: a timeline of 5,000 snapshots, 9 areas each, fits.
 */
export const DEFAULT_CHART_LIMITS: ChartLimits = { maxMegapixels: 50, maxData: 50_000 };

/** The option that raises each cap, which messages name. */
export const LIMIT_OPTIONS: Readonly<Record<keyof ChartLimits, string>> = {
  maxMegapixels: "--max-megapixels",
  maxData: "--max-data",
};

/** A chart above a cap. */
export class ChartLimitError extends Error {
  override readonly name = "ChartLimitError";
}

/** `200,000`; ICU is set up only when a message needs it (it costs a millisecond at start-up). */
const count = { format: (n: number) => n.toLocaleString("en-US") };

/**
 * The data values a Vega-Lite spec holds: the rows of every inline `values`
 * (an array, or a CSV/TSV/JSON text: its lines), `datasets` and `sequence`
 * generator, wherever a `data` is (layers, concatenations, lookups).
 */
export function dataValues(spec: unknown): number {
  let total = 0;
  const visit = (node: unknown, key?: string): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, key === "data" ? "data" : undefined);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const record = node as Record<string, unknown>;
    if (key === "data") total += rowsOf(record);
    if (key === "datasets") {
      for (const rows of Object.values(record)) total += rowsOf({ values: rows });
      return;
    }
    for (const [name, value] of Object.entries(record)) visit(value, name);
  };
  visit(spec);
  return total;
}

/** The rows one data source gives. */
function rowsOf(data: Record<string, unknown>): number {
  const { values, sequence } = data;
  if (Array.isArray(values)) return values.length;
  if (typeof values === "string") return values.split("\n").length;
  if (typeof sequence === "object" && sequence !== null) {
    const { start, stop, step = 1 } = sequence as Record<string, unknown>;
    if (typeof start === "number" && typeof stop === "number" && typeof step === "number") {
      const rows = Math.ceil((stop - start) / step);
      // A step that never reaches the stop generates without end.
      return Number.isFinite(rows) && rows >= 0 ? rows : Infinity;
    }
  }
  return 0;
}

/**
 * @throws {ChartLimitError} When the spec holds more data values than the cap.
 */
export function checkData(spec: unknown, limits: ChartLimits): void {
  const values = dataValues(spec);
  if (values > limits.maxData) {
    throw new ChartLimitError(
      `the spec holds ${
        Number.isFinite(values) ? count.format(values) : "endless"
      } data values, above the limit of ${
        count.format(limits.maxData)
      }: ${LIMIT_OPTIONS.maxData} raises it`,
    );
  }
}

/**
 * @param size The chart's size in CSS pixels (the SVG's).
 * @param scale Raster pixels per CSS pixel.
 * @throws {ChartLimitError} When the raster would have more pixels than the cap.
 */
export function checkPixels(
  size: { readonly width: number; readonly height: number },
  scale: number,
  limits: ChartLimits,
): void {
  const width = Math.ceil(size.width * scale);
  const height = Math.ceil(size.height * scale);
  const megapixels = (width * height) / 1e6;
  if (megapixels > limits.maxMegapixels) {
    throw new ChartLimitError(
      `the picture would be ${width}×${height} pixels (${
        megapixels.toFixed(1)
      } megapixels), above the limit of ${limits.maxMegapixels} megapixels: ${LIMIT_OPTIONS.maxMegapixels} raises it`,
    );
  }
}
