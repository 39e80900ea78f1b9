/**
 * The font every chart is drawn and measured with: DejaVu Sans (regular and
 * bold), embedded in memsnap, so a chart looks the same on a machine with no
 * fonts installed. Licence: docs/charts.md.
 *
 * @module
 */

// @ts-types="@types/fontkit"
import { create, type Font } from "fontkit";
import { Buffer } from "node:buffer";
import { readAsset } from "./assets.ts";

/** The family name charts ask for; the embedded TTFs carry it. */
export const FONT_FAMILY = "DejaVu Sans";

/** The embedded font's two faces, as raw TTF bytes. */
export interface FontFiles {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
}

/** Reads both faces. */
export async function fontFiles(): Promise<FontFiles> {
  const [regular, bold] = await Promise.all([readAsset("font"), readAsset("fontBold")]);
  return { regular, bold };
}

/** Both faces parsed by fontkit, for measuring text. */
export interface Faces {
  readonly regular: Font;
  readonly bold: Font;
}

let faces: Promise<Faces> | undefined;

function parse(bytes: Uint8Array): Font {
  // fontkit reads Buffers (it calls Buffer methods on its input).
  const font = create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!("layout" in font)) throw new Error("The embedded font is a collection, not one face");
  return font;
}

/** The embedded faces, parsed once per process. */
export function fontFaces(): Promise<Faces> {
  faces ??= fontFiles().then(({ regular, bold }) => ({
    regular: parse(regular),
    bold: parse(bold),
  }));
  return faces;
}
