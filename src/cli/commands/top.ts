/**
 * `memsnap top`: the live view. `-b` prints successive plain reports (the
 * very text `memsnap` prints of each sample) for scripts and logs.
 *
 * @module
 */

import type { ReportQuery } from "../../app/report.ts";
import type { CostLimits } from "../../snapshot/walk_plan.ts";
import { viewQuery } from "../../app/view_query.ts";
import { UsageError } from "../../errors/memsnap_error.ts";
import { render } from "../../render/formats.ts";
import type { ParsedArgs } from "../argv.ts";
import type { Command } from "../command.ts";
import { EXIT } from "../errors.ts";
import type { Io } from "../io.ts";
import {
  ALL_OPTION,
  FILTER_GROUP,
  HELP_OPTION,
  LIMIT_OPTION,
  MAX_FILE_OPTION,
  type OptionSpec,
  REFRESH_OPTION,
  SAMPLING_OPTIONS,
  SHOW_GROUP,
  SOURCE_OPTION,
  VIEW_GROUP,
} from "../option.ts";
import { printDiagnostics } from "../output.ts";
import {
  checkViewOptions,
  chosenView,
  columnsArg,
  costArg,
  durationArg,
  limitArg,
  refreshArg,
  showArgs,
  sourceQueryArgs,
  wholeArg,
} from "../view_args.ts";

/** The default time between refreshes. */
const DEFAULT_DELAY = "2s";

/** smem's -n (--numeric) keeps its long name only: in top, as in top(1), -n counts refreshes. */
const showOptions: OptionSpec[] = SHOW_GROUP.options.map((option) => {
  if (option.long !== "numeric") return option;
  const { short: _, ...rest } = option;
  return rest;
});

export const topCommand: Command = {
  name: "top",
  summary: `the live view: memory per process, user, program or cgroup,
refreshed in place; cheap enough to leave running (docs/top.md).`,
  usage: ["top [-d TIME] [view and filter options]", "top -b [-n N] [-d TIME] [options]"],
  description: `Each refresh reads the live system once with the cost-aware collector
(docs/sampling.md): cheap numbers for every process, walks within --budget,
processes not walked now marked (the provenance column). With -b, each
refresh prints a line naming it, then the very report \`memsnap\` prints with
the same options of that sample.`,
  groups: [
    {
      title: "Refreshing",
      options: [
        {
          long: "delay",
          short: "d",
          value: "TIME",
          help: `time between refreshes: 500ms, 2s (default ${DEFAULT_DELAY}), 1m`,
        },
        {
          long: "batch",
          short: "b",
          help: "batch mode: successive plain reports to standard output, no screen handling",
        },
        { long: "iterations", short: "n", value: "N", help: "stop after N refreshes" },
      ],
    },
    { title: VIEW_GROUP.title, options: [...VIEW_GROUP.options, LIMIT_OPTION] },
    FILTER_GROUP,
    { title: SHOW_GROUP.title, options: [...showOptions, SOURCE_OPTION, MAX_FILE_OPTION] },
    {
      title: "Sampling the live system",
      options: [
        ...SAMPLING_OPTIONS,
        {
          ...REFRESH_OPTION,
          help:
            "walk each process again at least every TIME; in between, one whose status has not moved keeps its numbers (carried, marked ~). Default: 5 × delay, at least 30s; 0: walk every process every time",
        },
        ALL_OPTION,
      ],
    },
    { title: "Other", options: [HELP_OPTION] },
  ],
  examples: [
    ["memsnap top -b -n 3 -r -k --limit 10", "three reports of the 10 largest, 2 s apart"],
    ["memsnap top -b -d 1m -u -k >> users.log", "per user, every minute, into a log"],
    ["memsnap top -b -n 1 -w --tree -k", "the system tree once, as `memsnap -w --tree -k`"],
    ["memsnap top -b --budget 50ms --max-rss 8G -r", "cheap on a busy host"],
  ],
  run: runTop,
};

/** What `memsnap top` was asked for. */
export interface TopArgs {
  readonly query: ReportQuery;
  readonly intervalMs: number;
  readonly count?: number;
  readonly batch: boolean;
}

/**
 * The refreshes the command line asks for.
 *
 * @throws {UsageError} For stray arguments, options that do not apply, bad values.
 */
export function topArgs(args: ParsedArgs): TopArgs {
  if (args.positionals.length > 0) {
    throw new UsageError(`Unexpected argument "${args.positionals[0]}"`);
  }
  const id = chosenView(args);
  checkViewOptions(args, id, topCommand.groups);
  const columns = columnsArg(args);
  const sort = args.value("sort");
  const limit = limitArg(args);
  const iterations = args.value("iterations");
  const intervalMs = durationArg("--delay", args.value("delay") ?? DEFAULT_DELAY);
  return {
    query: {
      view: viewQuery({
        view: id,
        ...(columns !== undefined && { columns }),
        ...(sort !== undefined && { sort }),
        reverse: args.flag("reverse"),
        ...(limit !== undefined && { limit }),
        data: false,
      }),
      ...sourceQueryArgs(args),
      ...costOf(args, intervalMs),
      ...(args.flag("all") && { rssOnly: true }),
    },
    intervalMs,
    ...(iterations !== undefined &&
      { count: wholeArg("--iterations", iterations, 1, 1_000_000_000) }),
    batch: args.flag("batch"),
  };
}

/**
 * An idle process's walk is carried at least this long by default: at -d 1s
 * a 5 s refresh rewalked a fifth of the processes every second, most of
 * top's CPU (15.5 % of a core with 1000 processes, 6.0 % at 30 s). A
 * process whose status moves is walked at once whatever the refresh.
 */
const TOP_REFRESH_FLOOR_MS = 30_000;

/**
 * What sampling may cost: on the live system, walks carried for --refresh
 * (5 refreshes by default, at least 30 s), so that a refresh walks only the
 * processes that moved; a stored source is read whole, every number exact.
 *
 * @throws {UsageError} For a cost option with -S.
 */
function costOf(args: ParsedArgs, intervalMs: number): { cost?: CostLimits } {
  const { cost } = costArg(args);
  if (args.given("source")) {
    if (args.given("refresh")) {
      throw new UsageError(
        `Option "--refresh" limits what sampling the live system costs: -S data is read whole`,
      );
    }
    return {};
  }
  return { cost: { ...cost, refreshMs: refreshArg(args, intervalMs, TOP_REFRESH_FLOOR_MS) } };
}

/** Runs `memsnap top`. */
async function runTop(args: ParsedArgs, io: Io): Promise<number> {
  const top = topArgs(args);
  if (top.batch) return await runBatch(top, showArgs(args), io);
  const { runLive } = await import("./top_live.ts");
  return await runLive({
    query: top.query,
    intervalMs: top.intervalMs,
    ...(top.count !== undefined && { count: top.count }),
    // Readable units by default; -k is what the report takes, so it is the default here.
    abbreviate: true,
  });
}

/** -b: each refresh's line, then its report as `memsnap` prints it. */
async function runBatch(
  top: TopArgs,
  show: ReturnType<typeof showArgs>,
  io: Io,
): Promise<number> {
  const { topRefreshes } = await import("../../app/top.ts");
  const { onStopSignals } = await import("../signals.ts");
  const stop = new AbortController();
  const release = onStopSignals(() => stop.abort());
  try {
    const refreshes = topRefreshes({
      query: top.query,
      schedule: {
        intervalMs: top.intervalMs,
        ...(top.count !== undefined && { count: top.count }),
      },
      signal: stop.signal,
    });
    for await (const { sample, report } of refreshes) {
      await io.out(`${batchLine(sample.index, sample.startedAt, sample.durationMs, top.count)}\n`);
      await io.out(await render("report", "table", report, show));
      printDiagnostics(report.diagnostics, io);
    }
  } finally {
    release();
  }
  return EXIT.ok;
}

/**
 * The line before each refresh's report: `memsnap top: refresh 2 of 3 at
 * 2026-12-05T10:40:49.123Z, read in 84 ms`.
 */
export function batchLine(index: number, startedAt: number, durationMs: number, count?: number) {
  const of = count === undefined ? "" : ` of ${count}`;
  return `memsnap top: refresh ${index + 1}${of} at ${new Date(startedAt).toISOString()}, read in ${
    Math.round(durationMs)
  } ms`;
}
