/**
 * Per kind of result, the renderer of each format: every command that
 * prints a result renders it here. A report's renderers load with memsnap
 * (every plain report prints one); the others' only when a command prints
 * one.
 *
 * @module
 */

import type { Documents, ResultKind } from "./documents.ts";
import type { Format, Renderer, RenderOptions } from "./format.ts";
import { REPORT_RENDERERS } from "./report_renderers.ts";

export { type Format, FORMATS, isFormat, type RenderOptions } from "./format.ts";

/** The renderers of each kind of result, by format. */
export const RENDERERS: {
  readonly [K in ResultKind]: () => Promise<Readonly<Record<Format, Renderer<Documents[K]>>>>;
} = {
  report: () => Promise.resolve(REPORT_RENDERERS),
  diff: async () => (await import("./diff_renderers.ts")).DIFF_RENDERERS,
  trend: async () => (await import("./trend_renderers.ts")).TREND_RENDERERS,
  list: async () => (await import("./list_text.ts")).LIST_RENDERERS,
};

/** Renders a result in a format. */
export async function render<K extends ResultKind>(
  kind: K,
  format: Format,
  document: Documents[K],
  options: RenderOptions,
): Promise<string> {
  const renderers = await RENDERERS[kind]() as Readonly<Record<Format, Renderer<Documents[K]>>>;
  return await renderers[format](document, options);
}
