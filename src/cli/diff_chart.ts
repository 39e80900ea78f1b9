/**
 * `memsnap diff A B --bar [FIELD]`: the diff's largest changes drawn as a
 * diverging bar chart into a file. Loaded only for the chart.
 *
 * @module
 */

import { isAmount } from "../view/column.ts";
import { diffBarSpec, type DiffSideOrigin } from "../chart/diff_spec.ts";
import type { DiffTable } from "../diff/diff_table.ts";
import type { DiffViewId } from "../diff/diff_view.ts";
import { ROW_NOUNS } from "./chart_args.ts";
import { defaultChartName, writeChart } from "./chart_file.ts";
import { BAR_TOP, BAR_WIDTH } from "./chart_report.ts";
import type { DiffChart } from "./diff_args.ts";
import { UsageError } from "./errors.ts";
import type { Io } from "./io.ts";

/** The metric drawn when none is asked for, where the diff has it. */
export const DIFF_CHART_METRIC = "pss";

/** The columns that name a view's bars without --label: the first one shown. */
const LABEL_CHOICES: Readonly<Record<DiffViewId, readonly string[]>> = {
  processes: ["command", "name", "user", "pid"],
  commands: ["command"],
  users: ["user"],
  mappings: ["map"],
  system: ["area", "order"],
};

/**
 * The metric a diff chart draws: `asked` (the diff's sort field) when it is
 * a metric, else PSS, else the first amount of memory compared (the
 * system view's `used`). A sort by a name says nothing about what to draw.
 *
 * @throws {UsageError} When it is no amount of memory compared.
 */
export function diffChartMetric(diff: DiffTable, asked: string | undefined): string {
  const ids = diff.metrics.map((column) => column.id);
  const id = asked !== undefined && !diff.labels.some((column) => column.id === asked)
    ? asked
    : ids.includes(DIFF_CHART_METRIC)
    ? DIFF_CHART_METRIC
    : diff.metrics.find(isAmount)?.id ?? DIFF_CHART_METRIC;
  const column = diff.metrics.find((metric) => metric.id === id);
  if (column === undefined || !isAmount(column)) {
    const amounts = diff.metrics.filter(isAmount).map((metric) => `"${metric.id}"`);
    throw new UsageError(
      `A diff chart draws the change of an amount of memory compared: "${id}" is none (${
        amounts.length === 0 ? "compare one with -c" : `expected ${amounts.join(", ")}`
      })`,
    );
  }
  return id;
}

/**
 * The column that names the bars: --label, or the view's name column shown.
 *
 * @throws {UsageError} When it is not among the diff's label columns.
 */
export function diffChartLabel(diff: DiffTable, view: DiffViewId, asked?: string): string {
  const shown = diff.labels.map((column) => column.id);
  const id = asked ?? LABEL_CHOICES[view].find((choice) => shown.includes(choice));
  if (id === undefined || !shown.includes(id)) {
    throw new UsageError(
      `A diff chart names its bars by a column that names the rows: ${
        id === undefined ? "none is shown" : `"${id}" is none`
      } (${
        shown.length === 0
          ? "show one with -c"
          : `expected ${shown.map((c) => `"${c}"`).join(", ")}`
      })`,
    );
  }
  return id;
}

/**
 * Draws a diff's changes into the chart's file: bars sized by the change in
 * `metric` ({@link diffChartMetric}), named by --label ({@link diffChartLabel}).
 *
 * @param context.sides Where and when A and B were read (the diff's SideMeta).
 * @throws {UsageError} When the label is no label column, or the metric no amount compared.
 * @throws {SourceError} When the file exists (without --force) or cannot be written.
 */
export async function writeDiffChart(
  diff: DiffTable,
  context: {
    readonly chart: DiffChart;
    readonly view: DiffViewId;
    /** The diff's sort field. */
    readonly metric?: string;
    readonly sides: readonly [DiffSideOrigin, DiffSideOrigin];
    readonly io: Io;
  },
): Promise<void> {
  const { chart, view, sides, io } = context;
  const metric = diffChartMetric(diff, context.metric);
  const spec = diffBarSpec(diff, {
    metric,
    labelColumn: diffChartLabel(diff, view, chart.label),
    rowNoun: ROW_NOUNS[view],
    top: chart.top ?? BAR_TOP,
    sides,
    width: chart.width ?? BAR_WIDTH,
    ...(chart.height !== undefined && { height: chart.height }),
  });
  // Named after B, the state the diff arrives at.
  const chosen = defaultChartName(["diff", view, metric], sides[1]);
  await writeChart(spec, { file: chart, chosen, io });
}
