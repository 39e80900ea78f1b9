/**
 * Text widths for vega's layout, measured with the embedded font's glyph
 * advances (fontkit) instead of vega's estimate (0.8 × size per character):
 * headless vega has no canvas to measure with, and the width it lays out
 * with must be the width resvg and pdfkit draw with the same font.
 *
 * @module
 */

import type { Faces } from "./font.ts";

/** What vega passes to `textMetrics.width`: a text mark item (the fields read here). */
export interface TextItem {
  readonly fontSize?: number | string | null;
  readonly fontWeight?: number | string | null;
  readonly limit?: number | null;
}

/** vega's default font size for a text mark without one. */
const DEFAULT_FONT_SIZE = 11;

function isBold(weight: TextItem["fontWeight"]): boolean {
  if (weight === null || weight === undefined) return false;
  if (typeof weight === "number") return weight >= 600;
  return weight === "bold" || weight === "bolder" || Number(weight) >= 600;
}

/**
 * A `textMetrics.width` for vega: the width in pixels of one line of `text`
 * in `item`'s size and weight. A line longer than the item's `limit` is
 * reported as `limit` wide — vega truncates it to fit when drawing, and its
 * truncation search (which calls this on ever shorter prefixes) still sees
 * every prefix that fits at its true width.
 */
export function textWidthMeasurer(faces: Faces): (item: TextItem, text?: unknown) => number {
  const widths = new Map<string, number>();
  return (item, text) => {
    const size = item.fontSize === null || item.fontSize === undefined
      ? DEFAULT_FONT_SIZE
      : Number(item.fontSize) || 0;
    const line = text === null || text === undefined ? "" : String(text).trim();
    if (size <= 0 || line === "") return 0;
    const bold = isBold(item.fontWeight);
    const key = `${bold ? "b" : "r"}${line}`;
    let em = widths.get(key);
    if (em === undefined) {
      const face = bold ? faces.bold : faces.regular;
      em = face.layout(line).advanceWidth / face.unitsPerEm;
      widths.set(key, em);
    }
    const width = em * size;
    const limit = Number(item.limit) || 0;
    return limit > 0 ? Math.min(width, limit) : width;
  };
}
