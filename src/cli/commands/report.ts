/**
 * `memsnap [options]`: smem's command line — a report of the live system or
 * of a source, in one view — and its charts (--pie, --bar).
 *
 * @module
 */

import { type ReportQuery, runReport } from "../../app/report.ts";
import type { ReportChartQuery } from "../../app/report_chart.ts";
import { currentVersionLine } from "../../app/version.ts";
import { viewQuery } from "../../app/view_query.ts";
import { UsageError } from "../../errors/memsnap_error.ts";
import { FORMATS, render } from "../../render/formats.ts";
import { isAmount } from "../../view/column.ts";
import { type ViewId, viewOf, VIEWS } from "../../view/registry.ts";
import type { ParsedArgs } from "../argv.ts";
import type { Command } from "../command.ts";
import type { Io } from "../io.ts";
import {
  ALL_OPTION,
  CHART_FILE_GROUP,
  EXACT_OPTION,
  FILTER_GROUP,
  FORMAT_OPTION,
  HELP_OPTION,
  LIMIT_OPTION,
  MAX_FILE_OPTION,
  SAMPLING_OPTIONS,
  SHOW_GROUP,
  SOURCE_OPTION,
  VIEW_GROUP,
  WSS_OPTION,
} from "../option.ts";
import { printDiagnostics, writeChart } from "../output.ts";
import {
  chartFileArgs,
  chartFileGiven,
  checkViewOptions,
  chosenView,
  columnsArg,
  costArg,
  durationArg,
  exactArg,
  formatArg,
  limitArg,
  refuseGiven,
  showArgs,
  sourceQueryArgs,
} from "../view_args.ts";
import { columnsHelp } from "./columns_help.ts";

export const reportCommand: Command = {
  name: "",
  summary: `where did my RAM go? Memory per process, user, mapping and
system, with shared memory counted fairly (PSS). A drop-in for smem.`,
  usage: ["[options]", "COMMAND [options]    (memsnap help lists the commands)"],
  description: `Views: ${
    VIEWS.map((view) => `${view.id} (${view.summary})`).join("; ")
  }. smem's flags choose them (-u, -m, -w; --cgroups, --commands, --tree; -w --tree for the system tree), or --by VIEW.`,
  groups: [
    { title: VIEW_GROUP.title, options: [...VIEW_GROUP.options, LIMIT_OPTION] },
    FILTER_GROUP,
    {
      title: SHOW_GROUP.title,
      options: [
        ...SHOW_GROUP.options,
        {
          long: "autosize",
          short: "a",
          help: "size columns to fit terminal size ($COLUMNS when set, even when piped, as ps)",
          smem: true,
        },
        {
          long: "kernel",
          short: "K",
          value: "FILE",
          help: "path to kernel image (uncompressed ELF), for the system views",
          smem: true,
        },
        FORMAT_OPTION,
        SOURCE_OPTION,
        MAX_FILE_OPTION,
      ],
    },
    {
      title: "Sampling the live system",
      options: [...SAMPLING_OPTIONS, ALL_OPTION, EXACT_OPTION, WSS_OPTION],
    },
    {
      title: "Charts",
      options: [
        {
          long: "pie",
          value: "FIELD",
          help: "draw a pie chart: slices sized by the sort field, labelled by FIELD",
          smem: true,
        },
        {
          long: "bar",
          value: "FIELD",
          help: "draw a bar chart: the amount columns shown, per row labelled by FIELD",
          smem: true,
        },
        {
          long: "no-unused",
          help: `a pie of the rows alone: no "unused" slice, shares of the rows' sum`,
        },
        ...CHART_FILE_GROUP.options,
      ],
    },
    {
      title: "Other",
      options: [HELP_OPTION, { long: "version", help: "show the version and exit" }],
    },
  ],
  notes: `${columnsHelp()}
Formats: ${FORMATS.join(", ")}; json and csv carry raw kB whatever -k or -p say.
Charts (--pie, --bar, memsnap chart): -o FILE's extension picks the format,
.svg .png .jpg .pdf .eps .html .vl.json; without -o, a name is chosen and
printed; an existing file is replaced only with --force (docs/charts.md).`,
  examples: [
    ["memsnap", "processes, smallest PSS first"],
    ["memsnap -r -t -k", "largest first, with totals, in K/M/G"],
    ["memsnap --limit 10 -k", "the 10 largest processes, in smem's order"],
    ["memsnap -u -p", "per user, as a share of RAM"],
    ["memsnap -m -s pss -r | head", "the libraries and files that weigh most"],
    ["memsnap -P firefox -t -k", "firefox's processes and their total"],
    ["memsnap -M 'libc\\.so' -u", "what libc costs each user"],
    ["memsnap -w -R 32G", "system view, 32 GiB of RAM installed"],
    ["memsnap --cgroups --depth 2 -r", "per cgroup (two levels down), beside its charge"],
    ["memsnap --commands -r -k", "per program, all its processes together"],
    ["memsnap --tree -P nginx -k", "nginx's processes with their ancestors, summed"],
    ["memsnap -w --tree -k", "all of RAM as a tree that adds up exactly"],
    ["memsnap --by users --format markdown -t", "any view, in any format"],
    ['memsnap -c "pid name pss dirty oom_score cpu gpu" -s oom_score -r'],
    ['memsnap -c "pid name pss_anon pss_file swappss" -s pss_anon -r'],
    ["memsnap --budget 200ms --max-rss 8G", "cheap on a busy host: see docs/sampling.md"],
    ["memsnap --all -P postgres", "other users' processes too, with their RSS (rss-only)"],
    ["memsnap -u --exact -k", "what each user gives back if all its processes stop"],
    ["memsnap -u --exact=lower-bound", "without root: a lower bound (docs/exact.md)"],
    ["memsnap --wss 10s -P nginx", "what nginx touched in 10 s: resets referenced bits"],
    ["memsnap -S capture.tar.gz -u", "read a capture (smem's smemcap layout)"],
    ["memsnap -S /mnt/board", "read a copy of a /proc tree (DIR/proc)"],
    [
      "memsnap -S rec.tar.gz@last -u",
      "the last snapshot of a recording (@N, @first, @TIME, @+90s)",
    ],
    ["memsnap --format json -t | jq .totals"],
    ["memsnap --pie name -o pie.png", 'smem\'s pie: PSS per process, small ones as "other"'],
    ["memsnap -u --pie user --no-unused -o users.svg", "only used memory, per user"],
    ['memsnap --bar name -c "name uss pss rss" --top 10 -o bar.pdf'],
    ["memsnap -S rec.tar.gz@last -m --pie map -o maps.html", "interactive, offline"],
    ["memsnap chart rec.tar.gz --by commands -o timeline.png", "a recording over time"],
    ["memsnap diff before.tar.gz after.tar.gz -k -t", "what changed, per process"],
    ["memsnap diff rec.tar.gz --by command --fail-if 'total.pss>+5%'", "first vs last; CI gate"],
    ["memsnap capture-script > capture.sh; scp capture.sh board:"],
    ["ssh board sh capture.sh -o - > board.tar.gz; memsnap -S board.tar.gz -u"],
  ],
  run: runReportCommand,
};

/** A report's query and how it is shown, from the command line. */
export interface ReportArgs {
  readonly query: ReportQuery;
  readonly chart?: ReportChartQuery & { readonly file: ReturnType<typeof chartFileArgs> };
  readonly format: (typeof FORMATS)[number];
  readonly autosize: boolean;
}

/**
 * The report the command line asks for.
 *
 * @throws {UsageError} For stray arguments, unknown columns or views,
 *   options that do not apply, bad values.
 */
export function reportArgs(args: ParsedArgs): ReportArgs {
  if (args.positionals.length > 0) {
    throw new UsageError(`Unexpected argument "${args.positionals[0]}"`);
  }
  const format = formatArg(args, FORMATS);
  const chart = chartOf(args);
  if (chart !== undefined && args.given("format")) {
    throw new UsageError(
      `Option "--format" applies to reports: a chart's format comes from the extension of -o`,
    );
  }
  const id = chosenView(args);
  checkViewOptions(args, id, reportCommand.groups);
  const exact = exactArg(args, id);
  const asked = viewQuery({
    view: id,
    ...optional("columns", columnsArg(args)),
    ...optional("sort", args.value("sort") ?? (chart === undefined ? undefined : chartSort(id))),
    reverse: args.flag("reverse"),
    ...optional("limit", limitArg(args)),
    data: format !== "table",
  });
  const wss = args.value("wss");
  if (wss !== undefined && viewOf(id).columns.referenced === undefined) {
    throw new UsageError(`Option "--wss" applies to views of processes, not to the ${id} view`);
  }
  const added = [...(exact?.columns ?? []), ...(wss === undefined ? [] : ["referenced"])];
  const query = {
    ...asked,
    columns: [...asked.columns, ...added.filter((c) => !asked.columns.includes(c))],
  };
  const kernel = args.value("kernel");
  return {
    query: {
      view: query,
      ...sourceQueryArgs(args),
      // Read only where the view takes it: smem ignores it elsewhere.
      ...(kernel !== undefined && { kernelImage: kernel }),
      ...costArg(args),
      // JSON always has them: a script is never left to guess what a count stands for.
      ...((args.flag("all") || format === "json") && { rssOnly: true }),
      ...((format === "json" || format === "csv") && { alwaysProvenance: true }),
      ...(exact !== undefined && { exact: exact.mode }),
      ...(wss !== undefined && { wssMs: durationArg("--wss", wss) }),
    },
    ...(chart !== undefined && { chart }),
    format,
    autosize: args.flag("autosize"),
  };
}

/** Runs `memsnap [options]`. */
async function runReportCommand(args: ParsedArgs, io: Io): Promise<number> {
  if (args.flag("version")) {
    await io.out(`${currentVersionLine()}\n`);
    return 0;
  }
  const { query, chart, format, autosize } = reportArgs(args);
  if (chart !== undefined) {
    // The chart stack loads only when a chart is asked for.
    const { reportChart } = await import("../../app/report_chart.ts");
    const drawn = await reportChart(query, chart);
    await writeChart(drawn.spec, { file: chart.file, chosen: drawn.name, io });
    printDiagnostics(drawn.diagnostics, io);
    return 0;
  }
  const result = await runReport(query);
  await io.out(
    await render("report", format, result, {
      ...showArgs(args),
      // smem's width when it finds no terminal: 80.
      ...(autosize && { autosizeColumns: io.terminalColumns() ?? 80 }),
    }),
  );
  printDiagnostics(result.diagnostics, io);
  return 0;
}

/** --pie or --bar, with the chart file's options. */
function chartOf(args: ParsedArgs): ReportArgs["chart"] {
  const pie = args.value("pie");
  const bar = args.value("bar");
  if (pie !== undefined && bar !== undefined) {
    throw new UsageError(`Options "--pie" and "--bar" ask for different charts: choose one`);
  }
  if (args.flag("no-unused") && pie === undefined) {
    throw new UsageError(`Option "--no-unused" applies to pie charts: add "--pie FIELD"`);
  }
  if (pie === undefined && bar === undefined) {
    refuseGiven(args, chartFileGiven(args), `to charts: add "--pie FIELD" or "--bar FIELD"`);
    return undefined;
  }
  refuseGiven(args, ["limit"], `to tables: a chart draws its --top rows`);
  const file = chartFileArgs(args);
  return {
    kind: pie !== undefined ? "pie" : "bar",
    field: (pie ?? bar)!,
    noUnused: args.flag("no-unused"),
    file,
    ...optional("top", file.top),
    ...optional("width", file.width),
    ...optional("height", file.height),
  };
}

/**
 * A chart's default sort field: the view's, unless it is no amount (the
 * system view's `order`): then the first amount among its default columns.
 * A tree's chart draws its parts by its measure (a subtree's sum would
 * count a process once per ancestor).
 */
function chartSort(id: ViewId): string | undefined {
  const view = viewOf(id);
  if (view.tree) return view.measure;
  if (isAmount(view.columns[view.defaultSort]!)) return undefined;
  return view.defaultColumns.find((column) => view.columns[column]!.quantity === "memory");
}

/** `{ [key]: value }`, or nothing when the value is undefined. */
function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}
