/**
 * writeDiffChart(): a diff of two snapshots of a fixture recording written
 * in every chart format (decoded, read by poppler and ghostscript, validated),
 * named after its data without -o, never replacing a file without --force;
 * and the --bar options of `memsnap diff`.
 */

import { deepStrictEqual, match, ok, rejects, strictEqual, throws } from "node:assert/strict";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { diffBarHeight, GROWTH_COLOUR, SHRINKAGE_COLOUR } from "../../src/chart/diff_spec.ts";
import { CHART_FORMATS } from "../../src/chart/output.ts";
import type { DiffTable } from "../../src/diff/diff_table.ts";
import { diffChartLabel, diffChartMetric } from "../../src/app/diff_chart.ts";
import { UsageError } from "../../src/cli/errors.ts";
import { memoryIo } from "../../src/cli/io.ts";
import { SourceError } from "../../src/errors/source_error.ts";
import { validateSpec } from "../_helpers/chart.ts";
import { epsPage, pdfInfo, pdfPage } from "../_helpers/chart_readers.ts";
import {
  type DiffChartArgs as DiffChart,
  diffOf,
  sideOf,
  WORKLOAD,
  writeDiffChart,
} from "../_helpers/diff.ts";
import { assertDrawn, decodeJpeg, decodePng, type Image, pixelsOf } from "../_helpers/pixels.ts";

const text = new TextDecoder();

/** The workload's snapshot 14 against its last: growth, shrinkage, gone rows. */
const fixture = (async () => {
  const [a, b] = [await sideOf(`${WORKLOAD}@14`), await sideOf(`${WORKLOAD}@last`)];
  return {
    diff: diffOf(a.snapshot, b.snapshot, "processes"),
    sides: [a.origin, b.origin] as const,
  };
})();

/** Writes the fixture's chart; what memsnap said on stderr. */
async function write(chart: DiffChart, diff?: DiffTable, metric?: string): Promise<string> {
  const { diff: fixtureDiff, sides } = await fixture;
  const io = memoryIo();
  await writeDiffChart(diff ?? fixtureDiff, {
    chart,
    view: "processes",
    ...(metric !== undefined && { metric }),
    sides,
    io,
  });
  return io.stderr();
}

/** Both colours are drawn: growth and shrinkage bars. */
function assertBothColours(image: Image, what: string): void {
  ok(pixelsOf(image, GROWTH_COLOUR) > 500, `${what}: no growth bar`);
  ok(pixelsOf(image, SHRINKAGE_COLOUR) > 500, `${what}: no shrinkage bar`);
}

Deno.test("writeDiffChart() writes the diff in every chart format", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-diff-chart-" });
  try {
    for (const format of CHART_FORMATS) {
      await t.step(format, async () => {
        const file = `${dir}/diff.${format}`;
        const chart = { output: file, force: false, scale: 2, top: 3 };
        strictEqual(await write({ ...chart, width: 600, height: 400 }), `memsnap: wrote ${file}\n`);
        const bytes = await Deno.readFile(file);
        switch (format) {
          case "svg": {
            const svg = text.decode(bytes);
            deepStrictEqual(XMLValidator.validate(svg), true);
            const root = new XMLParser({ ignoreAttributes: false }).parse(svg).svg;
            deepStrictEqual([root["@_width"], root["@_height"]], ["600", "400"]);
            match(svg, /PSS change by process/);
            match(svg, /6 others/);
            break;
          }
          case "png":
          case "jpg": {
            const image = format === "png" ? decodePng(bytes) : decodeJpeg(bytes);
            deepStrictEqual([image.width, image.height], [1200, 800]);
            assertDrawn(image, file);
            // JPEG's noise moves colours: count those near enough.
            if (format === "png") assertBothColours(image, file);
            else {ok(
                pixelsOf(image, GROWTH_COLOUR, 24) > 500 &&
                  pixelsOf(image, SHRINKAGE_COLOUR, 24) > 500,
              );}
            break;
          }
          case "pdf": {
            const info = await pdfInfo(file);
            deepStrictEqual([info.Pages, info.Title], ["1", "PSS change by process"]);
            match(info["Page size"]!, /^600 x 400 pts/);
            const page = await pdfPage(file);
            assertDrawn(page, file);
            assertBothColours(page, file);
            break;
          }
          case "eps": {
            const { image, log } = await epsPage(file);
            deepStrictEqual([log, image.width, image.height], ["", 600, 400]);
            assertDrawn(image, file);
            assertBothColours(image, file);
            break;
          }
          case "html": {
            const html = text.decode(bytes);
            match(html, /^<!DOCTYPE html>/);
            match(html, /<title>PSS change by process<\/title>/);
            const spec = JSON.parse(
              /<script type="application\/json" id="memsnap-spec">([^]*?)<\/script>/.exec(
                html,
              )![1]!,
            );
            // The tooltip: A, B, the change and its share.
            deepStrictEqual(
              spec.layer[0].encoding.tooltip.map((field: { title: string }) => field.title),
              ["Command", "Status", "PSS in A", "PSS in B", "Change", "Change %", "Change, kB"],
            );
            break;
          }
          case "vl.json": {
            const spec = JSON.parse(text.decode(bytes));
            const { valid, errors } = await validateSpec(spec);
            ok(valid, JSON.stringify(errors));
            deepStrictEqual([spec.width, spec.height, spec.data.values.length], [600, 400, 4]);
            break;
          }
        }
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeDiffChart() names the file after B without -o, and replaces a file only with --force", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-diff-chart-" });
  const cwd = Deno.cwd();
  try {
    Deno.chdir(dir);
    const name = "memsnap-diff-processes-pss-vm-20261125T200131Z.svg";
    strictEqual(await write({ force: false }), `memsnap: wrote ${name}\n`);
    const first = await Deno.readTextFile(`${dir}/${name}`);
    // As tall as its bars need: 9 changed rows, 9 bars.
    match(first, new RegExp(`<svg[^>]* width="800" height="${diffBarHeight(9)}"`));
    await rejects(
      write({ force: false }),
      new SourceError(`Cannot write "${name}": it already exists (use --force to replace it)`),
    );
    strictEqual(await Deno.readTextFile(`${dir}/${name}`), first);
    await write({ label: "user", force: true, top: 2 });
    match(await Deno.readTextFile(`${dir}/${name}`), /labelled by User/);
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeDiffChart() draws an amount of memory compared, named by a label column", async () => {
  const chart = { force: false, output: "/nonexistent/never.svg" };
  await rejects(
    write({ ...chart, label: "name" }),
    new UsageError(
      `A diff chart names its bars by a column that names the rows: "name" is none (expected "pid", "user", "command")`,
    ),
  );
  await rejects(
    write(chart, undefined, "vss"),
    new UsageError(
      `A diff chart draws the change of an amount of memory compared: "vss" is none (expected "pss", "uss", "rss", "swap")`,
    ),
  );
  // Without PSS, the first amount compared: a diff of RSS alone draws RSS.
  const [a, b] = [await sideOf(`${WORKLOAD}@14`), await sideOf(`${WORKLOAD}@last`)];
  const rssOnly = diffOf(a.snapshot, b.snapshot, "processes", ["pid", "name", "rss"]);
  const dir = await Deno.makeTempDir({ prefix: "memsnap-diff-chart-" });
  try {
    await write({ force: false, output: `${dir}/rss.vl.json` }, rssOnly);
    const spec = JSON.parse(await Deno.readTextFile(`${dir}/rss.vl.json`));
    strictEqual(spec.title.text, "RSS change by process");
    // Without the command shown, the name labels the bars.
    const changed = rssOnly.rows.filter((row) => row.changes[0]!.change !== 0).length;
    strictEqual(
      spec.title.subtitle[3],
      `9 processes compared · ${changed} changes, labelled by Name`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("diffChartMetric() and diffChartLabel(): the sort field or PSS; the view's name column", async () => {
  const { diff } = await fixture;
  deepStrictEqual(
    [undefined, "pss", "rss", "swap", "command", "pid"].map((sort) => diffChartMetric(diff, sort)),
    ["pss", "pss", "rss", "swap", "pss", "pss"],
  );
  const [a, b] = [await sideOf(`${WORKLOAD}@14`), await sideOf(`${WORKLOAD}@last`)];
  const cases: [Parameters<typeof diffOf>[2], string[], string | undefined, string][] = [
    ["processes", ["pid", "user", "command", "pss"], undefined, "command"],
    ["processes", ["pid", "user", "name", "pss"], undefined, "name"],
    ["processes", ["pid", "user", "command", "pss"], "user", "user"],
    ["commands", ["command", "count", "pss"], undefined, "command"],
    ["users", ["user", "pss"], undefined, "user"],
    ["system", ["area", "used"], undefined, "area"],
  ];
  for (const [view, columns, asked, expected] of cases) {
    const table = diffOf(a.snapshot, b.snapshot, view, columns);
    strictEqual(diffChartLabel(table, view, asked), expected, `${view} ${columns}`);
  }
  throws(
    () => diffChartLabel(diffOf(a.snapshot, b.snapshot, "users", ["pss"]), "users"),
    new UsageError(
      `A diff chart names its bars by a column that names the rows: none is shown (show one with -c)`,
    ),
  );
  throws(
    () =>
      diffChartMetric(diffOf(a.snapshot, b.snapshot, "commands", ["command", "count"]), "count"),
    new UsageError(
      `A diff chart draws the change of an amount of memory compared: "count" is none (compare one with -c)`,
    ),
  );
});
