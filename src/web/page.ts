/**
 * The web UI's page: one HTML document holding everything it runs (Vega,
 * Vega-Lite, vega-embed and the UI's own script and style sheet, all
 * embedded in memsnap), so that it loads nothing from anywhere: its
 * Content-Security-Policy allows those inline scripts by their hashes and
 * requests to its own origin only.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { Answer } from "../app/api_answers.ts";
import { readAssetText } from "../chart/assets.ts";

/** Script text made safe inside <script>: no "</script" ends it, no "<!--" switches the parser. */
function inlineScript(text: string): string {
  return text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

const hashOf = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/** The page and the policy that confines it. */
export interface UiPage {
  readonly html: string;
  readonly csp: string;
}

/** Builds the page (its scripts read from the embedded assets). */
export async function buildPage(): Promise<UiPage> {
  const [vega, vegaLite, vegaEmbed, ui, style] = await Promise.all([
    readAssetText("vegaScript"),
    readAssetText("vegaLiteScript"),
    readAssetText("vegaEmbedScript"),
    readAssetText("uiScript"),
    readAssetText("uiStyle"),
  ]);
  const scripts = [vega, vegaLite, vegaEmbed, ui].map(inlineScript);
  const csp = [
    "default-src 'self'",
    // Vega compiles its expressions with Function(): 'unsafe-eval' (no network reach).
    `script-src ${scripts.map(hashOf).join(" ")} 'unsafe-eval'`,
    // vega-embed and its tooltips add style elements of their own.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="memsnap">
<title>memsnap</title>
<link rel="icon" href="data:,">
<style>${style}</style>
${scripts.map((s) => `<script>${s}</script>`).join("\n")}
</head>
<body>
<noscript>memsnap's web UI needs JavaScript.</noscript>
</body>
</html>
`;
  return { html, csp };
}

let page: Promise<UiPage> | undefined;

/** The answer for `/`: the page, with its policy (built once). */
export async function pageAnswer(): Promise<Answer> {
  page ??= buildPage();
  page.catch(() => page = undefined);
  const { html, csp } = await page;
  return {
    status: 200,
    type: "text/html; charset=utf-8",
    body: html,
    headers: {
      "content-security-policy": csp,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    },
  };
}

/** An answerer that serves the page at `/` and everything else as `answer` does. */
export function withUi<A>(
  answer: (path: string, query: URLSearchParams, accept: string | undefined) => Promise<A>,
): (path: string, query: URLSearchParams, accept: string | undefined) => Promise<A | Answer> {
  return (path, query, accept) =>
    path === "/" || path === "/index.html" ? pageAnswer() : answer(path, query, accept);
}
