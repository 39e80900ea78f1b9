/**
 * What --fail-if found, as the lines the CLI prints after the diff.
 *
 * @module
 */

import type { Change } from "../diff/diff_table.ts";
import type { Crossings } from "../diff/threshold_eval.ts";
import type { CellValue } from "../view/column.ts";
import type { ColumnInfo } from "../view/table.ts";
import { formatFixed, units } from "./python_format.ts";
import { terminalText } from "./terminal_text.ts";
import { counted } from "../units/plural.ts";

/** How {@link describeCrossings} writes amounts. */
export interface CrossingStyle {
  /** K, M, G, T as smem's -k (true), or integer kB (false). */
  readonly units: boolean;
  /** At most this many rows per threshold; the rest are counted. Default 20. */
  readonly maxRows?: number;
}

/**
 * The lines (without newlines) that tell which thresholds were crossed and
 * by which rows, for the CLI to print after the diff:
 *
 *     memsnap: --fail-if "pss>+20M" crossed by 2 rows:
 *       1234 alice python3 app.py  PSS +25.3M (+41.2 %), 61.4M → 86.7M
 *       1240 alice python3 worker  PSS +21.0M (new)
 */
export function describeCrossings(result: Crossings, style: CrossingStyle): string[] {
  const lines: string[] = [];
  const max = style.maxRows ?? 20;
  for (const { threshold, crossed, metric, rows, total } of result.results) {
    if (!crossed) continue;
    if (threshold.scope.kind === "total") {
      lines.push(
        `memsnap: --fail-if "${terminalText(threshold.text)}" crossed: total ${
          describeChange(metric, total!, style)
        }`,
      );
      continue;
    }
    lines.push(
      `memsnap: --fail-if "${terminalText(threshold.text)}" crossed by ${rowCount(rows.length)}:`,
    );
    for (const row of rows.slice(0, max)) {
      lines.push(`  ${labelText(row.labels)}  ${describeChange(metric, row.change, style)}`);
    }
    if (rows.length > max) lines.push(`  ... and ${rowCount(rows.length - max)} more`);
  }
  return lines;
}

/** `PSS +25.3M (+41.2 %), 61.4M → 86.7M`; a new or gone row says so. */
function describeChange(metric: ColumnInfo, change: Change, style: CrossingStyle): string {
  const amount = (kb: number) => style.units ? units(Math.abs(kb) * 1024) : `${Math.abs(kb)} kB`;
  const signed = (kb: number) => (kb > 0 ? "+" : kb < 0 ? "-" : "") + amount(kb);
  const delta = signed(change.change ?? 0);
  if (change.a === undefined) return `${metric.header} ${delta} (new)`;
  if (change.b === undefined) return `${metric.header} ${delta} (gone)`;
  const percent = change.percent === undefined
    ? "from 0"
    : `${change.percent >= 0 ? "+" : ""}${formatFixed(change.percent, 1)} %`;
  return `${metric.header} ${delta} (${percent}), ${amount(change.a)} → ${amount(change.b)}`;
}

/**
 * A row's labels on one line, long command lines cut; what a terminal would
 * act on written visibly (`\x1b`), as in the diff's table.
 */
export function labelText(labels: readonly CellValue[]): string {
  const text = labels.map((cell) => cell === undefined ? "-" : String(cell)).join(" ");
  const chars = [...terminalText(text).replace(/\s+/g, " ")];
  return chars.length > 60 ? chars.slice(0, 59).join("") + "…" : chars.join("");
}

const rowCount = (n: number) => counted(n, "row");
