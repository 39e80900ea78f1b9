/**
 * A snapshot as one side of a diff: a view's rows, keyed so that the same
 * process, program, user, mapping or area lines up on both sides, and its
 * columns split into those that name a row and those compared. Every view
 * of the registry can be diffed.
 *
 * @module
 */

import { viewOf } from "../view/registry.ts";
import type { ViewId } from "../view/registry.ts";
import type { ColumnInfo } from "../view/table.ts";
import type { DiffColumnIds, View, ViewContext } from "../view/view.ts";
import type { DiffTableStyle } from "./diff_report.ts";
import type { KeyedSide } from "./diff_table.ts";

/** A view and the columns shown (checked against its catalogue). */
export interface DiffViewRequest {
  readonly view: ViewId;
  readonly columns: readonly string[];
  /**
   * The view's default columns, not -c's: the text table shows one metric
   * in full and the others' change only ({@link textStyle}).
   */
  readonly brief?: boolean;
}

/** Whether a column names rows (text, or one of the view's labels) rather than measures them. */
function isLabel(view: View, column: ColumnInfo): boolean {
  return column.quantity === "text" || view.labels.includes(column.id);
}

/** The ids of a request's columns, split; in the order asked. */
export function splitColumns(request: DiffViewRequest): DiffColumnIds {
  const view = viewOf(request.view);
  const label = (id: string) => isLabel(view, view.columns[id]!);
  return {
    labels: request.columns.filter(label),
    metrics: request.columns.filter((id) => !label(id)),
  };
}

/** The label and metric columns of a request. */
export function diffColumns(
  request: DiffViewRequest,
): { labels: ColumnInfo[]; metrics: ColumnInfo[] } {
  const view = viewOf(request.view);
  const { labels, metrics } = splitColumns(request);
  return {
    labels: labels.map((id) => view.columns[id]!),
    metrics: metrics.map((id) => view.columns[id]!),
  };
}

/**
 * The label columns of a view to show beside a metric: those among
 * `columns` (the ones shown), or else those of the view's diff defaults.
 */
export function labelIds(view: ViewId, columns: readonly string[] = []): readonly string[] {
  const shown = splitColumns({ view, columns }).labels;
  return shown.length > 0
    ? shown
    : splitColumns({ view, columns: viewOf(view).diffColumns }).labels;
}

/** A snapshot's side of a diff in a view: its context's rows, keyed. */
export function sideOf(context: ViewContext, request: DiffViewRequest): KeyedSide {
  return viewOf(request.view).side(context, splitColumns(request));
}

/**
 * How the text table and the Markdown show a diff: percentages capped;
 * with the default columns (`brief`), the sort metric in full (the view's
 * default sort, PSS, under a label sort) and the others' change only, so
 * that the default table fits 120 columns. CSV and JSON keep every part.
 */
export function textStyle(request: DiffViewRequest, sort: string): DiffTableStyle {
  if (!request.brief) return { capPercent: true };
  const { labels, metrics } = splitColumns(request);
  const defaultSort = viewOf(request.view).defaultSort;
  const full = metrics.includes(sort) && !labels.includes(sort)
    ? sort
    : metrics.includes(defaultSort)
    ? defaultSort
    : metrics[0];
  return { capPercent: true, ...(full !== undefined && { full }) };
}
