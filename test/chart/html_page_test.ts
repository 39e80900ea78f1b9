/**
 * The HTML chart as a page: run in jsdom (a DOM in JavaScript, no browser
 * needed), with the network unreachable, its inline scripts draw the chart
 * and show a tooltip on hover.
 */

import { deepStrictEqual, ok } from "node:assert/strict";
// @ts-types="@types/jsdom"
import { JSDOM, VirtualConsole } from "jsdom";
import { renderChart } from "../../src/chart/output.ts";
import { pieSpec } from "../_helpers/chart_specs.ts";

/** Waits until `found()` is true, polling; fails after `ms`. */
async function until(found: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!found()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

Deno.test("the HTML chart draws itself offline and shows tooltips", async () => {
  const html = new TextDecoder().decode(await renderChart(pieSpec(), "html"));
  const errors: string[] = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on("jsdomError", (error) => {
    // jsdom has no canvas: vega measures text without one, as headless.
    if (!/HTMLCanvasElement's getContext/.test(error.message)) errors.push(error.message);
  });
  const dom = new JSDOM(html, {
    runScripts: "dangerously",
    pretendToBeVisual: true,
    virtualConsole,
    // Browsers have structuredClone; jsdom's window does not.
    beforeParse: (window) => Reflect.set(window, "structuredClone", structuredClone),
  });
  try {
    const document = dom.window.document;
    await until(() => document.querySelector("#chart svg .mark-arc path") !== null, "the chart");
    deepStrictEqual(document.querySelectorAll("#chart svg .mark-arc path").length, 6);
    const texts = [...document.querySelectorAll("#chart svg text")].map((t) => t.textContent);
    ok(texts.includes("PSS by process on n8"), texts.join(", "));
    ok(texts.includes("firefox"), texts.join(", "));

    const slice = document.querySelector("#chart svg .mark-arc path")!;
    const Pointer = Reflect.get(dom.window, "PointerEvent") as typeof dom.window.MouseEvent;
    for (const type of ["pointerover", "pointermove"]) {
      slice.dispatchEvent(new Pointer(type, { bubbles: true, clientX: 100, clientY: 100 }));
    }
    const tooltip = () => document.querySelector("#vg-tooltip-element");
    await until(() => tooltip()?.classList.contains("visible") === true, "the tooltip");
    // The first slice: firefox, 1000 (the field titles, then the values).
    deepStrictEqual(tooltip()!.textContent, "PSS (MiB)1000namefirefox");
    deepStrictEqual(errors, []);
  } finally {
    dom.window.close();
  }
});
