/**
 * A Vega-Lite spec's title as plain text, for file metadata (PDF, EPS, the
 * HTML page's <title>).
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";

/** The title (a string, lines, or a title object's text) as one line; undefined without one. */
export function titleText(spec: TopLevelSpec): string | undefined {
  const title = (spec as { title?: unknown }).title;
  const text = typeof title === "object" && title !== null && !Array.isArray(title)
    ? (title as { text?: unknown }).text
    : title;
  const line = Array.isArray(text) ? text.join(" ") : typeof text === "string" ? text : undefined;
  return line?.replace(/\s+/g, " ").trim() || undefined;
}
