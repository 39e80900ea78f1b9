/**
 * The JSON form of a diff (docs/diff.md): raw kB integers for both sides,
 * the changes and the totals, whatever -k or -p say; unknown values null.
 *
 * @module
 */

import type { Change, DiffTable } from "../diff/diff_table.ts";
import type { ReportMeta } from "./report_json.ts";
import { jsonText } from "./terminal_text.ts";

/** The version of the JSON diff format. */
export const DIFF_FORMAT_VERSION = 1;

/** Where each side's numbers come from: a report's meta, without the view. */
export type SideMeta = Omit<ReportMeta, "view">;

export interface DiffJsonContext {
  readonly view: string;
  readonly sort: string;
  readonly a: SideMeta;
  readonly b: SideMeta;
  /** What --fail-if found, as the thresholds module describes it; absent without --fail-if. */
  readonly thresholds?: unknown;
}

/** Renders a diff as JSON, one document, ending with a newline. */
export function renderDiffJson(diff: DiffTable, context: DiffJsonContext): string {
  const change = (c: Change | undefined) =>
    c === undefined
      ? null
      : { a: c.a ?? null, b: c.b ?? null, change: c.change ?? null, percent: c.percent ?? null };
  const document = {
    format: "memsnap-diff",
    version: DIFF_FORMAT_VERSION,
    view: context.view,
    sort: context.sort,
    a: context.a,
    b: context.b,
    columns: {
      labels: diff.labels.map((c) => ({ id: c.id, header: c.header })),
      metrics: diff.metrics.map((c) => ({ id: c.id, header: c.header, total: c.total })),
    },
    rows: diff.rows.map((row) => ({
      key: row.key,
      status: row.status,
      ...Object.fromEntries(diff.labels.map((c, i) => [c.id, row.labels[i] ?? null])),
      ...Object.fromEntries(diff.metrics.map((c, i) => [c.id, change(row.changes[i])])),
    })),
    totals: Object.fromEntries(
      diff.metrics.flatMap((c, i) =>
        diff.totals[i] === undefined ? [] : [[c.id, change(diff.totals[i])]]
      ),
    ),
    ...(context.thresholds !== undefined && { thresholds: context.thresholds }),
  };
  return jsonText(document) + "\n";
}
