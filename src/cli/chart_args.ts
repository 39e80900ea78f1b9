/**
 * argv → charts: the report's --pie/--bar and their file options, and the
 * `memsnap chart REC` command (a recording's timeline). Pure: no I/O.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { TIMELINE_GROUPINGS, type TimelineGrouping } from "../chart/timeline_data.ts";
import type { ViewId } from "../view/view_spec.ts";
import { type ChartLimits, LIMIT_OPTIONS } from "../chart/limits.ts";
import { UsageError } from "./errors.ts";

/** A row of each view, as a chart's title names it. */
export const ROW_NOUNS: Readonly<Record<ViewId, string>> = {
  processes: "process",
  users: "user",
  mappings: "mapping",
  system: "memory area",
  cgroups: "cgroup",
  commands: "program",
  "process-tree": "process",
  "system-tree": "memory area",
};

/** Where and how big a chart is written. */
export interface ChartFile {
  /** -o; undefined: a name memsnap chooses (and prints). */
  readonly output?: string;
  readonly force: boolean;
  /** The picture's size in CSS pixels; undefined: the chart's own. */
  readonly width?: number;
  readonly height?: number;
  /** PNG/JPG pixels per CSS pixel. */
  readonly scale?: number;
  /** How many rows or groups get their own slice, bar or area. */
  readonly top?: number;
  /** --max-megapixels, --max-data: what drawing may cost (the defaults otherwise). */
  readonly limits?: Partial<ChartLimits>;
}

/** A report drawn as smem's pie or bar chart. */
export interface ReportChart extends ChartFile {
  readonly kind: "pie" | "bar";
  /** The column that labels the slices or bars. */
  readonly field: string;
  /** --no-unused: a pie of the rows alone, without the memory no row uses. */
  readonly noUnused: boolean;
}

/** `memsnap chart REC`. */
export interface TimelineRequest extends ChartFile {
  readonly file: string;
  readonly by: TimelineGrouping;
}

export type ChartCommand =
  | { readonly kind: "chart"; readonly request: TimelineRequest }
  | { readonly kind: "chart-help" };

/**
 * The columns a chart's table needs: those shown, then the label, then the
 * sort field (smem appends the chart's field to its columns; its rows sort
 * on the sort field).
 */
export function chartColumns(
  view: { readonly columns: readonly string[]; readonly sort: string },
  chart: ReportChart,
): string[] {
  return [...view.columns, chart.field, view.sort];
}

/** The report options that only a chart takes. */
export const CHART_FILE_OPTIONS = [
  "output",
  "force",
  "width",
  "height",
  "scale",
  "top",
  "max-megapixels",
  "max-data",
] as const;

export type FileValues = Partial<Record<typeof CHART_FILE_OPTIONS[number], string | boolean>>;

/**
 * The report's chart, if --pie or --bar asks for one.
 *
 * @throws {UsageError} For both at once, a chart option without a chart, a bad size.
 */
export function reportChart(
  values: FileValues & {
    readonly pie?: string;
    readonly bar?: string;
    readonly "no-unused"?: boolean;
  },
): ReportChart | undefined {
  if (values.pie !== undefined && values.bar !== undefined) {
    throw new UsageError(`Options "--pie" and "--bar" ask for different charts: choose one`);
  }
  const kind = values.pie !== undefined ? "pie" : values.bar !== undefined ? "bar" : undefined;
  if (values["no-unused"] && kind !== "pie") {
    throw new UsageError(`Option "--no-unused" applies to pie charts: add "--pie FIELD"`);
  }
  if (kind === undefined) {
    const given = CHART_FILE_OPTIONS.filter((name) => values[name] !== undefined);
    if (given.length > 0) {
      throw new UsageError(
        `Option${given.length > 1 ? "s" : ""} ${
          given.map((name) => `"--${name}"`).join(", ")
        } appl${given.length > 1 ? "y" : "ies"} to charts: add "--pie FIELD" or "--bar FIELD"`,
      );
    }
    return undefined;
  }
  return {
    kind,
    field: (values.pie ?? values.bar)!,
    noUnused: values["no-unused"] === true,
    ...chartFile(values),
  };
}

/** -o, --force, --width, --height, --scale, --top, --max-megapixels, --max-data, checked. */
export function chartFile(values: FileValues): ChartFile {
  const { output, width, height, scale, top } = values as Record<string, string | undefined>;
  if (output === "") throw new UsageError(`Option "-o" needs a file name`);
  const limits = chartLimits(values as Record<string, string | undefined>);
  return {
    ...(output !== undefined && { output }),
    force: values.force === true,
    ...(width !== undefined && { width: whole("--width", width, 50, 20000) }),
    ...(height !== undefined && { height: whole("--height", height, 50, 20000) }),
    ...(scale !== undefined && { scale: positive("--scale", scale) }),
    ...(top !== undefined && { top: whole("--top", top, 1, 1000) }),
    ...(Object.keys(limits).length > 0 && { limits }),
  };
}

/** --max-megapixels and --max-data, checked: the caps a chart is drawn under. */
export function chartLimits(
  values: { readonly "max-megapixels"?: string; readonly "max-data"?: string },
): Partial<ChartLimits> {
  const megapixels = values["max-megapixels"];
  const data = values["max-data"];
  if (megapixels !== undefined && !(/^\d+(\.\d+)?$/.test(megapixels) && Number(megapixels) > 0)) {
    throw new UsageError(
      `Invalid value "${megapixels}" for ${LIMIT_OPTIONS.maxMegapixels}: expected a number above 0`,
    );
  }
  return {
    ...(megapixels !== undefined && { maxMegapixels: Number(megapixels) }),
    ...(data !== undefined && { maxData: whole(LIMIT_OPTIONS.maxData, data, 1, 1e9) }),
  };
}

function whole(option: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(
      `Invalid value "${text}" for ${option}: expected a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

function positive(option: string, text: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value <= 0 || value > 10) {
    throw new UsageError(
      `Invalid value "${text}" for ${option}: expected a number above 0, at most 10`,
    );
  }
  return value;
}

/** parseArgs's specs of a chart's file options, for the commands that draw one. */
export const CHART_FILE_ARG_SPECS = {
  output: { type: "string", short: "o" },
  force: { type: "boolean" },
  width: { type: "string" },
  height: { type: "string" },
  scale: { type: "string" },
  top: { type: "string" },
  "max-megapixels": { type: "string" },
  "max-data": { type: "string" },
} as const;

const CHART_OPTIONS = {
  help: { type: "boolean", short: "h" },
  ...CHART_FILE_ARG_SPECS,
  by: { type: "string" },
} as const;

/**
 * Parses `memsnap chart REC [options]`.
 *
 * @throws {UsageError} For unknown options, bad values, not one recording.
 */
export function parseChartCommand(
  args: readonly string[],
  explain: (error: unknown) => string,
): ChartCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: CHART_OPTIONS,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`chart: ${explain(error)}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "chart-help" };
  if (positionals.length !== 1) {
    throw new UsageError(`chart needs one recording: memsnap chart REC [-o FILE] [--by users]`);
  }
  const by = values.by ?? "processes";
  if (!(TIMELINE_GROUPINGS as readonly string[]).includes(by)) {
    throw new UsageError(
      `Unknown grouping "${by}" for --by: expected ${
        TIMELINE_GROUPINGS.map((g) => `"${g}"`).join(", ")
      }`,
    );
  }
  return {
    kind: "chart",
    request: { file: positionals[0]!, by: by as TimelineGrouping, ...chartFile(values) },
  };
}

/** `memsnap chart --help`. */
export function chartHelp(): string {
  return `memsnap chart: a recording's timeline: total PSS over time, stacked by the
largest processes (or users, or programs), the rest as "other", with
MemAvailable as a dashed line on its own axis.

Usage: memsnap chart REC [-o FILE] [--by processes|users|commands] [--top N]

Options:
  -o, --output FILE      the chart to write; its extension picks the format:
                         .svg .png .jpg .pdf .eps .html .vl.json
                         (default: memsnap-timeline-BY-HOST-TIME.svg); named on stderr
      --by GROUPING      processes (default), users or commands (programs)
      --top N            groups drawn on their own, by peak PSS (1 to 8; default 8)
      --width PX         the picture's width (default 900)
      --height PX        the picture's height (default 480)
      --scale N          PNG/JPG pixels per px (default 1; 2 for sharp screens)
      --force            replace FILE if it exists (else chart refuses)
      --max-megapixels N a PNG/JPG/EPS of at most N megapixels (default 50)
      --max-data N       at most N data values (default 50000: 5000 snapshots)
  -h, --help             show this help

The recording is read once, front to back; one snapshot at a time is held.

Examples:
  memsnap record -o build.tar.gz -i 500ms -- make -j4
  memsnap chart build.tar.gz -o build.png
  memsnap chart build.tar.gz --by users --top 5 -o users.svg --width 1200
`;
}
