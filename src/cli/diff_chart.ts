/**
 * `memsnap diff A B --bar [FIELD]`: the diff's largest changes drawn as a
 * diverging bar chart into a file. Loaded only for the chart.
 *
 * @module
 */

import { isAmount } from "../chart/chart_rows.ts";
import { diffBarSpec, type DiffSideOrigin } from "../chart/diff_spec.ts";
import type { DiffTable } from "../diff/diff_table.ts";
import type { ViewId } from "../view/view_spec.ts";
import { type DiffChart, ROW_NOUNS } from "./chart_args.ts";
import { defaultChartName, writeChart } from "./chart_file.ts";
import { UsageError } from "./errors.ts";
import type { Io } from "./io.ts";
import { BAR_TOP, BAR_WIDTH } from "./chart_report.ts";

/** The metric drawn when none is asked for, where the diff has it. */
export const DIFF_CHART_METRIC = "pss";

/**
 * The metric a diff chart draws: `asked` (the diff's sort field) or PSS,
 * or else the first amount of memory compared (the system view's `used`).
 *
 * @throws {UsageError} When it is not compared, or no amount of memory.
 */
export function diffChartMetric(diff: DiffTable, asked: string | undefined): string {
  const ids = diff.metrics.map((column) => column.id);
  const id = asked ??
    (ids.includes(DIFF_CHART_METRIC)
      ? DIFF_CHART_METRIC
      : diff.metrics.find(isAmount)?.id ?? DIFF_CHART_METRIC);
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
 * Draws a diff's changes into the chart's file: bars sized by `metric`'s
 * change (see {@link diffChartMetric}), named by `chart.field`, which must
 * be one of the diff's label columns.
 *
 * @param context.sides Where and when A and B were read (a report's
 *   ReportMeta has these fields).
 * @throws {UsageError} When the field is no label column, or the metric no amount compared.
 * @throws {SourceError} When the file exists (without --force) or cannot be written.
 */
export async function writeDiffChart(
  diff: DiffTable,
  context: {
    readonly chart: DiffChart;
    readonly view: ViewId;
    readonly metric?: string;
    readonly sides: readonly [DiffSideOrigin, DiffSideOrigin];
    readonly io: Io;
  },
): Promise<void> {
  const { chart, view, sides, io } = context;
  const metric = diffChartMetric(diff, context.metric);
  if (!diff.labels.some((column) => column.id === chart.field)) {
    throw new UsageError(
      `A diff chart names its bars by a column that names the rows: "${chart.field}" is none (expected ${
        diff.labels.map((column) => `"${column.id}"`).join(", ")
      })`,
    );
  }
  const spec = diffBarSpec(diff, {
    metric,
    labelColumn: chart.field,
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
