/**
 * Pixels → JPEG with jpeg-js.
 *
 * @module
 */

import { encode } from "jpeg-js";
import type { Pixels } from "./raster.ts";

/** JPEG quality: high enough that thin text and lines stay crisp. */
export const JPEG_QUALITY = 92;

/** The (opaque) pixels as a baseline JPEG. */
export function pixelsToJpeg(pixels: Pixels): Uint8Array {
  const { data } = encode(
    { width: pixels.width, height: pixels.height, data: pixels.rgba },
    JPEG_QUALITY,
  );
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
