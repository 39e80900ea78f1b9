/**
 * Pixels → EPS. No maintained npm package writes EPS (vector or raster), so
 * the chart is rasterised by resvg (as for PNG) and wrapped in a
 * DSC-conforming EPS 3.0 file: a bounding box in points (1 SVG pixel = 1
 * point), and one PostScript `image` of the RGB pixels, Flate-compressed by
 * node:zlib (LanguageLevel 3) and hex-encoded (ASCIIHexDecode) so the file is
 * 7-bit clean.
 *
 * @module
 */

import { deflateSync } from "node:zlib";
import type { Pixels } from "./raster.ts";

/** The pixels as RGB, the alpha channel dropped (they are opaque). */
function rgb(pixels: Pixels): Uint8Array {
  const out = new Uint8Array(pixels.width * pixels.height * 3);
  for (let i = 0, o = 0; i < pixels.rgba.length; i += 4, o += 3) {
    out[o] = pixels.rgba[i]!;
    out[o + 1] = pixels.rgba[i + 1]!;
    out[o + 2] = pixels.rgba[i + 2]!;
  }
  return out;
}

/** Hex text, 64 bytes (128 digits) per line as DSC asks for lines under 255 characters. */
function hexLines(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return hex.replace(/.{1,128}/g, "$&\n");
}

/**
 * An EPS of the pixels, drawn `width` × `height` points (the chart's size
 * in SVG pixels), whatever the pixel density.
 */
export function pixelsToEps(
  pixels: Pixels,
  size: { width: number; height: number; title?: string },
): string {
  const { width, height } = size;
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  const data = hexLines(deflateSync(rgb(pixels), { level: 9 }));
  return [
    "%!PS-Adobe-3.0 EPSF-3.0",
    `%%BoundingBox: 0 0 ${w} ${h}`,
    `%%HiResBoundingBox: 0 0 ${width} ${height}`,
    "%%Creator: memsnap",
    ...(size.title ? [`%%Title: ${size.title.replace(/[\r\n]+/g, " ")}`] : []),
    "%%LanguageLevel: 3",
    "%%Pages: 1",
    "%%EndComments",
    "%%Page: 1 1",
    "gsave",
    `${width} ${height} scale`,
    "/DeviceRGB setcolorspace",
    "<<",
    "  /ImageType 1",
    `  /Width ${pixels.width}`,
    `  /Height ${pixels.height}`,
    "  /BitsPerComponent 8",
    "  /Decode [0 1 0 1 0 1]",
    `  /ImageMatrix [${pixels.width} 0 0 -${pixels.height} 0 ${pixels.height}]`,
    "  /DataSource currentfile /ASCIIHexDecode filter /FlateDecode filter",
    ">>",
    "image",
    data + ">",
    "grestore",
    "showpage",
    "%%Trailer",
    "%%EOF",
    "",
  ].join("\n");
}
