/** Decoding chart rasters (pngjs, jpeg-js) and the statistics that tell a chart from a blank. */

import { ok } from "node:assert/strict";
import { decode as decodeJpegData } from "jpeg-js";
import { Buffer } from "node:buffer";
// @ts-types="@types/pngjs"
import { PNG } from "pngjs";

/** Decoded RGBA pixels. */
export interface Image {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export function decodePng(bytes: Uint8Array): Image {
  const png = PNG.sync.read(Buffer.from(bytes));
  return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
}

export function decodeJpeg(bytes: Uint8Array): Image {
  const image = decodeJpegData(bytes, { useTArray: true, formatAsRGBA: true });
  return { width: image.width, height: image.height, data: image.data };
}

/** A rectangle of pixels: x, y, width, height (clipped to the image). */
export type Region = readonly [number, number, number, number];

/** Counts of what the pixels in a region (the whole image by default) are. */
export interface PixelStats {
  /** Distinct colours, each channel rounded to 16 levels (JPEG noise merges). */
  readonly colours: number;
  /** Pixels that are not (near) white, as a fraction of all. */
  readonly inked: number;
  /** Pixels that are dark (text, lines): every channel under 96. */
  readonly dark: number;
}

export function pixelStats(image: Image, region?: Region): PixelStats {
  const [x0, y0, w, h] = region ?? [0, 0, image.width, image.height];
  const colours = new Set<number>();
  let inked = 0;
  let dark = 0;
  let total = 0;
  for (let y = y0; y < Math.min(y0 + h, image.height); y++) {
    for (let x = x0; x < Math.min(x0 + w, image.width); x++) {
      const i = (y * image.width + x) * 4;
      const [r, g, b] = [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
      colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
      if (r < 240 || g < 240 || b < 240) inked++;
      if (r < 96 && g < 96 && b < 96) dark++;
      total++;
    }
  }
  return { colours: colours.size, inked: inked / total, dark };
}

/** A chart, not a blank page: several colours, a fair share of ink (above `minInked`), dark text. */
export function assertDrawn(image: Image, what: string, minInked = 0.05): void {
  const stats = pixelStats(image);
  ok(stats.colours >= 5, `${what}: only ${stats.colours} colours`);
  ok(stats.inked > minInked && stats.inked < 0.9, `${what}: ${stats.inked} of the pixels inked`);
  ok(stats.dark > 100, `${what}: ${stats.dark} dark pixels (no text?)`);
}

/** Pixels within `tolerance` of a colour (`#D55E00`) in each channel. */
export function pixelsOf(image: Image, colour: string, tolerance = 8): number {
  const [r, g, b] = [1, 3, 5].map((at) => parseInt(colour.slice(at, at + 2), 16));
  let count = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if (
      Math.abs(image.data[i]! - r!) <= tolerance &&
      Math.abs(image.data[i + 1]! - g!) <= tolerance &&
      Math.abs(image.data[i + 2]! - b!) <= tolerance
    ) count++;
  }
  return count;
}
