/**
 * `memsnap chart-render`'s command line and help. Pure: no I/O.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { CHART_FORMATS, type ChartFormat, chartFormatOf } from "../chart/output.ts";
import type { ChartLimits } from "../chart/limits.ts";
import { chartLimits } from "./chart_args.ts";
import { UsageError } from "./errors.ts";

/** `memsnap chart-render SPEC -o FILE`: a Vega-Lite spec drawn to a chart file. */
export interface ChartRenderRequest {
  /** The Vega-Lite spec (JSON); `-` for standard input. */
  readonly spec: string;
  readonly output: string;
  readonly format: ChartFormat;
  readonly scale: number;
  readonly force: boolean;
  /** --max-megapixels, --max-data. */
  readonly limits: Partial<ChartLimits>;
}

/** `memsnap chart-render`, as the command line asks for it. */
export type ChartRenderCommand =
  | { readonly kind: "chart-render"; readonly request: ChartRenderRequest }
  | { readonly kind: "help"; readonly topic: "chart-render" };

const EXTENSIONS = CHART_FORMATS.map((format) => `.${format}`).join(", ");

function parseScale(text: string): number {
  const scale = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(scale > 0 && scale <= 16)) {
    throw new UsageError(`Invalid scale "${text}": expected a number above 0, at most 16`);
  }
  return scale;
}

/**
 * Parses the arguments after `chart-render`.
 *
 * @param explain Rewords node's parseArgs errors in memsnap's style.
 * @throws {UsageError} Without exactly one spec, without -o, for an
 *   extension that is not a chart format, or a bad scale.
 */
export function parseChartRenderArgs(
  argv: readonly string[],
  explain: (error: unknown) => string,
): ChartRenderCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        output: { type: "string", short: "o" },
        scale: { type: "string" },
        force: { type: "boolean" },
        "max-megapixels": { type: "string" },
        "max-data": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(explain(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help", topic: "chart-render" };
  const [spec, extra] = positionals;
  if (spec === undefined) throw new UsageError("chart-render needs a Vega-Lite spec file");
  if (extra !== undefined) throw new UsageError(`Unexpected argument "${extra}"`);
  if (values.output === undefined) throw new UsageError("chart-render needs -o FILE");
  const format = chartFormatOf(values.output);
  if (format === undefined) {
    throw new UsageError(
      `Cannot tell the chart format of "${values.output}": expected ${EXTENSIONS} (or .jpeg)`,
    );
  }
  return {
    kind: "chart-render",
    request: {
      spec,
      output: values.output,
      format,
      scale: values.scale === undefined ? 1 : parseScale(values.scale),
      force: values.force ?? false,
      limits: chartLimits(values),
    },
  };
}

/** memsnap chart-render --help. */
export function chartRenderHelp(): string {
  return `memsnap chart-render: draw a Vega-Lite spec (a chart's .vl.json, restyled or
not) to a chart file, with memsnap's embedded font and renderers: no browser,
no network, no fonts installed needed.

Usage: memsnap chart-render SPEC.vl.json -o FILE [--scale N] [--force]
                            [--max-megapixels N] [--max-data N]

The format follows FILE's extension: .svg, .png, .jpg (.jpeg), .pdf, .eps,
.html (interactive, self-contained, works offline) or .vl.json (the spec,
re-indented). SPEC - reads the spec from standard input.

Options:
  -o, --output FILE  the chart file to write (required)
      --scale N      pixels per chart pixel for .png and .jpg (default 1;
                     .eps embeds a raster at 3 or more)
      --force        replace FILE if it exists
      --max-megapixels N
                     draw a .png, .jpg or .eps of at most N megapixels
                     (default 50)
      --max-data N   draw a spec of at most N data values (default 50000)
  -h, --help         this help

The spec's data must be inline ("values"): nothing is loaded from a URL. A
spec above a limit is refused before drawing (exit 1), naming the option
that raises it. .html and .vl.json are not limited: the browser draws them.
SVG, PNG and .vl.json are byte-for-byte the same for the same spec.

Examples:
  memsnap chart-render pie.vl.json -o pie.png --scale 2
  memsnap chart-render pie.vl.json -o pie.pdf
  jq '.title = "Memory on db1"' pie.vl.json | memsnap chart-render - -o pie.html

Documentation: docs/charts.md in memsnap's repository.
`;
}
