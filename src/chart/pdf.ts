/**
 * SVG → PDF, vector, with pdfkit and svg-to-pdfkit: one page the size of the
 * chart (1 SVG pixel = 1 point), text in the embedded font (embedded in the
 * PDF as a subset). pdfkit's standard fonts (AFM files read from its
 * package directory) are never used: the binary has no such directory.
 *
 * @module
 */

import { Buffer } from "node:buffer";
// @ts-types="@types/pdfkit"
import PDFDocument from "pdfkit";
import SVGtoPDF from "svg-to-pdfkit";
import { FONT_FAMILY, fontFiles } from "./font.ts";
import { svgSize } from "./svg_size.ts";

/** The registered names svg-to-pdfkit looks for, for the regular and bold face. */
const REGULAR = FONT_FAMILY;
const BOLD = `${FONT_FAMILY}-Bold`;

/** The date every PDF claims to be created on, so the same chart gives the same bytes. */
export const CREATION_DATE = new Date(0);

/** The SVG as a one-page PDF. */
export async function svgToPdf(svg: string, title?: string): Promise<Uint8Array> {
  const { regular, bold } = await fontFiles();
  const { width, height } = svgSize(svg);
  const doc = new PDFDocument({
    size: [width, height],
    margin: 0,
    // pdfkit takes font data here too (its types say a name only): no Helvetica, no AFM read.
    font: Buffer.from(regular) as unknown as string,
    // A fixed creation date (the Unix epoch, as reproducible builds use):
    // pdfkit always writes one, and the file ID is a hash of it.
    info: { CreationDate: CREATION_DATE, Creator: "memsnap", ...(title ? { Title: title } : {}) },
  });
  doc.registerFont(REGULAR, Buffer.from(regular));
  doc.registerFont(BOLD, Buffer.from(bold));
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on("end", resolve);
    doc.on("error", reject);
  });
  SVGtoPDF(doc, svg, 0, 0, {
    width,
    height,
    assumePt: true,
    fontCallback: (_family: string, isBold: boolean) => isBold ? BOLD : REGULAR,
  });
  doc.end();
  await done;
  const pdf = Buffer.concat(chunks);
  return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}
