/**
 * The "Thresholds" section of `memsnap diff --fail-if ... --format
 * markdown`: each expression, the value it was compared with, and whether
 * it was crossed, so that a CI job's summary says which gate tripped.
 *
 * @module
 */

import type { Amount } from "../diff/threshold.ts";
import type { Crossings, ThresholdResult } from "../diff/threshold_eval.ts";
import { labelText } from "./threshold_text.ts";
import { left, right } from "../view/column.ts";
import type { ColumnInfo, Table } from "../view/table.ts";
import { formatFixed, kbUnits } from "./python_format.ts";
import { renderMarkdown } from "./report_markdown.ts";
import { counted } from "../units/plural.ts";

const text = (id: string, header: string, description: string, layout = left(0)): ColumnInfo => ({
  id,
  header,
  description,
  layout,
  quantity: "text",
  total: "none",
});

/** The section's columns, in order. */
const COLUMNS: readonly ColumnInfo[] = [
  text("threshold", "Threshold", "The --fail-if expression, as written"),
  text("crossed", "Crossed", "yes (by how many rows), no, or why it could not be evaluated"),
  text(
    "value",
    "Value",
    "The change compared: the total's, or the row's furthest that way",
    right(0),
  ),
  text("row", "Row", "The row that gave the value"),
];

/**
 * Renders the section: a heading that counts the thresholds crossed, a
 * blank line, one table row per threshold in the order given.
 */
export function renderThresholdsMarkdown(result: Crossings): string {
  const crossed = result.results.filter((r) => r.crossed).length;
  const table: Table = {
    columns: COLUMNS,
    rows: result.results.map((r) => [
      r.threshold.text,
      crossedText(r),
      r.value === undefined ? "-" : valueText(r.value, r.threshold.amount),
      r.threshold.scope.kind === "total"
        ? "total"
        : r.valueRow === undefined
        ? "-"
        : labelText(r.valueRow.labels),
    ]),
    totals: COLUMNS.map(() => undefined),
  };
  return `#### Thresholds: ${crossed} of ${result.results.length} crossed\n\n` +
    renderMarkdown(table, { totals: false, amounts: { kind: "kb" } });
}

/** `yes`, `yes, by 3 rows`, `no`, or `no: no command[x] on either side`. */
function crossedText(result: ThresholdResult): string {
  if (result.unevaluated !== undefined) return `no: ${result.unevaluated}`;
  if (!result.crossed) return "no";
  if (result.threshold.scope.kind === "total") return "yes";
  const n = result.rows.length;
  return `yes, by ${counted(n, "row")}`;
}

/** A change as the threshold's amount is written: `+20.5M` (K, M, G, T) or `+7.3 %`. */
function valueText(value: number, amount: Amount): string {
  const sign = value > 0 ? "+" : "";
  return amount.kind === "kb" ? `${sign}${kbUnits(value)}` : `${sign}${formatFixed(value, 1)} %`;
}
