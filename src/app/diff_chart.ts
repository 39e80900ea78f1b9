/**
 * A diff drawn as a diverging bar chart (`memsnap diff A B --bar`): the
 * largest changes of one metric, named by a label column.
 *
 * @module
 */

import { diffBarSpec } from "../chart/diff_spec.ts";
import { defaultChartName } from "../chart/file_name.ts";
import type { DiffTable } from "../diff/diff_table.ts";
import { UsageError } from "../errors/memsnap_error.ts";
import { isAmount } from "../view/column.ts";
import { type ViewId, viewOf } from "../view/registry.ts";
import type { DiffResult } from "./diff.ts";
import type { ChartResult } from "./report_chart.ts";
import { BAR_TOP, BAR_WIDTH } from "./report_chart.ts";

/** The metric drawn when none is asked for, where the diff has it. */
export const DIFF_CHART_METRIC = "pss";

/** A diff chart, as a front end asks for it. */
export interface DiffChartQuery {
  /** The column that names the bars; undefined: the view's most telling one shown. */
  readonly label?: string;
  /** How many bars of their own; the rest are summed. */
  readonly top?: number;
  readonly width?: number;
  readonly height?: number;
}

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
 * The column that names the bars: the one asked for, or the view's most
 * telling label column shown.
 *
 * @throws {UsageError} When it is not among the diff's label columns.
 */
export function diffChartLabel(diff: DiffTable, view: ViewId, asked?: string): string {
  const shown = diff.labels.map((column) => column.id);
  const id = asked ?? viewOf(view).labels.find((choice) => shown.includes(choice));
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
 * A diff's changes as a chart: bars sized by the change in the sort
 * metric ({@link diffChartMetric}), named by the label column
 * ({@link diffChartLabel}), and the name it is written under (after B, the
 * state the diff arrives at).
 *
 * @throws {UsageError} When the label is no label column, or the metric no amount compared.
 */
export function diffChart(result: DiffResult, chart: DiffChartQuery): ChartResult {
  const view = viewOf(result.view);
  const metric = diffChartMetric(result.diff, result.sort);
  const { a, b } = result.sides;
  const spec = diffBarSpec(result.diff, {
    metric,
    labelColumn: diffChartLabel(result.diff, view.id, chart.label),
    rowNoun: view.noun,
    top: chart.top ?? BAR_TOP,
    sides: [a, b],
    width: chart.width ?? BAR_WIDTH,
    ...(chart.height !== undefined && { height: chart.height }),
  });
  return {
    spec,
    name: defaultChartName(["diff", view.id, metric], b),
    diagnostics: result.diagnostics,
  };
}
