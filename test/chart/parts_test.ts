import { deepStrictEqual, match, ok, throws } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { inflateSync } from "node:zlib";
import { pixelsToEps } from "../../src/chart/eps.ts";
import { fontFaces } from "../../src/chart/font.ts";
import { svgSize } from "../../src/chart/svg_size.ts";
import { textWidthMeasurer } from "../../src/chart/text_metrics.ts";
import { titleText } from "../../src/chart/title.ts";
import type { TopLevelSpec } from "vega-lite";
import { parseChartRenderArgs } from "../../src/cli/chart_render_args.ts";
import { UsageError } from "../../src/cli/errors.ts";

Deno.test("textWidthMeasurer() measures with DejaVu Sans's advances, bold wider, capped by limit", async () => {
  const width = textWidthMeasurer(await fontFaces());
  // DejaVu Sans: "M" advances 1767/2048 em, "i" 569/2048 em.
  deepStrictEqual(width({ fontSize: 2048 }, "M"), 1767);
  deepStrictEqual(width({ fontSize: 2048 }, "i"), 569);
  deepStrictEqual(width({ fontSize: 10 }, "Mi"), width({ fontSize: 20 }, "Mi") / 2);
  ok(width({ fontSize: 11, fontWeight: "bold" }, "memsnap") > width({ fontSize: 11 }, "memsnap"));
  deepStrictEqual(
    width({ fontSize: 11, fontWeight: 700 }, "memsnap"),
    width({ fontSize: 11, fontWeight: "bold" }, "memsnap"),
  );
  // No size: vega's default of 11; surrounding blanks are not drawn.
  deepStrictEqual(width({}, "  pss "), width({ fontSize: 11 }, "pss"));
  deepStrictEqual([
    width({ fontSize: 11 }, ""),
    width({ fontSize: 11 }),
    width({ fontSize: 0 }, "x"),
  ], [0, 0, 0]);
  const long = "a-very-long-process-name-that-goes-on";
  ok(width({ fontSize: 11 }, long) > 100);
  deepStrictEqual(width({ fontSize: 11, limit: 100 }, long), 100);
  deepStrictEqual(width({ fontSize: 11, limit: 100 }, "bash"), width({ fontSize: 11 }, "bash"));
});

Deno.test("pixelsToEps() writes a DSC EPS whose image data is the pixels' RGB", () => {
  // 2 × 1 pixels: red, then blue.
  const pixels = { width: 2, height: 1, rgba: new Uint8Array([255, 0, 0, 255, 0, 0, 255, 255]) };
  const eps = pixelsToEps(pixels, { width: 20.5, height: 10, title: "PSS\non n8" });
  const lines = eps.split("\n");
  deepStrictEqual(lines.slice(0, 8), [
    "%!PS-Adobe-3.0 EPSF-3.0",
    "%%BoundingBox: 0 0 21 10",
    "%%HiResBoundingBox: 0 0 20.5 10",
    "%%Creator: memsnap",
    "%%Title: PSS on n8",
    "%%LanguageLevel: 3",
    "%%Pages: 1",
    "%%EndComments",
  ]);
  match(eps, /\n {2}\/Width 2\n {2}\/Height 1\n/);
  match(eps, /\n%%Trailer\n%%EOF\n$/);
  const hex = /\nimage\n([0-9a-f\n]+)>\n/.exec(eps)![1]!.replace(/\n/g, "");
  deepStrictEqual([...inflateSync(Buffer.from(hex, "hex"))], [255, 0, 0, 0, 0, 255]);
});

Deno.test("svgSize() reads the root element's width and height", () => {
  deepStrictEqual(
    svgSize(
      '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="400" height="227.5"><rect width="1" height="2"/></svg>',
    ),
    { width: 400, height: 227.5 },
  );
  throws(() => svgSize("<svg><rect width='1'/></svg>"), /declares no width and height/);
});

Deno.test("titleText() makes one line of a string, lines or a title object", () => {
  const title = (t: unknown) => titleText({ title: t, mark: "bar" } as TopLevelSpec);
  deepStrictEqual(
    [
      title("PSS  by\nuser"),
      title(["PSS", "on n8"]),
      title({ text: "Swap" }),
      title(undefined),
      title(" "),
    ],
    ["PSS by user", "PSS on n8", "Swap", undefined, undefined],
  );
});

Deno.test("parseChartRenderArgs() takes a spec, -o with a chart extension, --scale, --force and the limits", () => {
  const explain = (error: unknown) => String(error);
  deepStrictEqual(
    parseChartRenderArgs(["a.vl.json", "-o", "b.JPEG", "--scale", "2.5", "--force"], explain),
    {
      kind: "chart-render",
      request: {
        spec: "a.vl.json",
        output: "b.JPEG",
        format: "jpg",
        scale: 2.5,
        force: true,
        limits: {},
      },
    },
  );
  deepStrictEqual(
    parseChartRenderArgs(
      ["-", "--output", "c.vl.json", "--max-megapixels", "0.5", "--max-data", "200000"],
      explain,
    ),
    {
      kind: "chart-render",
      request: {
        spec: "-",
        output: "c.vl.json",
        format: "vl.json",
        scale: 1,
        force: false,
        limits: { maxMegapixels: 0.5, maxData: 200_000 },
      },
    },
  );
  deepStrictEqual(parseChartRenderArgs(["-h"], explain), { kind: "help", topic: "chart-render" });
  for (
    const [args, message] of [
      [["a", "b", "-o", "c.png"], 'Unexpected argument "b"'],
      [
        ["a", "-o", "c.png", "--scale", "17"],
        'Invalid scale "17": expected a number above 0, at most 16',
      ],
      [
        ["a", "-o", "c.png", "--scale=-1"],
        'Invalid scale "-1": expected a number above 0, at most 16',
      ],
      [
        ["a", "-o", "c"],
        'Cannot tell the chart format of "c": expected .svg, .png, .jpg, .pdf, .eps, .html, .vl.json (or .jpeg)',
      ],
    ] as const
  ) {
    throws(
      () => parseChartRenderArgs(args, explain),
      (error) => error instanceof UsageError && error.message === message,
    );
  }
});
