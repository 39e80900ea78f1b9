/**
 * The `thresholds` member of `memsnap diff --format json` (docs/thresholds.md):
 * what --fail-if found, in raw kB, unknown values null.
 *
 * @module
 */

import type { Change } from "../diff/diff_table.ts";
import { scopeText } from "../diff/threshold.ts";
import type { CrossingRow, Crossings } from "../diff/threshold_eval.ts";

/** A change as the diff's JSON writes it. */
export interface ChangeJson {
  readonly a: number | null;
  readonly b: number | null;
  readonly change: number | null;
  readonly percent: number | null;
}

/** One threshold and what crossed it. */
export interface ThresholdJson {
  readonly expression: string;
  readonly crossed: boolean;
  /** `rows`, `total`, or the named row as written: `command[nginx]`. */
  readonly scope: string;
  readonly metric: string;
  readonly op: string;
  /** The amount: `{ "kb": 20480 }` or `{ "percent": 5 }`. */
  readonly amount: { readonly kb: number } | { readonly percent: number };
  /** The rows that crossed it, each with its label columns and its change in the metric. */
  readonly rows: readonly Record<string, string | number | null | ChangeJson>[];
  /** For a `total` threshold: the totals' change. */
  readonly total?: ChangeJson | null;
  /**
   * What was compared with the amount, in its unit (kB, or %): the total's
   * change, or that of the row furthest in the operator's direction,
   * crossed or not; null where nothing could be compared.
   */
  readonly value: number | null;
  /** The row that gave the value (as in `rows`); null for `total` or without a value. */
  readonly valueRow: Record<string, string | number | null | ChangeJson> | null;
  /** Why it could not be evaluated; null when it was. */
  readonly unevaluated: string | null;
}

/** The document's `thresholds` member. */
export interface ThresholdsJson {
  readonly crossed: boolean;
  readonly results: readonly ThresholdJson[];
  readonly warnings: readonly string[];
}

/** What --fail-if found, as plain data for the diff's JSON document. */
export function thresholdsJson(result: Crossings): ThresholdsJson {
  const change = (c: Change): ChangeJson => ({
    a: c.a ?? null,
    b: c.b ?? null,
    change: c.change ?? null,
    percent: c.percent ?? null,
  });
  return {
    crossed: result.crossed,
    results: result.results.map((
      { threshold, crossed, metric, labels, rows, total, value, valueRow, unevaluated },
    ) => {
      const rowJson = (row: CrossingRow) => ({
        key: row.key,
        status: row.status,
        ...Object.fromEntries(labels.map((column, i) => [column.id, row.labels[i] ?? null])),
        [metric.id]: change(row.change),
      });
      return {
        expression: threshold.text,
        crossed,
        scope: scopeText(threshold.scope) || "rows",
        metric: threshold.metric,
        op: threshold.op,
        amount: threshold.amount.kind === "kb"
          ? { kb: threshold.amount.kb }
          : { percent: threshold.amount.percent },
        value: value ?? null,
        valueRow: valueRow === undefined ? null : rowJson(valueRow),
        unevaluated: unevaluated ?? null,
        rows: rows.map(rowJson),
        ...(threshold.scope.kind === "total" &&
          { total: total === undefined ? null : change(total) }),
      };
    }),
    warnings: result.warnings,
  };
}
