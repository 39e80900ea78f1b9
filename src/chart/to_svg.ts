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

/** The part of vega's (untyped) `textMetrics` that memsnap sets. */
interface TextMetrics {
  width: (item: TextItem, text?: unknown) => number;
}

/** Compiles a Vega-Lite spec to a Vega spec, the embedded font being the default. */
export function compileSpec(spec: TopLevelSpec): vega.Spec {
  return compile(spec, { config: { font: FONT_FAMILY } }).spec;
}

/** A loader that loads nothing: a chart is drawn from the data in its spec only. */
function refusingLoader(): vega.Loader {
  const refuse = (uri: string) =>
    Promise.reject(new Error(`Charts are drawn from inline data only: cannot load "${uri}"`));
  return { ...vega.loader(), load: refuse, sanitize: refuse, http: refuse, file: refuse };
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
 * The chart as an SVG document (UTF-8 text). The same spec gives the same
 * text, byte for byte.
 */
export function renderSvg(spec: TopLevelSpec): Promise<string> {
  const svg = queue.then(async () => {
    await measureWithEmbeddedFont();
    const view = new vega.View(vega.parse(compileSpec(spec)), {
      renderer: "none",
      loader: refusingLoader(),
      logLevel: vega.Error,
    });
    try {
      vega.resetSVGDefIds();
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  });
  queue = svg.catch(() => undefined);
  return svg;
}
