/**
 * `memsnap diff`: what changed between two snapshots (or over a recording,
 * with --each), with thresholds that fail a CI job (exit 3) and a chart.
 *
 * @module
 */

import type { DiffQuery } from "../../app/diff.ts";
import type { TrendQuery } from "../../app/trend.ts";
import { UsageError } from "../../errors/memsnap_error.ts";
import type { Threshold } from "../../diff/threshold.ts";
import { THRESHOLD_HELP } from "../../diff/threshold_help.ts";
import { knownColumns } from "../../app/view_query.ts";
import { type Format, FORMATS, render } from "../../render/formats.ts";
import { isColumnOf } from "../../view/view.ts";
import { type ViewId, viewOf } from "../../view/registry.ts";
import type { ParsedArgs } from "../argv.ts";
import type { Command } from "../command.ts";
import { EXIT } from "../errors.ts";
import type { Io } from "../io.ts";
import {
  CHART_FILE_GROUP,
  EXACT_OPTION,
  FILTER_GROUP,
  FORMAT_OPTION,
  HELP_OPTION,
  SHOW_GROUP,
  VIEW_GROUP,
} from "../option.ts";
import { printDiagnostics, writeChart } from "../output.ts";
import {
  type ChartFile,
  chartFileArgs,
  chartFileGiven,
  checkViewOptions,
  chosenView,
  columnsArg,
  depthArg,
  exactArg,
  formatArg,
  realMemArg,
  refuseGiven,
  selectionArg,
  showArgs,
} from "../view_args.ts";

export const diffCommand: Command = {
  name: "diff",
  summary: "what changed between two snapshots, with thresholds for CI",
  usage: [
    "diff [options] A B",
    "diff [options] REC            (first and last snapshot of a recording)",
    "diff [options] REC --peak     (first and the one of highest total PSS)",
    "diff [options] REC --each     (every snapshot: each row's trend)",
  ],
  description: `A and B are sources as -S takes them: "live" (this system now), a capture
FILE.tar.gz, a recording's snapshot FILE@N, FILE@first, FILE@last, FILE@TIME,
or a directory holding proc/. Per metric shown: A, B, the change (B - A) and
the change in % of A (without -c, the table shows so the sort metric, and the
others' change only; 1000 % and more as >+999.9). Rows only in A are "gone",
only in B "new". Sorted by
the size of the PSS change, largest first. A process is the same on both
sides when its pid and its start time are; --by commands lines up restarted
services. Every view can be compared (--by VIEW, or the report's flags).`,
  groups: [
    VIEW_GROUP,
    FILTER_GROUP,
    { title: SHOW_GROUP.title, options: [...SHOW_GROUP.options, FORMAT_OPTION] },
    {
      title: "Comparisons",
      options: [
        { long: "peak", help: "a recording's first snapshot against its highest total PSS" },
        { long: "each", help: "every snapshot of a recording: each row's trend" },
        {
          long: "fail-if",
          value: "EXPR",
          multiple: true,
          help: "exit 3 when a change crosses EXPR (repeatable; below)",
        },
        {
          long: "allow-missing",
          help:
            "a --fail-if row on neither side only warns (else exit 1, or 2 when -U, -M or -n leave it out)",
        },
        {
          ...EXACT_OPTION,
          help:
            "add the exact columns (--exact in memsnap --help; docs/exact.md): each side live, or a capture taken with capture --pages",
        },
        {
          long: "allow-estimates",
          help:
            "--fail-if judges processes a sampled snapshot did not walk (carried, rss-only) too (else exit 1, naming them)",
        },
      ],
    },
    {
      title: "Chart",
      options: [
        { long: "bar", help: "draw the largest changes as a diverging bar chart" },
        { long: "label", value: "FIELD", help: "the column that labels the chart's bars" },
        ...CHART_FILE_GROUP.options,
      ],
    },
    { title: "Other", options: [HELP_OPTION] },
  ],
  notes: THRESHOLD_HELP,
  examples: [
    ["memsnap capture -o before.tar.gz; ./deploy.sh; memsnap capture -o after.tar.gz"],
    ["memsnap diff before.tar.gz after.tar.gz -k -t"],
    ["memsnap diff before.tar.gz live --by commands"],
    ["memsnap diff run.tar.gz --peak -u"],
    ["memsnap diff run.tar.gz --each", "leak suspects: memory that grew steadily"],
    ["memsnap diff before.tar.gz after.tar.gz --fail-if 'total.pss>+5%' --format markdown"],
    ["memsnap diff before.tar.gz after.tar.gz --bar -o diff.png"],
    [
      "memsnap diff before.tar.gz after.tar.gz -u --exact",
      "captures taken with capture --pages: each user's GroupUSS before and after",
    ],
  ],
  run: runDiffCommand,
};

/** A diff or a trend, and how it is shown, from the command line. */
type DiffArgs =
  | { readonly kind: "diff"; readonly query: DiffQuery; readonly chart?: DiffChartArgs }
  | { readonly kind: "trend"; readonly query: TrendQuery };

interface DiffChartArgs {
  readonly file: ChartFile;
  readonly label?: string;
}

/**
 * The diff the command line asks for.
 *
 * @throws {UsageError} For a wrong number of sources, options that exclude
 *   each other, unknown columns, bad thresholds.
 */
export async function diffArgs(args: ParsedArgs): Promise<DiffArgs & { format: Format }> {
  const sources = args.positionals;
  if (sources.length === 0 || sources.length > 2) {
    throw new UsageError(
      sources.length === 0
        ? "Nothing to compare: give A B (two sources), or REC (a recording)"
        : `Two sources at most, not ${sources.length}: "${sources[2]}" is one too many`,
    );
  }
  const peak = args.flag("peak");
  const each = args.flag("each");
  if ((peak || each) && sources.length !== 1) {
    const option = peak ? "peak" : "each";
    throw new UsageError(`Option "--${option}" reads one recording: memsnap diff REC --${option}`);
  }
  if (peak && each) {
    throw new UsageError(`Options "--peak" and "--each" ask for different comparisons: choose one`);
  }
  const format = formatArg(args, FORMATS);
  const id = chosenView(args);
  const { diffViewQuery } = await import("../../app/diff.ts");
  const sort = args.value("sort");
  const exact = exactArg(args, id);
  const asked = diffViewQuery({
    view: id,
    ...(columnsArg(args) !== undefined && { columns: columnsArg(args)! }),
    ...(sort !== undefined && { sort }),
    reverse: args.flag("reverse"),
  });
  const view = exact === undefined ? asked : {
    ...asked,
    columns: [...asked.columns, ...exact.columns.filter((c) => !asked.columns.includes(c))],
  };
  const chart = chartOf(args, id);
  checkViewOptions(args, id, diffCommand.groups);
  const rows = {
    selection: selectionArg(args),
    numeric: args.flag("numeric"),
    ...realMemArg(args),
    ...depthArg(args),
  };
  const allowMissing = args.flag("allow-missing");
  const allowEstimates = args.flag("allow-estimates");
  for (
    const [given, option] of [[allowMissing, "allow-missing"], [
      allowEstimates,
      "allow-estimates",
    ]] as const
  ) {
    if (given && !args.given("fail-if")) {
      throw new UsageError(`Option "--${option}" applies to thresholds: add "--fail-if EXPR"`);
    }
  }
  if (each) {
    if (args.given("fail-if")) {
      throw new UsageError(
        `Option "--fail-if" checks a diff of two snapshots, not a trend (--each): diff REC or diff REC --peak`,
      );
    }
    if (chart !== undefined) {
      throw new UsageError(`Option "--bar" draws a diff of two snapshots, not a trend (--each)`);
    }
    return { kind: "trend", format, query: { recording: sources[0]!, view, ...rows } };
  }
  if (chart !== undefined && args.given("format")) {
    throw new UsageError(
      `Option "--format" applies to the diff's text: a chart's format comes from the extension of -o`,
    );
  }
  const { amountMetricIds, parseThreshold } = await import("../../diff/threshold.ts");
  const threshold = (text: string): Threshold =>
    parseThreshold(
      text,
      (view) => amountMetricIds(Object.values(viewOf(view === "shown" ? id : view).columns)),
    );
  const thresholds = args.values("fail-if").map(threshold);
  return {
    kind: "diff",
    format,
    query: {
      sources,
      peak,
      view,
      thresholds,
      allowMissing,
      allowEstimates,
      ...rows,
      ...(exact !== undefined && { exact: exact.mode }),
    },
    ...(chart !== undefined && { chart }),
  };
}

/** Runs `memsnap diff`. */
async function runDiffCommand(args: ParsedArgs, io: Io): Promise<number> {
  const asked = await diffArgs(args);
  const show = showArgs(args);
  if (asked.kind === "trend") {
    const { runTrend } = await import("../../app/trend.ts");
    const result = await runTrend(asked.query);
    await io.out(await render("trend", asked.format, result, show));
    printDiagnostics(result.diagnostics, io);
    return EXIT.ok;
  }
  const { runDiff } = await import("../../app/diff.ts");
  const result = await runDiff(asked.query);
  if (asked.chart !== undefined) {
    // The chart stack loads only when a chart is asked for.
    const { diffChart } = await import("../../app/diff_chart.ts");
    const drawn = diffChart(result, {
      ...(asked.chart.label !== undefined && { label: asked.chart.label }),
      ...(asked.chart.file.top !== undefined && { top: asked.chart.file.top }),
      ...(asked.chart.file.width !== undefined && { width: asked.chart.file.width }),
      ...(asked.chart.file.height !== undefined && { height: asked.chart.file.height }),
    });
    await writeChart(drawn.spec, { file: asked.chart.file, chosen: drawn.name, io });
  } else {
    await io.out(await render("diff", asked.format, result, show));
  }
  printDiagnostics(result.diagnostics, io);
  if (result.thresholds === undefined) return EXIT.ok;
  const { describeCrossings } = await import("../../render/threshold_text.ts");
  for (const line of describeCrossings(result.thresholds, { units: true })) io.err(`${line}\n`);
  return result.thresholds.crossed ? EXIT.threshold : EXIT.ok;
}

/** --bar and its file options, checked. */
function chartOf(args: ParsedArgs, id: ViewId): DiffChartArgs | undefined {
  if (!args.flag("bar")) {
    refuseGiven(args, [...chartFileGiven(args), "label"], `to the diff's chart: add "--bar"`);
    return undefined;
  }
  const label = args.value("label");
  if (label !== undefined && !isColumnOf(viewOf(id), label)) {
    throw new UsageError(
      `Unknown field "${label}" for --label in the ${id} view`,
      knownColumns(viewOf(id)),
    );
  }
  return { file: chartFileArgs(args), ...(label !== undefined && { label }) };
}
