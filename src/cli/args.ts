/**
 * argv → a typed command, or a UsageError. Pure: no I/O.
 *
 * @module
 */

import { type Format, FORMATS, isFormat } from "../render/formats.ts";
import type { Selection } from "../select/select.ts";
import { type CgroupColumnId, cgroupView } from "../view/cgroups.ts";
import { type CommandColumnId, commandView } from "../view/commands.ts";
import { type MappingColumnId, mappingView } from "../view/mappings.ts";
import { type ProcessTreeColumnId, processTreeView } from "../view/process_tree.ts";
import { type ProcessColumnId, processView } from "../view/processes.ts";
import { type SystemColumnId, systemView } from "../view/system.ts";
import {
  SYSTEM_TREE_DATA_COLUMNS,
  type SystemTreeColumnId,
  systemTreeView,
} from "../view/system_tree_view.ts";
import { type UserColumnId, userView } from "../view/users.ts";
import { isAmount } from "../view/column.ts";
import { isColumnOf, type ViewId, type ViewSpec } from "../view/view_spec.ts";
import { type CaptureScriptCommand, parseCaptureScriptArgs } from "./capture_script_args.ts";
import { type ChartRenderCommand, parseChartRenderArgs } from "./chart_render_args.ts";
import {
  type ChartCommand,
  parseChartCommand,
  type ReportChart,
  reportChart,
} from "./chart_args.ts";
import { type DiffCommand, parseDiffCommand } from "./diff_args.ts";
import { checkColumns, knownColumns, selectionOf } from "./view_args.ts";
import { UsageError } from "./errors.ts";
import { type OptionSpec, REPORT_OPTIONS, type ReportOptionName } from "./options.ts";
import { explainParseError, parseReportArgs } from "./optparse.ts";
import { parseSize } from "../units/size.ts";
import { isSnapCommand, parseSnapCommand, type SnapCommand } from "./snap_args.ts";

/** A view with columns and sort field checked against its catalogue. */
export interface ViewChoice<V extends ViewId, Id extends string> {
  readonly view: V;
  readonly columns: readonly Id[];
  readonly sort: Id;
}

export type ViewRequest =
  | ViewChoice<"processes", ProcessColumnId>
  | ViewChoice<"users", UserColumnId>
  | ViewChoice<"mappings", MappingColumnId>
  | ViewChoice<"system", SystemColumnId>
  | ViewChoice<"cgroups", CgroupColumnId>
  | ViewChoice<"commands", CommandColumnId>
  | ViewChoice<"process-tree", ProcessTreeColumnId>
  | ViewChoice<"system-tree", SystemTreeColumnId>;

/** A report, as the command line asks for it. */
export interface ReportRequest {
  readonly view: ViewRequest;
  readonly reverse: boolean;
  readonly totals: boolean;
  readonly header: boolean;
  readonly autosize: boolean;
  readonly numeric: boolean;
  readonly percent: boolean;
  readonly abbreviate: boolean;
  /** -R, in kB. */
  readonly realMemKb?: number;
  /** -K: the kernel image to measure. */
  readonly kernelImage?: string;
  /** --depth: the cgroup view's folding depth. */
  readonly depth?: number;
  readonly selection: Selection;
  /** -S; undefined for the live system. */
  readonly source?: string;
  /** --max-file-size, in bytes: the most read of one file of -S. */
  readonly maxFileBytes?: number;
  readonly format: Format;
  /** --pie or --bar: the report drawn as a chart into a file. */
  readonly chart?: ReportChart;
}

export type Command =
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "report"; readonly request: ReportRequest }
  | SnapCommand
  | CaptureScriptCommand
  | ChartRenderCommand
  | ChartCommand
  | DiffCommand;

/**
 * Parses memsnap's command line.
 *
 * @throws {UsageError} For an unknown option, a missing value, an unknown
 *   column or sort field, a bad regular expression or size.
 */
export function parseCommand(argv: readonly string[]): Command {
  if (isSnapCommand(argv[0])) return parseSnapCommand(argv[0], argv.slice(1));
  if (argv[0] === "capture-script") {
    return parseCaptureScriptArgs(argv.slice(1), explainParseError);
  }
  if (argv[0] === "chart-render") return parseChartRenderArgs(argv.slice(1), explainParseError);
  if (argv[0] === "chart") return parseChartCommand(argv.slice(1), explainParseError);
  if (argv[0] === "diff") {
    return parseDiffCommand(argv.slice(1), explainParseError);
  }
  const { values, positionals } = parseReportArgs(argv);
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  if (positionals.length > 0) {
    throw new UsageError(`Unexpected argument "${positionals[0]}"`);
  }
  const format = values.format ?? "table";
  if (!isFormat(format)) {
    throw new UsageError(
      `Unknown format "${format}": expected ${FORMATS.map((f) => `"${f}"`).join(", ")}`,
    );
  }
  const columns = values.columns?.split(/[\s,]+/).filter((c) => c !== "");
  const chart = reportChart(values);
  if (chart !== undefined && values.format !== undefined) {
    throw new UsageError(
      `Option "--format" applies to reports: a chart's format comes from the extension of -o`,
    );
  }
  const choose = <V extends ViewId, Row, Id extends string>(
    spec: ViewSpec<Row, Id, V>,
  ): ViewChoice<V, Id> => {
    const choice = chooseColumns(spec, columns, values.sort ?? chartSort(spec, chart));
    if (chart !== undefined) checkChartField(spec, chart);
    return choice;
  };
  const view: ViewRequest = values.cgroups
    ? choose(cgroupView)
    : values.commands
    ? choose(commandView)
    : values.mappings
    ? choose(mappingView)
    : values.users
    ? choose(userView)
    : values.system && values.tree
    ? systemTree(values, columns, format)
    : values.system
    ? choose(systemView)
    : values.tree
    ? choose(processTreeView)
    : choose(processView);
  checkViewOptions(values);

  return {
    kind: "report",
    request: {
      view,
      reverse: values.reverse ?? false,
      totals: values.totals ?? false,
      header: !(values["no-header"] ?? false),
      autosize: values.autosize ?? false,
      numeric: values.numeric ?? false,
      percent: values.percent ?? false,
      abbreviate: values.abbreviate ?? false,
      ...(values.realmem !== undefined && { realMemKb: parseSize(values.realmem) }),
      ...(values.kernel !== undefined && { kernelImage: values.kernel }),
      ...(values.depth !== undefined && { depth: parseDepth(values.depth) }),
      selection: selectionOf(values),
      ...(values.source !== undefined && { source: values.source }),
      ...(values["max-file-size"] !== undefined &&
        { maxFileBytes: parseSize(values["max-file-size"]) * 1024 }),
      format,
      ...(chart !== undefined && { chart }),
    },
  };
}

/**
 * A chart's default sort field: the view's, unless it is no amount (the
 * system view's `order`): then the first amount among its default columns.
 */
function chartSort<Row, Id extends string>(
  spec: ViewSpec<Row, Id>,
  chart: ReportChart | undefined,
): Id | undefined {
  const column = spec.columns[spec.defaultSort];
  if (chart === undefined || isAmount(column)) {
    return undefined;
  }
  return spec.defaultColumns.find((id) => spec.columns[id].quantity === "memory");
}

/** --pie and --bar label rows by one of the view's columns; trees have no such rows. */
function checkChartField<Row, Id extends string>(spec: ViewSpec<Row, Id>, chart: ReportChart) {
  if (spec.depthOf !== undefined) {
    throw new UsageError(
      `Option "--${chart.kind}" draws a view's rows: the ${spec.id} view's rows nest (--tree)`,
    );
  }
  if (!isColumnOf(spec, chart.field)) {
    throw new UsageError(
      `Unknown field "${chart.field}" for --${chart.kind} in the ${spec.id} view`,
      knownColumns(spec),
    );
  }
}

/** memsnap's views beyond smem's take no other view, and --tree and --depth their own. */
function checkViewOptions(values: Partial<Record<ReportOptionName, string | boolean>>): void {
  const views = (["cgroups", "commands", "mappings", "users", "system"] as const)
    .filter((name) => values[name]);
  if (views.length > 1 && (values.cgroups || values.commands)) {
    throw new UsageError(
      `Options ${
        views.map((name) => `"${flag(name)}"`).join(", ")
      } ask for different views: choose one`,
    );
  }
  // -w --tree is the system tree; --tree with any other view is refused.
  const other = views.find((name) => name !== "system");
  if (values.tree && other !== undefined) {
    throw new UsageError(
      `Option "--tree" applies to the process view and the system view (-w), not "${flag(other)}"`,
    );
  }
  if (values.depth !== undefined && !values.cgroups) {
    throw new UsageError('Option "--depth" applies to the cgroup view: add "--cgroups"');
  }
}

/** How --help names an option: its short form if it has one. */
function flag(name: ReportOptionName): string {
  const spec: OptionSpec = REPORT_OPTIONS[name];
  return spec.short === undefined ? `--${name}` : `-${spec.short}`;
}

function parseDepth(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`Invalid depth "${text}": expected a whole number, 0 or more`);
  }
  return Number(text);
}

type Values = ReturnType<typeof parseReportArgs>["values"];

/** -w --tree: its own columns (the data ones for CSV and JSON), a fixed order. */
function systemTree(
  values: Values,
  columns: readonly string[] | undefined,
  format: Format,
): ViewChoice<"system-tree", SystemTreeColumnId> {
  const given = ([
    "sort",
    "reverse",
    "totals",
    "processfilter",
    "userfilter",
    "mapfilter",
    "pie",
    "bar",
  ] as const)
    .filter((name) => values[name] !== undefined)
    .map((name) => `--${name}`);
  if (given.length > 0) {
    throw new UsageError(
      `The system tree (-w --tree) shows all of RAM in a fixed order: ${
        given.join(", ")
      } cannot apply`,
    );
  }
  if (values.kernel !== undefined && values.realmem === undefined) {
    throw new UsageError(
      "The system tree (-w --tree) needs -R with -K: the kernel image is part of the RAM beyond MemTotal",
    );
  }
  const fallback = format === "table" ? undefined : SYSTEM_TREE_DATA_COLUMNS;
  return chooseColumns(
    systemTreeView,
    columns === undefined || columns.length === 0 ? fallback : columns,
    undefined,
  );
}

export function chooseColumns<V extends ViewId, Row, Id extends string>(
  spec: ViewSpec<Row, Id, V>,
  columns: readonly string[] | undefined,
  sort: string | undefined,
): ViewChoice<V, Id> {
  // smem checks the sort field first, then the columns.
  const sortId = sort ?? spec.defaultSort;
  if (!isColumnOf(spec, sortId)) {
    throw new UsageError(
      `Unknown sort field "${sortId}" for the ${spec.id} view`,
      knownColumns(spec),
    );
  }
  const ids = columns === undefined || columns.length === 0 ? spec.defaultColumns : columns;
  return { view: spec.id, columns: checkColumns(spec, ids), sort: sortId };
}
