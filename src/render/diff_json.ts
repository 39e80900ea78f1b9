/**
 * The JSON form of a diff (docs/diff.md): raw kB integers for both sides,
 * the changes and the totals, whatever -k or -p say; unknown values null.
 *
 * @module
 */

import type { DiffTable } from "../diff/diff_table.ts";
import type { ColumnInfo } from "../view/table.ts";
import { changeJson, diffRowJson } from "./diff_row_json.ts";
import { type ReportMeta, UNITS } from "./report_json.ts";
import type { ThresholdsJson } from "./threshold_json.ts";
import { jsonText } from "./terminal_text.ts";

/**
 * The version of the JSON diff format. 2: rows nest their labels and
 * metrics (`labels`, `metrics`), as a trend's rows do; columns carry units;
 * sides carry what was skipped.
 */
export const DIFF_FORMAT_VERSION = 2;

/** Where each side's numbers come from: a report's meta, without the view. */
export type SideMeta = Omit<ReportMeta, "view">;

export interface DiffJsonContext {
  readonly view: string;
  readonly sort: string;
  readonly a: SideMeta;
  readonly b: SideMeta;
  /** What --fail-if found; absent without --fail-if. */
  readonly thresholds?: ThresholdsJson;
}

/** Renders a diff as JSON, one document, ending with a newline. */
export function renderDiffJson(diff: DiffTable, context: DiffJsonContext): string {
  const column = (c: ColumnInfo) => ({ id: c.id, header: c.header, unit: UNITS[c.quantity] });
  const document = {
    format: "memsnap-diff",
    version: DIFF_FORMAT_VERSION,
    view: context.view,
    sort: context.sort,
    a: context.a,
    b: context.b,
    columns: {
      labels: diff.labels.map(column),
      metrics: diff.metrics.map((c) => ({ ...column(c), total: c.total })),
    },
    rows: diff.rows.map((row) => diffRowJson(row, diff, row.changes)),
    totals: Object.fromEntries(
      diff.metrics.flatMap((c, i) =>
        diff.totals[i] === undefined ? [] : [[c.id, changeJson(diff.totals[i])]]
      ),
    ),
    ...(context.thresholds !== undefined && { thresholds: context.thresholds }),
  };
  return jsonText(document) + "\n";
}
