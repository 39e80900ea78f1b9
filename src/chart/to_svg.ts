/**
 * Vega-Lite spec → SVG text, headless: vega-lite compiles the spec, a vega
 * View without a renderer runs it, and vega's SVG string renderer writes it.
 * No canvas and no network: text is measured with the embedded font, and a
 * spec that names a URL (data, image) is refused.
 *
 * @module
 */

import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { FONT_FAMILY, fontFaces } from "./font.ts";
import { type TextItem, textWidthMeasurer } from "./text_metrics.ts";
import { visibleForm } from "../render/terminal_text.ts";

/** The part of vega's (untyped) `textMetrics` that memsnap sets. */
interface TextMetrics {
  width: (item: TextItem, text?: unknown) => number;
}

/** Compiles a Vega-Lite spec to a Vega spec, the embedded font being the default. */
export function compileSpec(spec: TopLevelSpec): vega.Spec {
  return compile(spec, { config: { font: FONT_FAMILY } }).spec;
}

/**
 * A loader that loads nothing: a chart is drawn from the data in its spec
 * only. vega logs a failed load as a warning and draws on: the refusals are
 * kept in `refused` to fail the render.
 */
function refusingLoader(refused: string[]): vega.Loader {
  const refuse = (uri: string) => {
    const message = `Charts are drawn from inline data only: cannot load "${uri}"`;
    refused.push(message);
    return Promise.reject(new Error(message));
  };
  return { ...vega.loader(), load: refuse, sanitize: refuse, http: refuse, file: refuse };
}

/**
 * A vega logger that keeps the errors vega reports, to fail the render,
 * and drops its warnings (on a terminal they would come with stack traces).
 */
function errorCollectingLogger(errors: string[]): vega.LoggerInterface {
  const logger = vega.logger(vega.Warn);
  logger.error = (...args: readonly unknown[]) => {
    errors.push(args.map((a) => a instanceof Error ? a.message : String(a)).join(" "));
    return logger;
  };
  logger.warn = () => logger;
  return logger;
}

/** What XML 1.0 forbids in a document: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates. */
// deno-lint-ignore no-control-regex -- these control characters are what the regex finds.
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|\p{Cs}/gu;

/**
 * The SVG as well-formed XML. vega escapes `<`, `&` and quotes but copies
 * other characters: a control character in a spec's text (a title, a
 * label of chart-render's spec) would make the SVG unreadable to resvg and
 * to any XML parser. It is drawn in its visible form instead (`\x1b`).
 */
function wellFormed(svg: string): string {
  return svg.replace(NOT_XML, visibleForm);
}

let measured = false;

async function measureWithEmbeddedFont(): Promise<void> {
  if (measured) return;
  const faces = await fontFaces();
  (Reflect.get(vega, "textMetrics") as TextMetrics).width = textWidthMeasurer(faces);
  measured = true;
}

// vega numbers clip paths and gradients with module-wide counters: renders
// run one at a time, each from zero, so the same spec gives the same ids.
let queue: Promise<unknown> = Promise.resolve();

/**
 * The chart as an SVG document (UTF-8 text, well-formed XML). The same spec
 * gives the same text, byte for byte. The spec is not modified (vega tags the data rows it
 * is given: it is given a copy).
 *
 * @throws {Error} When vega-lite or vega refuses the spec, or vega reports
 *   an error while running it (e.g. data from a URL).
 */
export function renderSvg(spec: TopLevelSpec): Promise<string> {
  const svg = queue.then(async () => {
    await measureWithEmbeddedFont();
    const errors: string[] = [];
    const refused: string[] = [];
    const view = new vega.View(vega.parse(compileSpec(structuredClone(spec))), {
      renderer: "none",
      loader: refusingLoader(refused),
      logger: errorCollectingLogger(errors),
    });
    try {
      vega.resetSVGDefIds();
      const svg = await view.toSVG();
      const error = refused[0] ?? errors[0];
      if (error !== undefined) throw new Error(error);
      return wellFormed(svg);
    } finally {
      view.finalize();
    }
  });
  queue = svg.catch(() => undefined);
  return svg;
}
