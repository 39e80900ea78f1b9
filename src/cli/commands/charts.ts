/**
 * The chart commands: `memsnap chart REC` (a recording's timeline) and
 * `memsnap chart-render SPEC` (a Vega-Lite spec drawn to a file).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import process from "node:process";
import { viewNamed } from "../../app/view_query.ts";
import type { ChartLimits } from "../../chart/limits.ts";
import { CHART_FORMATS, type ChartFormat, chartFormatOf } from "../../chart/output.ts";
import { UsageError } from "../../errors/memsnap_error.ts";
import { describeFsError, SourceError } from "../../errors/source_error.ts";
import { writeWhole } from "../../sink/write_file.ts";
import { VIEWS } from "../../view/registry.ts";
import type { ParsedArgs } from "../argv.ts";
import type { Command } from "../command.ts";
import { EXIT } from "../errors.ts";
import { CHART_FILE_GROUP, CHART_LIMIT_OPTIONS, HELP_OPTION, outputOption } from "../option.ts";
import { printDiagnostics, writeChart } from "../output.ts";
import { chartFileArgs, chartLimitArgs } from "../view_args.ts";

export const chartCommand: Command = {
  name: "chart",
  summary: `a recording's timeline: total PSS over time, stacked by the
largest processes (or users, or programs, or any view's rows), the rest as
"other", with MemAvailable as a dashed line on its own axis.`,
  usage: ["chart REC [-o FILE] [--by VIEW] [--top N]"],
  description: `The recording is read once, front to back; one snapshot at a time is held.
-o's extension picks the format: .svg .png .jpg .pdf .eps .html .vl.json
(default: memsnap-timeline-VIEW-HOST-TIME.svg, named on stderr).`,
  groups: [
    {
      title: "Options",
      options: [
        {
          long: "by",
          value: "VIEW",
          help: `whose rows are stacked: ${
            VIEWS.map((view) => view.id).join(", ")
          } (default processes)`,
        },
        ...CHART_FILE_GROUP.options,
        HELP_OPTION,
      ],
    },
  ],
  examples: [
    ["memsnap record -o build.tar.gz -i 500ms -- make -j4"],
    ["memsnap chart build.tar.gz -o build.png"],
    ["memsnap chart build.tar.gz --by users --top 5 -o users.svg --width 1200"],
  ],
  async run(args, io) {
    if (args.positionals.length !== 1) {
      throw new UsageError(
        `One recording expected: memsnap chart REC [-o FILE] [--by users]`,
      );
    }
    const file = chartFileArgs(args);
    const view = viewNamed(args.value("by") ?? "processes");
    const { timeline } = await import("../../app/timeline.ts");
    const drawn = await timeline({
      recording: args.positionals[0]!,
      view,
      ...(file.top !== undefined && { top: file.top }),
      ...(file.width !== undefined && { width: file.width }),
      ...(file.height !== undefined && { height: file.height }),
    });
    printDiagnostics(drawn.diagnostics, io);
    await writeChart(drawn.spec, { file, chosen: drawn.name, io });
    return EXIT.ok;
  },
};

const EXTENSIONS = CHART_FORMATS.map((format) => `.${format}`).join(", ");

export const chartRenderCommand: Command = {
  name: "chart-render",
  summary: `draw a Vega-Lite spec (a chart's .vl.json, restyled or
not) to a chart file, with memsnap's embedded font and renderers: no browser,
no network, no fonts installed needed.`,
  usage: ["chart-render SPEC.vl.json -o FILE [--scale N] [--force]"],
  description: `The format follows FILE's extension: .svg, .png, .jpg (.jpeg), .pdf, .eps,
.html (interactive, self-contained, works offline) or .vl.json (the spec,
re-indented). SPEC - reads the spec from standard input. The spec's data
must be inline ("values"): nothing is loaded from a URL. A spec above a
limit is refused before drawing (exit 1), naming the option that raises it;
.html and .vl.json are not limited: the browser draws them. SVG, PNG and
.vl.json are byte-for-byte the same for the same spec.`,
  groups: [{
    title: "Options",
    options: [
      outputOption("the chart file to write (required)"),
      {
        long: "scale",
        value: "N",
        help:
          "pixels per chart pixel for .png and .jpg (default 1; .eps embeds a raster at 3 or more)",
      },
      { long: "force", help: "replace FILE if it exists" },
      ...CHART_LIMIT_OPTIONS,
      HELP_OPTION,
    ],
  }],
  examples: [
    ["memsnap chart-render pie.vl.json -o pie.png --scale 2"],
    ["memsnap chart-render pie.vl.json -o pie.pdf"],
    ["jq '.title = \"Memory on db1\"' pie.vl.json | memsnap chart-render - -o pie.html"],
  ],
  async run(args, io) {
    const { spec, output, format, scale, force, limits } = chartRenderArgs(args);
    const { drawChart, parseChartSpec } = await import("../../app/draw_chart.ts");
    const name = spec === "-" ? "standard input" : spec;
    const bytes = await drawChart(parseChartSpec(name, await readSpecText(spec)), {
      format,
      name,
      scale,
      limits,
    });
    await writeWhole(output, bytes, { force });
    io.err(`memsnap: wrote ${output}\n`);
    return EXIT.ok;
  },
};

/** `memsnap chart-render`'s request: a spec file (- for stdin) drawn to -o FILE. */
export interface ChartRenderArgs {
  readonly spec: string;
  readonly output: string;
  readonly format: ChartFormat;
  readonly scale: number;
  readonly force: boolean;
  /** --max-megapixels, --max-data. */
  readonly limits: Partial<ChartLimits>;
}

/**
 * The spec, the file and its format (from its extension), the scale.
 *
 * @throws {UsageError} Without one spec, without -o, for an extension that
 *   is no chart format, or a bad scale.
 */
export function chartRenderArgs(args: ParsedArgs): ChartRenderArgs {
  const [spec, extra] = args.positionals;
  if (spec === undefined) throw new UsageError("A Vega-Lite spec file is expected");
  if (extra !== undefined) throw new UsageError(`Unexpected argument "${extra}"`);
  const output = args.value("output");
  if (output === undefined) throw new UsageError(`Option "-o FILE" is required`);
  const format = chartFormatOf(output);
  if (format === undefined) {
    throw new UsageError(
      `Cannot tell the chart format of "${output}": expected ${EXTENSIONS} (or .jpeg)`,
    );
  }
  const scaleText = args.value("scale");
  const scale = scaleText === undefined ? 1 : Number(scaleText);
  if (
    scaleText !== undefined && (!/^\d+(\.\d+)?$/.test(scaleText) || !(scale > 0 && scale <= 16))
  ) {
    throw new UsageError(`Invalid scale "${scaleText}": expected a number above 0, at most 16`);
  }
  return {
    spec,
    output,
    format,
    scale,
    force: args.flag("force"),
    limits: chartLimitArgs(args).limits ?? {},
  };
}

/** The spec's text, from its file or standard input. */
async function readSpecText(path: string): Promise<string> {
  try {
    if (path !== "-") return await readFile(path, "utf8");
    const chunks: Uint8Array[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
    return new TextDecoder().decode(Buffer.concat(chunks));
  } catch (error) {
    throw new SourceError(`Cannot read "${path}": ${describeFsError(error)}`);
  }
}
