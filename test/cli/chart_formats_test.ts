/**
 * --pie and --bar in every format, as a program, on a fixture capture, with
 * no system fonts: each format once as a pie and once as a bar, the views
 * taking turns so that every view draws both as a program; the pictures
 * decode to the requested size and are not blank; PDF and EPS are read by
 * poppler and ghostscript; SVG parses; the spec validates.
 */

import { deepStrictEqual, doesNotMatch, match, ok } from "node:assert/strict";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { validateSpec } from "../_helpers/chart.ts";
import { epsPage, pdfInfo, pdfPage } from "../_helpers/chart_readers.ts";
import { memsnapProcess, ROOT } from "../_helpers/memsnap.ts";
import { assertDrawn, decodeJpeg, decodePng } from "../_helpers/pixels.ts";

const N8 = `${ROOT}fixtures/captures/n8.tar.gz`;
const FAMILY = `${ROOT}fixtures/views/family.tar.gz`;

/** Each view, on a fixture, with a field to label by. */
const VIEWS: readonly (readonly string[])[] = [
  ["-S", N8, "--PIE", "name"],
  ["-S", N8, "-u", "--PIE", "user"],
  ["-S", N8, "-m", "--PIE", "map"],
  ["-S", N8, "-w", "--PIE", "area"],
  ["-S", FAMILY, "--cgroups", "--PIE", "cgroup"],
  ["-S", FAMILY, "--commands", "--PIE", "command"],
];

const FORMATS = ["svg", "png", "jpg", "pdf", "eps", "html", "vl.json"] as const;

/** Where fontconfig finds no fonts: the embedded font must draw the text. */
function fontless(dir: string): Record<string, string> {
  return {
    FONTCONFIG_FILE: `${dir}/fonts.conf`,
    FONTCONFIG_PATH: dir,
    XDG_DATA_HOME: dir,
    XDG_DATA_DIRS: dir,
  };
}

const text = new TextDecoder();

for (const [index, format] of FORMATS.entries()) {
  for (const kind of ["pie", "bar"] as const) {
    const view = VIEWS[(2 * index + (kind === "bar" ? 1 : 0)) % VIEWS.length]!
      .map((arg) => arg === "--PIE" ? `--${kind}` : arg);
    Deno.test(`memsnap ${view.slice(2).join(" ")} -o chart.${format}`, async () => {
      const dir = await Deno.makeTempDir({ prefix: "memsnap-chart-format-" });
      try {
        const file = `${dir}/chart.${format}`;
        const { code, stderr } = await memsnapProcess(
          [...view, "-o", file, "--width", "500", "--height", "400", "--scale", "2"],
          { env: fontless(dir) },
        );
        deepStrictEqual([code, stderr], [0, `memsnap: wrote ${file}\n`]);
        const bytes = await Deno.readFile(file);
        switch (format) {
          case "svg": {
            const svg = text.decode(bytes);
            deepStrictEqual(XMLValidator.validate(svg), true);
            const root = new XMLParser({ ignoreAttributes: false }).parse(svg).svg;
            deepStrictEqual([root["@_width"], root["@_height"]], ["500", "400"]);
            break;
          }
          case "png":
          case "jpg": {
            const image = format === "png" ? decodePng(bytes) : decodeJpeg(bytes);
            deepStrictEqual([image.width, image.height], [1000, 800]);
            assertDrawn(image, file);
            break;
          }
          case "pdf": {
            const info = await pdfInfo(file);
            deepStrictEqual(info.Pages, "1");
            match(info["Page size"]!, /^500 x 400 pts/);
            assertDrawn(await pdfPage(file), file);
            break;
          }
          case "eps": {
            const { image } = await epsPage(file);
            deepStrictEqual([image.width, image.height], [500, 400]);
            assertDrawn(image, file);
            break;
          }
          case "html": {
            const html = text.decode(bytes);
            match(html, /^<!DOCTYPE html>/);
            // Self-contained: no script, style or font loaded from anywhere.
            doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|@import|url\(http/);
            break;
          }
          case "vl.json": {
            const { valid, errors } = await validateSpec(JSON.parse(text.decode(bytes)));
            ok(valid, JSON.stringify(errors));
            break;
          }
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
}
