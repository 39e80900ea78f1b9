/**
 * Debian's PDF and PostScript readers (poppler-utils, ghostscript;
 * scripts/ensure-test-tools.sh installs them): they validate memsnap's
 * PDF and EPS charts and rasterise them for pixel checks.
 */

import { decodePng, type Image } from "./pixels.ts";

async function run(command: string, args: string[]): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(command, { args }).output();
  const text = new TextDecoder();
  if (code !== 0) throw new Error(`${command} ${args.join(" ")}: ${text.decode(stderr)}`);
  return text.decode(stdout) + text.decode(stderr);
}

/** `pdfinfo FILE`'s fields. */
export async function pdfInfo(path: string): Promise<Record<string, string>> {
  const lines = (await run("pdfinfo", [path])).split("\n");
  return Object.fromEntries(
    lines.filter((l) => l.includes(":")).map((l) => {
      const at = l.indexOf(":");
      return [l.slice(0, at).trim(), l.slice(at + 1).trim()];
    }),
  );
}

/** The PDF's first page rasterised by poppler's pdftoppm at 72 dpi (1 pt = 1 pixel). */
export async function pdfPage(path: string): Promise<Image> {
  const base = `${path}.page`;
  await run("pdftoppm", ["-png", "-r", "72", "-singlefile", path, base]);
  return decodePng(await Deno.readFile(`${base}.png`));
}

/** The EPS rasterised by ghostscript at 72 dpi, cropped to its bounding box. */
export async function epsPage(path: string): Promise<{ image: Image; log: string }> {
  const out = `${path}.png`;
  const log = await run("gs", [
    "-q",
    "-dSAFER",
    "-dBATCH",
    "-dNOPAUSE",
    "-dEPSCrop",
    "-sDEVICE=png16m",
    "-r72",
    `-sOutputFile=${out}`,
    path,
  ]);
  return { image: decodePng(await Deno.readFile(out)), log };
}
