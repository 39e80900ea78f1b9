import assert from "node:assert/strict";
import type { TopLevelSpec } from "vega-lite";
import {
  ChartLimitError,
  checkData,
  checkPixels,
  dataValues,
  DEFAULT_CHART_LIMITS,
} from "../../src/chart/limits.ts";
import { renderChart } from "../../src/chart/output.ts";
import { barSpec, scatterSpec } from "../_helpers/chart_specs.ts";

Deno.test("dataValues() counts the rows of every data source of a spec: values, text, datasets, sequences, lookups", () => {
  assert.equal(dataValues(scatterSpec(12, 100)), 12);
  assert.equal(
    dataValues({
      datasets: { a: [1, 2, 3], b: [4] },
      data: { name: "a" },
      layer: [
        { data: { values: "x,y\n1,2\n3,4", format: { type: "csv" } }, mark: "bar" },
        { data: { sequence: { start: 0, stop: 100, step: 10 } }, mark: "line" },
        {
          mark: "point",
          transform: [{ lookup: "k", from: { data: { values: [{ k: 1 }, { k: 2 }] }, key: "k" } }],
        },
      ],
      // Axis values are not data.
      encoding: { x: { axis: { values: [1, 2, 3, 4, 5] } } },
    }),
    4 + 3 + 10 + 2,
  );
  assert.equal(dataValues({ data: { sequence: { start: 0, stop: 1, step: 0 } } }), Infinity);
  assert.equal(dataValues({ data: { sequence: { start: 0, stop: 1e12 } } }), 1e12);
});

Deno.test("checkData() and checkPixels() refuse what is above a limit, naming the option that raises it", () => {
  assert.throws(() => checkData(scatterSpec(200_000, 100), DEFAULT_CHART_LIMITS), {
    name: "ChartLimitError",
    message: "the spec holds 200,000 data values, above the limit of 50,000: --max-data raises it",
  });
  assert.throws(
    () => checkData({ data: { sequence: { start: 0, stop: 1, step: -1 } } }, DEFAULT_CHART_LIMITS),
    {
      message:
        "the spec holds endless data values, above the limit of 50,000: --max-data raises it",
    },
  );
  checkData(scatterSpec(50_000, 100), DEFAULT_CHART_LIMITS);
  assert.throws(() => checkPixels({ width: 20024, height: 20024 }, 1, DEFAULT_CHART_LIMITS), {
    name: "ChartLimitError",
    message:
      "the picture would be 20024×20024 pixels (401.0 megapixels), above the limit of 50 megapixels: --max-megapixels raises it",
  });
  // 9000×4800 at scale 10: 43.2 megapixels, under the limit; 9900×5280 at 11 is not.
  checkPixels({ width: 900, height: 480 }, 10, DEFAULT_CHART_LIMITS);
  assert.throws(() => checkPixels({ width: 900, height: 480 }, 11, DEFAULT_CHART_LIMITS), {
    message:
      "the picture would be 9900×5280 pixels (52.3 megapixels), above the limit of 50 megapixels: --max-megapixels raises it",
  });
});

Deno.test("renderChart() refuses before drawing a spec above the limits, and draws it once they are raised", async () => {
  const heavy = scatterSpec(200_000, 20_000);
  for (const format of ["svg", "png", "jpg", "pdf", "eps"] as const) {
    await assert.rejects(() => renderChart(heavy, format), ChartLimitError, format);
  }
  // The spec and the page (which the browser draws) are not drawn here: not limited.
  assert.ok((await renderChart(heavy, "vl.json")).length > 200_000);
  const small = scatterSpec(12, 20_000);
  const limits = { maxMegapixels: 50, maxData: 10 };
  await assert.rejects(() => renderChart(small, "svg", { limits }), {
    message: "the spec holds 12 data values, above the limit of 10: --max-data raises it",
  });
  // A vector picture costs what its data costs, whatever its size.
  assert.match(
    new TextDecoder().decode(
      await renderChart(small, "svg", { limits: { ...limits, maxData: 12 } }),
    ),
    /^<svg[^>]* width="20\d\d\d" height="20\d\d\d"/,
  );
  await assert.rejects(() => renderChart(small, "png", { limits: { ...limits, maxData: 12 } }), {
    message:
      /^the picture would be 20\d\d\d×20\d\d\d pixels \(40\d\.\d megapixels\), above the limit of 50 megapixels: --max-megapixels raises it$/,
  });
  // EPS rasters at 3 pixels per pixel at least: the 424×393 chart is 1.5 megapixels there.
  const bar = { ...barSpec(), width: 300, height: 300 } as TopLevelSpec;
  await assert.rejects(
    () => renderChart(bar, "eps", { limits: { maxMegapixels: 0.5, maxData: 100 } }),
    {
      message:
        "the picture would be 1272×1179 pixels (1.5 megapixels), above the limit of 0.5 megapixels: --max-megapixels raises it",
    },
  );
  assert.ok(
    (await renderChart(bar, "png", { limits: { maxMegapixels: 0.5, maxData: 100 } })).length > 0,
  );
});
