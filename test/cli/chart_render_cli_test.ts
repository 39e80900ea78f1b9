/**
 * `memsnap chart-render SPEC -o FILE` as a program: the formats, with the
 * system's fonts hidden (the binary's run under env -i is in binary_test.ts),
 * the same bytes as the library, and the errors.
 */

import { deepStrictEqual, match, ok, throws } from "node:assert/strict";
import { renderChart } from "../../src/chart/output.ts";
import { parseArgv } from "../../src/cli/argv.ts";
import { optionsOf } from "../../src/cli/command.ts";
import {
  type ChartRenderArgs,
  chartRenderArgs,
  chartRenderCommand,
} from "../../src/cli/commands/charts.ts";
import { UsageError } from "../../src/errors/memsnap_error.ts";
import { barSpec, pieSpec, scatterSpec, whiteTitle } from "../_helpers/chart_specs.ts";
import { memsnapProcess } from "../_helpers/memsnap.ts";
import { decodeJpeg, decodePng, pixelStats } from "../_helpers/pixels.ts";

/** An environment in which fontconfig and XDG find no fonts at all. */
function fontlessEnv(empty: string): Record<string, string> {
  return {
    FONTCONFIG_FILE: `${empty}/fonts.conf`,
    FONTCONFIG_PATH: empty,
    XDG_DATA_HOME: empty,
    XDG_DATA_DIRS: empty,
  };
}

async function workDir(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-chart-render-" });
  await Deno.mkdir(`${dir}/empty`);
  await Deno.writeTextFile(`${dir}/pie.vl.json`, JSON.stringify(pieSpec()));
  await Deno.writeTextFile(`${dir}/white-title.vl.json`, JSON.stringify(whiteTitle(pieSpec())));
  return dir;
}

Deno.test("memsnap chart-render draws a spec in every format, without system fonts", async (t) => {
  const dir = await workDir();
  const env = fontlessEnv(`${dir}/empty`);
  const render = (...args: string[]) =>
    memsnapProcess(["chart-render", ...args], { cwd: dir, env });

  await t.step("svg and png: the library's bytes", async () => {
    for (const format of ["svg", "png"] as const) {
      const outcome = await render("pie.vl.json", "-o", `pie.${format}`, "--scale", "2");
      deepStrictEqual([outcome.code, outcome.stderr], [0, `memsnap: wrote pie.${format}\n`]);
      deepStrictEqual(
        await Deno.readFile(`${dir}/pie.${format}`),
        await renderChart(pieSpec(), format, { scale: 2 }),
      );
    }
  });

  await t.step("png: the title is drawn in the embedded font (ink where it stands)", async () => {
    await render("white-title.vl.json", "-o", "white-title.png", "--scale", "2");
    const titled = decodePng(await Deno.readFile(`${dir}/pie.png`));
    const bare = decodePng(await Deno.readFile(`${dir}/white-title.png`));
    deepStrictEqual([titled.width, titled.height], [bare.width, bare.height]);
    // The title's line (scale 2: 2 × 13 px of bold text, centred above the pie).
    const band = (image: typeof titled) => pixelStats(image, [0, 0, image.width, 30]).dark;
    ok(band(titled) > 300, `${band(titled)} dark pixels in the title band`);
    deepStrictEqual(band(bare), 0);
  });

  await t.step("jpg, .jpeg, pdf, eps, html, vl.json", async () => {
    for (const file of ["pie.jpg", "pie.jpeg", "pie.pdf", "pie.eps", "pie.html", "out.vl.json"]) {
      const outcome = await render("pie.vl.json", "-o", file);
      deepStrictEqual([outcome.code, outcome.stderr], [0, `memsnap: wrote ${file}\n`]);
    }
    const jpeg = decodeJpeg(await Deno.readFile(`${dir}/pie.jpeg`));
    ok(pixelStats(jpeg).colours >= 5);
    match(await Deno.readTextFile(`${dir}/pie.pdf`), /^%PDF-1\.3\n/);
    match(await Deno.readTextFile(`${dir}/pie.eps`), /^%!PS-Adobe-3\.0 EPSF-3\.0\n/);
    match(await Deno.readTextFile(`${dir}/pie.html`), /^<!DOCTYPE html>/);
    deepStrictEqual(
      await Deno.readTextFile(`${dir}/out.vl.json`),
      JSON.stringify(pieSpec(), null, 2) + "\n",
    );
  });

  await t.step("- reads the spec from standard input", async () => {
    const stdin = new TextEncoder().encode(JSON.stringify(barSpec()));
    const outcome = await memsnapProcess(["chart-render", "-", "-o", "bar.svg"], {
      cwd: dir,
      env,
      stdin,
    });
    deepStrictEqual(outcome.code, 0);
    deepStrictEqual(await Deno.readFile(`${dir}/bar.svg`), await renderChart(barSpec(), "svg"));
  });

  await Deno.remove(dir, { recursive: true });
});

Deno.test("memsnap chart-render refuses bad input with one line and writes nothing", async () => {
  const dir = await workDir();
  await Deno.writeTextFile(`${dir}/broken.vl.json`, '{"mark": "bar",');
  await Deno.writeTextFile(`${dir}/list.vl.json`, "[1, 2]");
  await Deno.writeTextFile(
    `${dir}/remote.vl.json`,
    JSON.stringify({ ...barSpec(), data: { url: "https://example.com/d.json" } }),
  );
  await Deno.writeTextFile(`${dir}/taken.png`, "mine");
  const cases: [string[], number, RegExp][] = [
    [["pie.vl.json"], 2, /^memsnap chart-render: Option "-o FILE" is required\n/],
    [["-o", "x.png"], 2, /^memsnap chart-render: A Vega-Lite spec file is expected\n/],
    [
      ["pie.vl.json", "-o", "x.json"],
      2,
      /^memsnap chart-render: Cannot tell the chart format of "x.json": expected \.svg, \.png, \.jpg, \.pdf, \.eps, \.html, \.vl\.json \(or \.jpeg\)\n/,
    ],
    [["pie.vl.json", "-o", "x.png", "--scale", "0"], 2, /^memsnap chart-render: Invalid scale "0"/],
    [
      ["pie.vl.json", "-o", "x.png", "--scale", "big"],
      2,
      /^memsnap chart-render: Invalid scale "big"/,
    ],
    [
      ["missing.vl.json", "-o", "x.png"],
      1,
      /^memsnap: Cannot read "missing.vl.json": no such file or directory\n$/,
    ],
    [["broken.vl.json", "-o", "x.png"], 1, /^memsnap: Cannot parse "broken.vl.json": .+\n$/],
    [
      ["list.vl.json", "-o", "x.png"],
      1,
      /^memsnap: Cannot parse "list.vl.json": expected a Vega-Lite spec \(a JSON object\)\n$/,
    ],
    [
      ["remote.vl.json", "-o", "x.png"],
      1,
      /^memsnap: Cannot draw "remote.vl.json": Charts are drawn from inline data only: cannot load "https:\/\/example.com\/d.json"\n$/,
    ],
    [
      ["pie.vl.json", "-o", "taken.png"],
      1,
      /^memsnap: Cannot write "taken.png": it already exists \(use --force to replace it\)\n$/,
    ],
  ];
  for (const [args, code, stderr] of cases) {
    const outcome = await memsnapProcess(["chart-render", ...args], { cwd: dir });
    deepStrictEqual([args, outcome.code, outcome.stdout], [args, code, ""]);
    match(outcome.stderr, stderr);
  }
  const left = [];
  for await (const entry of Deno.readDir(dir)) left.push(entry.name);
  deepStrictEqual(left.sort(), [
    "broken.vl.json",
    "empty",
    "list.vl.json",
    "pie.vl.json",
    "remote.vl.json",
    "taken.png",
    "white-title.vl.json",
  ]);
  deepStrictEqual(await Deno.readTextFile(`${dir}/taken.png`), "mine");
  const forced = await memsnapProcess(
    ["chart-render", "pie.vl.json", "-o", "taken.png", "--force"],
    {
      cwd: dir,
    },
  );
  deepStrictEqual(forced.code, 0);
  deepStrictEqual(decodePng(await Deno.readFile(`${dir}/taken.png`)).width > 0, true);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("memsnap chart-render refuses a heavy spec before drawing it, and draws it under raised limits", async () => {
  const dir = await workDir();
  // The case: 200,000 points on a 20000×20000 canvas (38 s and 4.1 GB as PNG).
  const scatter = (points: number, size: number) => JSON.stringify(scatterSpec(points, size));
  await Deno.writeTextFile(`${dir}/heavy.vl.json`, scatter(200_000, 20_000));
  await Deno.writeTextFile(`${dir}/wide.vl.json`, scatter(10, 20_000));
  const render = (...args: string[]) =>
    memsnapProcess(["chart-render", ...args], { cwd: dir, killAfterMs: 120_000 });
  const data =
    'memsnap: Cannot draw "heavy.vl.json": the spec holds 200,000 data values, above the limit of 50,000: --max-data raises it\n';
  for (const format of ["png", "svg", "pdf"]) {
    const heavy = await render("heavy.vl.json", "-o", `heavy.${format}`);
    deepStrictEqual([heavy.code, heavy.stdout, heavy.stderr], [1, "", data]);
  }
  // Past the data limit, the PNG's pixels are the next.
  const pixels = await render("heavy.vl.json", "-o", "heavy.png", "--max-data", "200000");
  deepStrictEqual(pixels.code, 1);
  match(
    pixels.stderr,
    /^memsnap: Cannot draw "heavy.vl.json": the picture would be 20\d\d\d×20\d\d\d pixels \(40\d\.\d megapixels\), above the limit of 50 megapixels: --max-megapixels raises it\n$/,
  );
  // A wide canvas costs little as a vector; as pixels, what the limit allows.
  const svg = await render("wide.vl.json", "-o", "wide.svg");
  deepStrictEqual([svg.code, svg.stderr], [0, "memsnap: wrote wide.svg\n"]);
  // At a tenth of a pixel per pixel: about 2000×2000, 4 megapixels.
  const small = await render(
    "wide.vl.json",
    "-o",
    "x.png",
    "--scale",
    "0.1",
    "--max-megapixels",
    "3",
  );
  deepStrictEqual(small.code, 1);
  match(small.stderr, /above the limit of 3 megapixels: --max-megapixels raises it\n$/);
  const raised = await render(
    "wide.vl.json",
    "-o",
    "wide.png",
    "--scale",
    "0.1",
    "--max-megapixels",
    "4.1",
  );
  deepStrictEqual([raised.code, raised.stderr], [0, "memsnap: wrote wide.png\n"]);
  deepStrictEqual(decodePng(await Deno.readFile(`${dir}/wide.png`)).width > 2000, true);
  for (
    const [option, value, expected] of [
      [
        "--max-megapixels",
        "0",
        'Invalid value "0" for --max-megapixels: expected a number above 0',
      ],
      [
        "--max-data",
        "1.5",
        'Invalid value "1.5" for --max-data: expected a whole number from 1 to 1000000000',
      ],
    ]
  ) {
    const refused = await render("wide.vl.json", "-o", "x.png", option!, value!);
    deepStrictEqual([refused.code, refused.stderr.split("\n")[0]], [
      2,
      `memsnap chart-render: ${expected}`,
    ]);
  }
  const left = [];
  for await (const entry of Deno.readDir(dir)) left.push(entry.name);
  deepStrictEqual(
    left.filter((name) => name.startsWith("heavy.") || name.startsWith("x.")).sort(),
    [
      "heavy.vl.json",
    ],
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("memsnap --bar and diff --bar draw under the same limits, raised by the same options", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-chart-limits-" });
  const n8 = `${Deno.cwd()}/fixtures/captures/n8.tar.gz`;
  const cases: [string[], number, string][] = [
    [
      ["-S", n8, "--bar", "pid", "--scale", "10", "-o", `${dir}/a.png`],
      0,
      `memsnap: wrote ${dir}/a.png\n`,
    ],
    [
      [
        "-S",
        n8,
        "--bar",
        "pid",
        "--scale",
        "10",
        "--width",
        "900",
        "--height",
        "900",
        "-o",
        `${dir}/b.png`,
      ],
      1,
      `memsnap: Cannot draw "${dir}/b.png": the picture would be 9000×9000 pixels (81.0 megapixels), above the limit of 50 megapixels: --max-megapixels raises it\n`,
    ],
    [
      ["-S", n8, "--bar", "pid", "--max-data", "10", "-o", `${dir}/c.svg`],
      1,
      `memsnap: Cannot draw "${dir}/c.svg": the spec holds 32 data values, above the limit of 10: --max-data raises it\n`,
    ],
    [
      ["-S", n8, "--bar", "pid", "--max-data", "32", "-o", `${dir}/d.svg`],
      0,
      `memsnap: wrote ${dir}/d.svg\n`,
    ],
    [
      ["diff", n8, n8, "--bar", "--max-megapixels", "0.1", "-o", `${dir}/e.png`],
      1,
      `memsnap: Cannot draw "${dir}/e.png": the picture would be 800×`,
    ],
  ];
  for (const [args, code, stderr] of cases) {
    const outcome = await memsnapProcess(args);
    deepStrictEqual(
      [outcome.code, outcome.stderr.slice(0, stderr.length)],
      [code, stderr],
      args.join(" "),
    );
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("memsnap chart-render --help shows the usage and examples", async () => {
  const outcome = await memsnapProcess(["chart-render", "--help"]);
  deepStrictEqual(outcome.code, 0);
  match(outcome.stdout, /^memsnap chart-render: draw a Vega-Lite spec/);
  match(
    outcome.stdout,
    /Usage: memsnap chart-render SPEC\.vl\.json -o FILE \[--scale N\] \[--force\]/,
  );
  match(outcome.stdout, /memsnap chart-render pie\.vl\.json -o pie\.png --scale 2/);
});

/** chart-render's request from its arguments. */
function parsed(args: readonly string[]): ChartRenderArgs {
  return chartRenderArgs(parseArgv({ options: optionsOf(chartRenderCommand) }, args));
}

Deno.test("chart-render takes a spec, -o with a chart extension, --scale, --force and the limits", () => {
  deepStrictEqual(
    parsed(["a.vl.json", "-o", "b.JPEG", "--scale", "2.5", "--force"]),
    { spec: "a.vl.json", output: "b.JPEG", format: "jpg", scale: 2.5, force: true, limits: {} },
  );
  deepStrictEqual(
    parsed(["-", "--output", "c.vl.json", "--max-megapixels", "0.5", "--max-data", "200000"]),
    {
      spec: "-",
      output: "c.vl.json",
      format: "vl.json",
      scale: 1,
      force: false,
      limits: { maxMegapixels: 0.5, maxData: 200_000 },
    },
  );
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
      () => parsed(args),
      (error) => error instanceof UsageError && error.message === message,
    );
  }
});
