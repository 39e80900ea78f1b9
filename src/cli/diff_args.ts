/**
 * argv → `memsnap diff`: two sources (or one recording), the view and its
 * columns, the report options that apply to both sides, thresholds and the
 * chart. Pure: no I/O.
 *
 * @module
 */

import { parseArgs } from "node:util";
import type { Selection } from "../select/select.ts";
import { DIFF_VIEW_SPECS, type DiffViewId, type DiffViewRequest } from "../diff/diff_view.ts";
import {
  amountMetricIds,
  parseThreshold,
  type Threshold,
  ThresholdError,
  type ThresholdView,
} from "../diff/threshold.ts";
import { unreachableError } from "../diff/threshold_reach.ts";
import { isAmount } from "../view/column.ts";
import { isColumnOf } from "../view/view_spec.ts";
import { checkColumns, knownColumns, selectionOf } from "./view_args.ts";
import {
  CHART_FILE_ARG_SPECS,
  CHART_FILE_OPTIONS,
  type ChartFile,
  chartFile,
} from "./chart_args.ts";
import { UsageError } from "./errors.ts";
import { parseSize } from "../units/size.ts";

/** The formats a diff is written in. */
export const DIFF_FORMATS = ["table", "json", "csv", "markdown"] as const;
export type DiffFormat = typeof DIFF_FORMATS[number];

/** What --by groups rows by (the -u, -m and -w views have their smem flags too). */
const BY: Readonly<Record<string, DiffViewId>> = {
  process: "processes",
  command: "commands",
  user: "users",
  mapping: "mappings",
  system: "system",
};

/** The live system, as a diff's source. */
export const LIVE = "live";

/** A diff's bar chart. */
export interface DiffChart extends ChartFile {
  /** The column that labels the bars; undefined: the view's name column. */
  readonly label?: string;
}

/** `memsnap diff`, as the command line asks for it. */
export interface DiffRequest {
  /**
   * One or two sources: `live`, a directory, an archive, FILE@N. One alone
   * is a recording: its first and last snapshots (or --peak, or --each).
   */
  readonly sources: readonly string[];
  /** A recording's first snapshot against the one of highest total PSS. */
  readonly peak: boolean;
  /** Every snapshot of a recording: the trend of each row. */
  readonly each: boolean;
  readonly view: DiffViewRequest;
  /** A column shown: a metric sorts by the size of its change, a label by text. */
  readonly sort: string;
  readonly reverse: boolean;
  readonly totals: boolean;
  readonly header: boolean;
  readonly numeric: boolean;
  readonly percent: boolean;
  readonly abbreviate: boolean;
  readonly realMemKb?: number;
  readonly selection: Selection;
  readonly format: DiffFormat;
  /** --fail-if, parsed. */
  readonly thresholds: readonly Threshold[];
  /** --allow-missing: a threshold that names no row warns (else it is an error). */
  readonly allowMissing: boolean;
  /** --bar: the diff drawn as a diverging bar chart. */
  readonly chart?: DiffChart;
}

export const DIFF_OPTIONS = {
  help: { type: "boolean", short: "h" },
  columns: { type: "string", short: "c" },
  sort: { type: "string", short: "s" },
  reverse: { type: "boolean", short: "r" },
  totals: { type: "boolean", short: "t" },
  "no-header": { type: "boolean", short: "H" },
  numeric: { type: "boolean", short: "n" },
  percent: { type: "boolean", short: "p" },
  abbreviate: { type: "boolean", short: "k" },
  realmem: { type: "string", short: "R" },
  processfilter: { type: "string", short: "P" },
  userfilter: { type: "string", short: "U" },
  mapfilter: { type: "string", short: "M" },
  users: { type: "boolean", short: "u" },
  mappings: { type: "boolean", short: "m" },
  system: { type: "boolean", short: "w" },
  by: { type: "string" },
  format: { type: "string" },
  peak: { type: "boolean" },
  each: { type: "boolean" },
  "fail-if": { type: "string", multiple: true },
  "allow-missing": { type: "boolean" },
  bar: { type: "boolean" },
  label: { type: "string" },
  ...CHART_FILE_ARG_SPECS,
} as const;

export type DiffCommand =
  | { readonly kind: "diff"; readonly request: DiffRequest }
  | { readonly kind: "diff-help" };

/**
 * Parses `memsnap diff ARGS`.
 *
 * @throws {UsageError} For unknown options, bad values, a wrong number of sources.
 */
export function parseDiffCommand(
  args: readonly string[],
  explain: (error: unknown) => string,
): DiffCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: DIFF_OPTIONS, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`diff: ${explain(error)}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "diff-help" };
  const sources = positionals;
  if (sources.length === 0 || sources.length > 2) {
    throw new UsageError(
      sources.length === 0
        ? "diff needs what to compare: A B (two sources), or REC (a recording)"
        : `diff compares two sources, not ${sources.length}: "${sources[2]}" is one too many`,
    );
  }
  if ((values.peak || values.each) && sources.length !== 1) {
    throw new UsageError(
      `Option "--${values.peak ? "peak" : "each"}" reads one recording: diff REC --${
        values.peak ? "peak" : "each"
      }`,
    );
  }
  if (values.peak && values.each) {
    throw new UsageError(`Options "--peak" and "--each" ask for different comparisons: choose one`);
  }
  const format = values.format ?? "table";
  if (!(DIFF_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `Unknown format "${format}": expected ${DIFF_FORMATS.map((f) => `"${f}"`).join(", ")}`,
    );
  }
  const viewId = chooseView(values);
  const view = diffView(viewId, values.columns);
  const sort = sortField(view, values.sort);
  const chart = diffChart(values, viewId, values.format !== undefined);
  if (values.each && values["fail-if"] !== undefined) {
    throw new UsageError(
      `Option "--fail-if" checks a diff of two snapshots, not a trend (--each): diff REC or diff REC --peak`,
    );
  }
  const thresholds = (values["fail-if"] ?? []).map((text) => threshold(text, viewId));
  const allowMissing = values["allow-missing"] ?? false;
  if (allowMissing && thresholds.length === 0) {
    throw new UsageError(`Option "--allow-missing" applies to thresholds: add "--fail-if EXPR"`);
  }
  const selection = selectionOf(values as Record<string, string | undefined>);
  // A named row that -U, -M or -n leave out: known before any source is read.
  const unreached = unreachableError(thresholds, { selection, numeric: values.numeric ?? false });
  if (unreached !== undefined && !allowMissing) throw new UsageError(unreached);
  if (chart !== undefined && values.each) {
    throw new UsageError(`Option "--bar" draws a diff of two snapshots, not a trend (--each)`);
  }
  return {
    kind: "diff",
    request: {
      sources,
      peak: values.peak ?? false,
      each: values.each ?? false,
      view,
      sort,
      reverse: values.reverse ?? false,
      totals: values.totals ?? false,
      header: !(values["no-header"] ?? false),
      numeric: values.numeric ?? false,
      percent: values.percent ?? false,
      abbreviate: values.abbreviate ?? false,
      ...(values.realmem !== undefined && { realMemKb: parseSize(values.realmem) }),
      selection,
      format: format as DiffFormat,
      thresholds,
      allowMissing,
      ...(chart !== undefined && { chart }),
    },
  };
}

type Values = Partial<Record<keyof typeof DIFF_OPTIONS, string | boolean | string[]>>;

/** -u, -m, -w or --by: one view. */
function chooseView(values: Values): DiffViewId {
  const flags = (["users", "mappings", "system"] as const).filter((name) => values[name]);
  const by = values.by as string | undefined;
  if (by !== undefined && BY[by] === undefined) {
    throw new UsageError(
      `Unknown grouping "${by}" for --by: expected ${
        Object.keys(BY).map((b) => `"${b}"`).join(", ")
      }`,
    );
  }
  const asked: DiffViewId[] = [...flags, ...(by === undefined ? [] : [BY[by]!])];
  const views = [...new Set(asked)];
  if (views.length > 1) {
    throw new UsageError(
      `Options ${views.map((v) => `"${v}"`).join(" and ")} ask for different views: choose one`,
    );
  }
  return views[0] ?? "processes";
}

/** The view's columns: -c's, checked, or the diff's defaults. */
function diffView(view: DiffViewId, columns: unknown): DiffViewRequest {
  const { spec, defaultColumns } = DIFF_VIEW_SPECS[view];
  const ids = typeof columns === "string" ? columns.split(/[\s,]+/).filter((c) => c !== "") : [];
  if (ids.length > 0) return { view, columns: checkColumns(spec, ids) };
  return { view, columns: checkColumns(spec, defaultColumns), brief: true };
}

/** -s: a column shown; by default the view's (pss), or the first amount shown. */
function sortField(view: DiffViewRequest, given: unknown): string {
  const { spec, defaultSort } = DIFF_VIEW_SPECS[view.view];
  if (typeof given === "string") {
    if (!view.columns.includes(given)) {
      throw new UsageError(
        `Sort field "${given}" is not among the columns shown: ${
          view.columns.map((c) => `"${c}"`).join(", ")
        }`,
      );
    }
    return given;
  }
  if (view.columns.includes(defaultSort)) return defaultSort;
  const amount = view.columns.find((id) => isAmount(spec.columns[id]!));
  return amount ?? view.columns[0]!;
}

/** --bar and its file options, checked. */
function diffChart(values: Values, view: DiffViewId, formatGiven: boolean): DiffChart | undefined {
  if (!values.bar) {
    const given = [...CHART_FILE_OPTIONS, "label" as const].filter((name) =>
      values[name] !== undefined
    );
    if (given.length > 0) {
      throw new UsageError(
        `Option${given.length > 1 ? "s" : ""} ${
          given.map((name) => `"--${name}"`).join(", ")
        } appl${given.length > 1 ? "y" : "ies"} to the diff's chart: add "--bar"`,
      );
    }
    return undefined;
  }
  if (formatGiven) {
    throw new UsageError(
      `Option "--format" applies to the diff's text: a chart's format comes from the extension of -o`,
    );
  }
  const label = values.label as string | undefined;
  const { spec } = DIFF_VIEW_SPECS[view];
  if (label !== undefined && !isColumnOf(spec, label)) {
    throw new UsageError(
      `Unknown field "${label}" for --label in the ${view} view`,
      knownColumns(spec),
    );
  }
  return {
    ...chartFile(values as Record<string, string | boolean>),
    ...(label !== undefined && { label }),
  };
}

/** One --fail-if, checked against the metrics of the view it names (exit 2 with a caret). */
function threshold(text: string, shown: DiffViewId): Threshold {
  const known = (view: ThresholdView) =>
    amountMetricIds(Object.values(DIFF_VIEW_SPECS[view === "shown" ? shown : view].spec.columns));
  try {
    return parseThreshold(text, known);
  } catch (error) {
    if (error instanceof ThresholdError) throw new UsageError(error.message, error.details);
    throw error;
  }
}
