import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { Answer } from "../../src/app/api_answers.ts";
import { buildPage, pageAnswer, withUi } from "../../src/web/page.ts";

const sha256 = (text: string) => createHash("sha256").update(text).digest("base64");

Deno.test("buildPage(): every inline script is allowed by its hash, and nothing else is", async () => {
  const { html, csp } = await buildPage();
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  // vega, vega-lite, vega-embed, the UI.
  assert.equal(scripts.length, 4);
  const allowed = [...csp.matchAll(/'sha256-([^']+)'/g)].map((m) => m[1]);
  assert.deepEqual(allowed, scripts.map(sha256));
  assert.match(csp, /^default-src 'self'; script-src 'sha256-[^;]* 'unsafe-eval'; /);
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/);
});

Deno.test("buildPage(): the document names no other origin to load from", async () => {
  // The document outside its scripts (whose strings hold HTML templates of their own).
  const html = (await buildPage()).html.replace(/<script>[\s\S]*?<\/script>/g, "<script></script>");
  // No element loads a URL: no src= attribute, no stylesheet link, only the empty data: icon.
  assert.doesNotMatch(html, /<(script|img|iframe)[^>]*\ssrc=/i);
  assert.deepEqual([...html.matchAll(/<link[^>]*>/g)].map((m) => m[0]), [
    '<link rel="icon" href="data:,">',
  ]);
});

Deno.test("withUi(): / and /index.html are the page; anything else goes to the API", async () => {
  const api = (path: string) =>
    Promise.resolve<Answer>({ status: 418, type: "text/plain", body: `api ${path}` });
  const answer = withUi(api);
  for (const path of ["/", "/index.html"]) {
    const page = await answer(path, new URLSearchParams(), undefined);
    assert.equal(page.status, 200);
    assert.equal(page.type, "text/html; charset=utf-8");
    assert.equal(page.headers?.["content-security-policy"], (await buildPage()).csp);
  }
  assert.equal(
    (await answer("/api/v1/report", new URLSearchParams(), undefined)).body,
    "api /api/v1/report",
  );
  assert.equal((await pageAnswer()).headers?.["x-content-type-options"], "nosniff");
});
