/**
 * The `thresholds` member of `memsnap diff --format json` (docs/thresholds.md):
 * what --fail-if found, in raw kB, unknown values null.
 *
 * @module
 */

import { scopeText } from "../diff/threshold.ts";
import type { CrossingRow, Crossings } from "../diff/threshold_eval.ts";
import { type ChangeJson, changeJson, type DiffRowJson, diffRowJson } from "./diff_row_json.ts";

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
  /** The rows that crossed it, as the diff's rows, with the threshold's metric only. */
  readonly rows: readonly DiffRowJson[];
  /** For a `total` threshold: the totals' change. */
  readonly total?: ChangeJson | null;
  /**
   * What was compared with the amount, in its unit (kB, or %): the total's
   * change, or that of the row furthest in the operator's direction,
   * crossed or not; null where nothing could be compared.
   */
  readonly value: number | null;
  /** The row that gave the value (as in `rows`); null for `total` or without a value. */
  readonly valueRow: DiffRowJson | null;
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
  return {
    crossed: result.crossed,
    results: result.results.map((
      { threshold, crossed, metric, labels, rows, total, value, valueRow, unevaluated },
    ) => {
      const rowJson = (row: CrossingRow) =>
        diffRowJson(row, { labels, metrics: [metric] }, [row.change]);
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
          { total: changeJson(total) }),
      };
    }),
    warnings: result.warnings,
  };
}
