/**
 * SVG → pixels with resvg (its WebAssembly build: it runs in the single
 * binary, where a native addon could not be loaded). resvg is given the
 * embedded font only — it has no access to system fonts — so text renders
 * the same on every machine.
 *
 * @module
 */

import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { readAsset } from "./assets.ts";
import { FONT_FAMILY, fontFiles } from "./font.ts";

/** RGBA pixels, 4 bytes each, row by row, opaque (drawn on white). */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** A raster at this many device pixels per SVG pixel. */
export interface RasterOptions {
  readonly scale: number;
}

let ready: Promise<void> | undefined;

function loadResvg(): Promise<void> {
  ready ??= readAsset("resvgWasm").then((wasm) => initWasm(wasm));
  return ready;
}

async function rendered(svg: string, options: RasterOptions) {
  await loadResvg();
  const { regular, bold } = await fontFiles();
  const resvg = new Resvg(svg, {
    font: {
      fontBuffers: [regular, bold],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      serifFamily: FONT_FAMILY,
      monospaceFamily: FONT_FAMILY,
    },
    fitTo: { mode: "zoom", value: options.scale },
    background: "white",
  });
  try {
    return resvg.render();
  } finally {
    resvg.free();
  }
}

/** The SVG as a PNG image. */
export async function svgToPng(svg: string, options: RasterOptions): Promise<Uint8Array> {
  const image = await rendered(svg, options);
  try {
    return image.asPng();
  } finally {
    image.free();
  }
}

/** The SVG's pixels. */
export async function svgToPixels(svg: string, options: RasterOptions): Promise<Pixels> {
  const image = await rendered(svg, options);
  try {
    return { width: image.width, height: image.height, rgba: image.pixels };
  } finally {
    image.free();
  }
}
