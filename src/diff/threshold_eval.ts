/**
 * Evaluates `--fail-if` thresholds ({@link ./threshold.ts}) on diffs, and
 * describes the rows that crossed them. Pure: the CLI gives the diffs.
 *
 * @module
 */

import type { CellValue } from "../view/column.ts";
import type { ColumnInfo } from "../view/table.ts";
import type { Change, DiffStatus, DiffTable } from "./diff_table.ts";
import {
  type Amount,
  type Operator,
  scopeText,
  type Threshold,
  type ThresholdView,
} from "./threshold.ts";

/**
 * The diff of one view (`"shown"`: the view the diff shows, with its
 * filters) with these metric columns, at least.
 */
export type TableFor = (view: ThresholdView, metrics: readonly string[]) => DiffTable;

/** A row that crossed a threshold, and its change in the threshold's metric. */
export interface CrossingRow {
  readonly key: string;
  readonly status: DiffStatus;
  readonly labels: readonly CellValue[];
  readonly change: Change;
}

/** One threshold, evaluated. */
export interface ThresholdResult {
  readonly threshold: Threshold;
  readonly crossed: boolean;
  /** The metric's column (its header names it in messages). */
  readonly metric: ColumnInfo;
  /** The label columns of the rows' view. */
  readonly labels: readonly ColumnInfo[];
  /** The rows that crossed it, most beyond the threshold first; none for `total`. */
  readonly rows: readonly CrossingRow[];
  /** For `total`: the totals' change (undefined where the metric does not sum). */
  readonly total?: Change | undefined;
  /**
   * What was compared with the amount, in its unit (kB, or % of A): the
   * total's change, or the change of the row furthest in the operator's
   * direction (the largest for `>`, whether it crossed or not); undefined
   * where nothing could be compared.
   */
  readonly value: number | undefined;
  /** The row that gave {@link value}; undefined for `total`. */
  readonly valueRow?: CrossingRow | undefined;
  /** Why it could not be evaluated (it is then not crossed); undefined when it was. */
  readonly unevaluated?: string | undefined;
  /** A named scope (`command[NAME]`...) that names no row on either side. */
  readonly missing: boolean;
}

/** Every threshold, evaluated. */
export interface Crossings {
  readonly results: readonly ThresholdResult[];
  /** Whether any threshold was crossed: memsnap exits 3. */
  readonly crossed: boolean;
  /**
   * Thresholds that could not be evaluated, to show so a typo is visible:
   * a named row on neither side, a metric without values.
   */
  readonly warnings: readonly string[];
}

/**
 * Evaluates thresholds. A row crosses `> X` when its change (kB) or its
 * change in percent is above X, `< X` when below, and so on. A row new in
 * B (or with 0 in A) has no percent: percent thresholds skip it; kB
 * thresholds count a new row's change as its B value and a gone row's as
 * minus its A value. Asks `tableFor` once per view, for all the metrics
 * its thresholds need.
 *
 * @throws {Error} When a table from `tableFor` lacks a metric asked for (a caller's bug).
 */
export function crossings(thresholds: readonly Threshold[], tableFor: TableFor): Crossings {
  const tables = new Map(
    [...metricsByView(thresholds)].map(([view, metrics]) => [view, tableFor(view, metrics)]),
  );
  const results = thresholds.map((threshold): ThresholdResult => {
    const { scope } = threshold;
    const table = tables.get(scope.kind === "named" ? scope.view : "shown")!;
    const index = table.metrics.findIndex((column) => column.id === threshold.metric);
    if (index < 0) throw new Error(`The diff has no column "${threshold.metric}"`);
    const metric = table.metrics[index]!;
    const base = { threshold, metric, labels: table.labels, missing: false };
    const by = threshold.amount.kind === "kb" ? "change" : "percent";
    if (scope.kind === "total") {
      const total = table.totals[index];
      const sign = total === undefined ? undefined : compare(total, threshold.amount);
      return {
        ...base,
        crossed: sign !== undefined && crosses(threshold.op, sign),
        rows: [],
        total,
        value: sign === undefined ? undefined : total?.[by],
        ...(sign === undefined && {
          unevaluated: total?.change === undefined
            ? `no total ${metric.header}`
            : noPercent("the total has no value"),
        }),
      };
    }
    const candidates = scope.kind === "rows"
      ? table.rows
      : table.rows.filter((row) => isNamed(scope.view, scope.name, row.key));
    if (scope.kind === "named" && candidates.length === 0) {
      return {
        ...base,
        crossed: false,
        rows: [],
        value: undefined,
        unevaluated: `no ${scopeText(scope)} on either side`,
        missing: true,
      };
    }
    const measured = candidates.map((row) => {
      const change = row.changes[index]!;
      return { row, change, sign: compare(change, threshold.amount) };
    });
    // Furthest beyond the threshold first: largest growth for > and >=.
    const direction = threshold.op.startsWith(">") ? -1 : 1;
    const compared = measured
      .filter((m) => m.sign !== undefined)
      .sort((x, y) => direction * (x.change[by]! - y.change[by]!))
      .map(({ row, change, sign }) => ({
        crossing: { key: row.key, status: row.status, labels: row.labels, change },
        crossed: crosses(threshold.op, sign!),
      }));
    const rows = compared.filter((m) => m.crossed).map((m) => m.crossing);
    const furthest = compared[0]?.crossing;
    const someChange = measured.some((m) => m.change.change !== undefined);
    return {
      ...base,
      crossed: rows.length > 0,
      rows,
      value: furthest?.change[by],
      valueRow: furthest,
      ...(furthest === undefined && candidates.length > 0 && {
        unevaluated: someChange
          ? noPercent(
            scope.kind === "rows" ? "no row has a value" : `${scopeText(scope)} has no value`,
          )
          : `no ${metric.header} value on either side`,
      }),
    };
  });
  const warnings = results.flatMap((r) =>
    r.unevaluated === undefined ? [] : [`--fail-if "${r.threshold.text}": ${r.unevaluated}`]
  );
  return { results, crossed: results.some((r) => r.crossed), warnings };
}

/**
 * The thresholds whose named scope (`command[NAME]`...) names no row on
 * either side: a typo that would disable a CI gate.
 */
export function missingScopes(result: Crossings): ThresholdResult[] {
  return result.results.filter((r) => r.missing);
}

/**
 * The views thresholds read, each with the metrics they compare there, in
 * the order written: what the CLI must load (a `map[...]` scope needs
 * mapping detail, `pss_anon` the rollup's counters) and diff.
 */
export function metricsByView(
  thresholds: readonly Threshold[],
): Map<ThresholdView, readonly string[]> {
  const metricsOf = new Map<ThresholdView, string[]>();
  for (const { scope, metric } of thresholds) {
    const view: ThresholdView = scope.kind === "named" ? scope.view : "shown";
    const metrics = metricsOf.get(view) ?? [];
    if (!metrics.includes(metric)) metrics.push(metric);
    metricsOf.set(view, metrics);
  }
  return metricsOf;
}

/** Whether a row's key is the one a named scope names (a pid: each of its processes). */
function isNamed(view: ThresholdView, name: string, key: string): boolean {
  // A process's key is `${pid}@${startTime}`: a reused pid names both processes.
  return key === name || (view === "processes" && key.startsWith(`${name}@`));
}

const noPercent = (subject: string) =>
  `${subject} in A to take a percent of (new, or 0): use an amount in kB`;

/**
 * How a change compares with the amount: -1 below, 0 equal, 1 above;
 * undefined where there is nothing to compare (an unknown value, a percent
 * without A's value).
 */
function compare(change: Change, amount: Amount): number | undefined {
  if (change.change === undefined) return undefined;
  if (amount.kind === "kb") return Math.sign(change.change - amount.kb);
  if (change.percent === undefined || change.a === undefined) return undefined;
  // change * 100 against percent * a: kB are integers, so +7 % of 100 kB is
  // exactly 107 kB (the quotient, 7 / 100 * 100, is 7.000000000000001).
  if (change.a > 0) return Math.sign(change.change * 100 - amount.percent * change.a);
  return Math.sign(change.percent - amount.percent);
}

function crosses(op: Operator, sign: number): boolean {
  switch (op) {
    case ">":
      return sign > 0;
    case ">=":
      return sign >= 0;
    case "<":
      return sign < 0;
    case "<=":
      return sign <= 0;
  }
}
