/**
 * Vega-Lite spec → one self-contained, interactive HTML page: vega,
 * vega-lite and vega-embed (with its tooltips) are inlined, so the page
 * loads nothing from the network and works offline; the spec is embedded
 * as JSON and compiled by the page.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { readAssetText } from "./assets.ts";
import { FONT_FAMILY } from "./font.ts";
import { titleText } from "./title.ts";

/**
 * Script text made safe inside <script>: no "</script" can end it early and
 * no "<!--" can switch the HTML parser's state (in JavaScript strings and
 * regular expressions, "<\/" and "<\!" mean the same as before).
 */
function inlineScript(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/** JSON made safe inside <script type="application/json">. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/</g, "\\u003c");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The chart as an HTML page (UTF-8 text). */
export async function renderHtml(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite, vegaEmbed] = await Promise.all([
    readAssetText("vegaScript"),
    readAssetText("vegaLiteScript"),
    readAssetText("vegaEmbedScript"),
  ]);
  const options = {
    renderer: "svg",
    config: { font: FONT_FAMILY },
    // Export as PNG/SVG works offline; the source and editor links do not.
    actions: { export: true, source: false, compiled: false, editor: false },
  };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="memsnap">
<title>${escapeHtml(titleText(spec) ?? "memsnap chart")}</title>
<style>body { font-family: "${FONT_FAMILY}", "DejaVu Sans", Verdana, sans-serif; margin: 1em; }</style>
<script>${inlineScript(vega)}</script>
<script>${inlineScript(vegaLite)}</script>
<script>${inlineScript(vegaEmbed)}</script>
</head>
<body>
<div id="chart"></div>
<script type="application/json" id="memsnap-spec">${inlineJson(spec)}</script>
<script type="application/json" id="memsnap-embed-options">${inlineJson(options)}</script>
<script>
const read = (id) => JSON.parse(document.getElementById(id).textContent);
vegaEmbed("#chart", read("memsnap-spec"), read("memsnap-embed-options")).catch((error) => {
  document.getElementById("chart").textContent = "Cannot draw the chart: " + error.message;
});
</script>
</body>
</html>
`;
}
