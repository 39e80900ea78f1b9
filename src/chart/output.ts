/**
 * A Vega-Lite spec → a chart file's bytes, in the format its file name asks
 * for. Each backend (vega for SVG, resvg for pixels, jpeg-js, pdfkit, the
 * HTML page's scripts) is imported only when its format is asked for.
 *
 * ```ts
 * const format = chartFormatOf("pie.png"); // "png"
 * const bytes = await renderChart(spec, format!, { scale: 2 });
 * ```
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { type ChartLimits, checkData, checkPixels, DEFAULT_CHART_LIMITS } from "./limits.ts";
import { svgSize } from "./svg_size.ts";
import { titleText } from "./title.ts";

/** The chart formats, each named by its file extension (without the dot). */
export const CHART_FORMATS = ["svg", "png", "jpg", "pdf", "eps", "html", "vl.json"] as const;

/** A chart format. */
export type ChartFormat = typeof CHART_FORMATS[number];

/** Other extensions accepted for a format. */
const ALIASES: Readonly<Record<string, ChartFormat>> = { jpeg: "jpg", htm: "html" };

/**
 * The format a file name asks for, by its extension (case-insensitive):
 * `.jpeg` is jpg, `.vl.json` is the spec (a plain `.json` is not a chart).
 * Undefined for any other extension.
 */
export function chartFormatOf(path: string): ChartFormat | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  if (name.endsWith(".vl.json")) return "vl.json";
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const extension = name.slice(dot + 1);
  return ALIASES[extension] ??
    CHART_FORMATS.find((format) => format === extension && format !== "vl.json");
}

/** How to render. */
export interface RenderOptions {
  /** Device pixels per chart pixel, for PNG and JPG (and EPS's raster); 1 by default. */
  readonly scale?: number;
  /** What drawing may cost; DEFAULT_CHART_LIMITS by default. */
  readonly limits?: ChartLimits;
}

/** EPS embeds a raster: at least this density, so it prints sharply. */
const EPS_MIN_SCALE = 3;

const encoder = new TextEncoder();

/** The spec as a .vl.json file: stable, indented JSON. */
export function specJson(spec: TopLevelSpec): string {
  return JSON.stringify(spec, null, 2) + "\n";
}

/**
 * The chart as a file's bytes. SVG, PNG and the spec are deterministic: the
 * same spec and options give the same bytes. Fails on a scale that is not
 * a positive number, and on a spec that vega-lite or vega refuses.
 *
 * @throws {ChartLimitError} Before drawing, when the spec holds more data
 *   than the limits allow, or a raster would have more pixels (the spec
 *   itself and the HTML page, which the browser draws, are not capped).
 */
export async function renderChart(
  spec: TopLevelSpec,
  format: ChartFormat,
  options: RenderOptions = {},
): Promise<Uint8Array> {
  const scale = options.scale ?? 1;
  if (!(Number.isFinite(scale) && scale > 0)) {
    throw new RangeError(`Invalid chart scale "${scale}": expected a positive number`);
  }
  if (format === "vl.json") return encoder.encode(specJson(spec));
  if (format === "html") {
    const { renderHtml } = await import("./html.ts");
    return encoder.encode(await renderHtml(spec));
  }
  const limits = options.limits ?? DEFAULT_CHART_LIMITS;
  checkData(spec, limits);
  const { renderSvg } = await import("./to_svg.ts");
  const svg = await renderSvg(spec);
  // Vector formats cost what their data costs; a raster, its pixels too.
  if (format === "png" || format === "jpg" || format === "eps") {
    checkPixels(svgSize(svg), format === "eps" ? Math.max(scale, EPS_MIN_SCALE) : scale, limits);
  }
  switch (format) {
    case "svg":
      return encoder.encode(svg);
    case "png": {
      const { svgToPng } = await import("./raster.ts");
      return await svgToPng(svg, { scale });
    }
    case "jpg": {
      const [{ svgToPixels }, { pixelsToJpeg }] = await Promise.all([
        import("./raster.ts"),
        import("./jpeg.ts"),
      ]);
      return pixelsToJpeg(await svgToPixels(svg, { scale }));
    }
    case "pdf": {
      const { svgToPdf } = await import("./pdf.ts");
      return await svgToPdf(svg, titleText(spec));
    }
    case "eps": {
      const [{ svgToPixels }, { pixelsToEps }] = await Promise.all([
        import("./raster.ts"),
        import("./eps.ts"),
      ]);
      const pixels = await svgToPixels(svg, { scale: Math.max(scale, EPS_MIN_SCALE) });
      const title = titleText(spec);
      return encoder.encode(
        pixelsToEps(pixels, { ...svgSize(svg), ...(title ? { title } : {}) }),
      );
    }
  }
}
