import { deepStrictEqual, doesNotMatch, match, ok, rejects } from "node:assert/strict";
import { Ajv } from "ajv";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { TopLevelSpec } from "vega-lite";
import { CHART_FORMATS, chartFormatOf, renderChart } from "../../src/chart/output.ts";
import { epsPage, pdfInfo, pdfPage } from "../_helpers/chart_readers.ts";
import { barSpec, pieSpec } from "../_helpers/chart_specs.ts";
import { ROOT } from "../_helpers/memsnap.ts";
import { assertDrawn, decodeJpeg, decodePng } from "../_helpers/pixels.ts";

const text = new TextDecoder();

/** Vega-Lite's JSON schema (shipped in its package), compiled once: it is large. */
const validateVegaLite = (async () => {
  const schema = JSON.parse(
    await Deno.readTextFile(`${ROOT}node_modules/vega-lite/build/vega-lite-schema.json`),
  );
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
})();
const SPECS: Record<string, TopLevelSpec> = { pie: pieSpec(), bar: barSpec() };

/** The SVG's declared size: what the rasters must measure (times the scale). */
async function svgSize(spec: TopLevelSpec): Promise<{ width: number; height: number }> {
  const svg = text.decode(await renderChart(spec, "svg", {}));
  const root = new XMLParser({ ignoreAttributes: false }).parse(svg).svg;
  return { width: Number(root["@_width"]), height: Number(root["@_height"]) };
}

Deno.test("the chart formats are the seven the tests below cover", () => {
  deepStrictEqual(CHART_FORMATS, ["svg", "png", "jpg", "pdf", "eps", "html", "vl.json"]);
});

Deno.test("chartFormatOf() reads the format from the extension, .vl.json before .json", () => {
  const cases: [string, string | undefined][] = [
    ["pie.svg", "svg"],
    ["out/pie.PNG", "png"],
    ["a.jpg", "jpg"],
    ["a.jpeg", "jpg"],
    ["a.pdf", "pdf"],
    ["a.eps", "eps"],
    ["a.html", "html"],
    ["a.htm", "html"],
    ["pie.vl.json", "vl.json"],
    ["pie.json", undefined],
    ["pie.txt", undefined],
    ["svg", undefined],
    [".png", undefined],
    ["dir.png/chart", undefined],
  ];
  deepStrictEqual(cases.map(([path]) => [path, chartFormatOf(path)]), cases);
});

for (const [kind, spec] of Object.entries(SPECS)) {
  Deno.test(`renderChart() draws the ${kind} in every format`, async (t) => {
    const { width, height } = await svgSize(spec);
    const dir = await Deno.makeTempDir({ prefix: "memsnap-chart-" });

    await t.step("svg: well-formed XML, the same bytes every time", async () => {
      const svg = text.decode(await renderChart(spec, "svg"));
      deepStrictEqual(XMLValidator.validate(svg), true);
      match(svg, /font-family="DejaVu Sans"/);
      match(svg, /<text[^>]*>[^<]*on n8<\/text>/);
      // Another chart between two renders moves no id.
      await renderChart(SPECS[kind === "pie" ? "bar" : "pie"]!, "svg");
      deepStrictEqual(text.decode(await renderChart(spec, "svg")), svg);
    });

    await t.step("png: the SVG's size times the scale, drawn, deterministic", async () => {
      for (const scale of [1, 2]) {
        const png = await renderChart(spec, "png", { scale });
        const image = decodePng(png);
        deepStrictEqual([image.width, image.height], [width * scale, height * scale]);
        assertDrawn(image, `png ×${scale}`, 0.1);
        deepStrictEqual(await renderChart(spec, "png", { scale }), png);
      }
    });

    await t.step("jpg: the SVG's size times the scale, drawn", async () => {
      const image = decodeJpeg(await renderChart(spec, "jpg", { scale: 2 }));
      deepStrictEqual([image.width, image.height], [width * 2, height * 2]);
      assertDrawn(image, "jpg", 0.1);
    });

    await t.step(
      "pdf: poppler reads one page of the chart's size, with the font embedded",
      async () => {
        const pdf = await renderChart(spec, "pdf");
        const path = `${dir}/${kind}.pdf`;
        await Deno.writeFile(path, pdf);
        const info = await pdfInfo(path);
        deepStrictEqual([info.Pages, info["Page size"]], ["1", `${width} x ${height} pts`]);
        match(info.Title!, /on n8$/);
        const fonts = text.decode(
          (await new Deno.Command("pdffonts", { args: [path] }).output()).stdout,
        );
        match(fonts, /\+DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes/);
        const page = await pdfPage(path);
        deepStrictEqual([page.width, page.height], [width, height]);
        assertDrawn(page, "pdf page", 0.1);
        deepStrictEqual(await renderChart(spec, "pdf"), pdf);
      },
    );

    await t.step("eps: ghostscript draws it within its bounding box", async () => {
      const eps = text.decode(await renderChart(spec, "eps"));
      match(eps, /^%!PS-Adobe-3\.0 EPSF-3\.0\n/);
      match(eps, new RegExp(`\\n%%BoundingBox: 0 0 ${width} ${height}\\n`));
      const path = `${dir}/${kind}.eps`;
      await Deno.writeTextFile(path, eps);
      const { image, log } = await epsPage(path);
      deepStrictEqual(log, "");
      deepStrictEqual([image.width, image.height], [width, height]);
      assertDrawn(image, "eps page", 0.1);
    });

    await t.step("html: self-contained (no script or link fetched), embeds the spec", async () => {
      const html = text.decode(await renderChart(spec, "html"));
      doesNotMatch(html, /<script[^>]*\ssrc=/i);
      doesNotMatch(html, /<link\b/i);
      doesNotMatch(html, /@import|url\(\s*["']?https?:/i);
      const embedded = /<script type="application\/json" id="memsnap-spec">([^]*?)<\/script>/
        .exec(html)?.[1];
      deepStrictEqual(JSON.parse(embedded!), spec);
      for (const library of ["vega", "vega-lite", "vega-embed"]) {
        const version = JSON.parse(
          await Deno.readTextFile(`${ROOT}node_modules/${library}/package.json`),
        ).version;
        ok(html.includes(version), `no ${library} ${version} inlined`);
      }
      // Tooltips: vega-embed's bundled handler.
      match(html, /vg-tooltip/);
      // Each inline script is JavaScript that compiles (three libraries and the page's own).
      const scripts = [...html.matchAll(/<script>([^]*?)<\/script>/g)].map((m) => m[1]!);
      deepStrictEqual(scripts.length, 4);
      for (const script of scripts) new Function(script);
    });

    await t.step("vl.json: the spec, stable, valid against Vega-Lite's schema", async () => {
      const json = text.decode(await renderChart(spec, "vl.json"));
      deepStrictEqual(json, JSON.stringify(spec, null, 2) + "\n");
      const validate = await validateVegaLite;
      ok(validate(JSON.parse(json)), JSON.stringify(validate.errors?.slice(0, 3)));
    });

    await Deno.remove(dir, { recursive: true });
  });
}

Deno.test("renderChart() refuses a spec whose data is a URL, and a bad scale", async () => {
  const remote = { ...barSpec(), data: { url: "https://example.com/data.json" } } as TopLevelSpec;
  await rejects(
    renderChart(remote, "svg"),
    /Charts are drawn from inline data only: cannot load "https:\/\/example.com\/data.json"/,
  );
  await rejects(renderChart(barSpec(), "png", { scale: 0 }), /Invalid chart scale "0"/);
  await rejects(renderChart(barSpec(), "png", { scale: NaN }), /Invalid chart scale "NaN"/);
});

Deno.test("renderChart() draws a spec whose text holds control characters as well-formed SVG, in every format", async () => {
  // chart-render draws specs from anywhere: a title and a label with ESC, BEL, a form feed, U+FFFF.
  const spec = {
    ...barSpec(),
    title: "evil\x1b]0;pwned\x07\x0c\uffff",
  } as TopLevelSpec;
  const svg = text.decode(await renderChart(spec, "svg"));
  deepStrictEqual(XMLValidator.validate(svg), true);
  match(svg, />evil\\x1b]0;pwned\\x07\\x0c\\uffff<\/text>/);
  for (const format of ["png", "jpg", "pdf", "eps"] as const) {
    ok((await renderChart(spec, format)).length > 1000, format);
  }
});
