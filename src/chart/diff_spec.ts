/**
 * A diff as a diverging bar chart: one metric's change per row, growth to
 * the right and shrinkage to the left in two colours, the largest changes on
 * their own and the rest summed into one bar.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import type { Change, DiffStatus, DiffTable } from "../diff/diff_table.ts";
import {
  type ChartOrigin,
  formatKb,
  frame,
  originLine,
  PALETTE,
  shortLabel,
  uniqueLabels,
  unitFor,
} from "./style.ts";
import { plural } from "../units/plural.ts";
import { terminalText } from "../render/terminal_text.ts";
import { chartName } from "../view/column.ts";

/** One layer of a layered spec. */
type Layer = Extract<TopLevelSpec, { layer: unknown }>["layer"][number];

/** Okabe-Ito's vermillion and blue: a pair that stays apart for colour-blind readers. */
export const GROWTH_COLOUR = PALETTE[3];
export const SHRINKAGE_COLOUR = PALETTE[0];

/** Which way a bar points, as the legend names it. */
export type Direction = "growth" | "shrinkage";

/** One bar: a row's change, or the sum of the rows not drawn on their own. */
export interface DiffBar {
  readonly kind: "row" | "others";
  /** The label column's text, whole (with the pid in the process view). */
  readonly label: string;
  /** A row's status; undefined for the others bar. */
  readonly status: DiffStatus | undefined;
  /** The rows it stands for: 1 for a row. */
  readonly rows: number;
  /** kB on each side (a missing side counts as 0 in a sum) and B - A. */
  readonly change: Change & { readonly change: number };
}

/** Where one side of the diff was read: host, time and the source's label. */
export interface DiffSideOrigin extends ChartOrigin {
  /** `"rec.tar.gz"@3`, `live /proc`. */
  readonly source: string;
}

/** What a diff chart needs beside the diff. */
export interface DiffBarOptions {
  /** The metric column whose change sizes the bars, by id (`pss`). */
  readonly metric: string;
  /** The label column that names the bars, by id (`command`). */
  readonly labelColumn: string;
  /** A row of the view, singular: `process`, `user`... */
  readonly rowNoun: string;
  /** How many rows get a bar of their own; the rest are summed. */
  readonly top: number;
  readonly sides: readonly [DiffSideOrigin, DiffSideOrigin];
  readonly width: number;
  /** The picture's height; by default, what the bars need. */
  readonly height?: number;
}

/** Pixels per bar, and room for the title's four lines, the legend and the axis. */
const BAR_PX = 22;
const FRAME_PX = 205;

/** The height that gives each bar room: what a diff chart gets without --height. */
export function diffBarHeight(bars: number): number {
  return Math.max(260, FRAME_PX + bars * BAR_PX);
}

/** A column's position in the diff, by id; throws for a column it does not have. */
function indexOf(columns: DiffTable["labels"], id: string, what: string): number {
  const index = columns.findIndex((column) => column.id === id);
  if (index < 0) {
    throw new RangeError(
      `The diff has no ${what} column "${id}": it has ${
        columns.map((column) => `"${column.id}"`).join(", ")
      }`,
    );
  }
  return index;
}

/**
 * The bars of a diff: the rows whose metric changed, the `top` largest
 * changes (either way) on their own, ordered from the largest growth to the
 * largest shrinkage, then the rest summed into one "others" bar. A row
 * whose metric did not change, or is unknown on both sides, is no bar.
 */
export function diffBars(
  diff: DiffTable,
  options: Pick<DiffBarOptions, "metric" | "labelColumn" | "top">,
): DiffBar[] {
  const metric = indexOf(diff.metrics, options.metric, "metric");
  const label = indexOf(diff.labels, options.labelColumn, "label");
  // A process's pid tells two processes of one command apart.
  const pid = options.labelColumn === "pid"
    ? -1
    : diff.labels.findIndex((column) => column.id === "pid");
  const changed = diff.rows.flatMap((row) => {
    const change = row.changes[metric]!;
    if (change.change === undefined || change.change === 0) return [];
    const text = String(row.labels[label] ?? "?");
    const bar: DiffBar = {
      kind: "row",
      label: pid < 0 ? text : `${text} [${row.labels[pid] ?? "?"}]`,
      status: row.status,
      rows: 1,
      change: { ...change, change: change.change },
    };
    return [{ bar, key: row.key }];
  });
  // Largest first either way; ties by key, so that the same diff draws the same bars.
  changed.sort((x, y) =>
    Math.abs(y.bar.change.change) - Math.abs(x.bar.change.change) ||
    (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)
  );
  const drawn = changed.slice(0, options.top).map(({ bar }) => bar)
    .sort((x, y) => y.change.change - x.change.change);
  const rest = changed.slice(options.top).map(({ bar }) => bar.change);
  if (rest.length === 0) return drawn;
  const sum = (side: "a" | "b") => rest.reduce((total, change) => total + (change[side] ?? 0), 0);
  const [a, b] = [sum("a"), sum("b")];
  return [...drawn, {
    kind: "others",
    label: `${rest.length} ${rest.length === 1 ? "other" : "others"}`,
    status: undefined,
    rows: rest.length,
    change: { a, b, change: b - a, percent: a === 0 ? undefined : ((b - a) / a) * 100 },
  }];
}

/** `+38.6 MiB`, `−940 KiB`, `±0 KiB`: a change with its sign (U+2212, as the axis draws it). */
export function formatChange(kb: number): string {
  const sign = kb > 0 ? "+" : kb < 0 ? "\u2212" : "±";
  return `${sign}${formatKb(Math.abs(kb))}`;
}

/** `+12.3 %`; `new` where A had nothing to take a share of. */
function formatPercent(change: Change): string {
  if (change.percent === undefined) return change.a === undefined ? "new" : "n/a";
  const sign = change.percent > 0 ? "+" : change.percent < 0 ? "\u2212" : "±";
  return `${sign}${Math.abs(change.percent).toFixed(1)} %`;
}

/** An amount of one side; `none` where the row is not on that side. */
function formatSide(kb: number | undefined): string {
  return kb === undefined ? "none" : formatKb(kb);
}

/** Where and when a side was read: `A: host vm · 2026-11-25 20:01:27 UTC · "rec.tar.gz"@14`. */
function sideLine(name: string, side: DiffSideOrigin): string {
  return `${name}: ${originLine(side, shortLabel(side.source, 60))}`;
}

/**
 * Where and when A and B were read, the metric's total on both sides, and
 * how many rows changed: one line each, so that a narrow chart cuts none.
 */
function subtitle(
  diff: DiffTable,
  bars: readonly DiffBar[],
  options: Pick<DiffBarOptions, "rowNoun" | "sides"> & {
    readonly metric: DiffTable["metrics"][number];
    readonly labelHeader: string;
  },
): string[] {
  const { metric, rowNoun } = options;
  const total = diff.totals[diff.metrics.indexOf(metric)];
  const changed = bars.reduce((count, bar) => count + bar.rows, 0);
  const own = bars.filter((bar) => bar.kind === "row").length;
  const compared = `${diff.rows.length} ${plural(rowNoun, diff.rows.length)} compared`;
  return [
    sideLine("A", options.sides[0]),
    sideLine("B", options.sides[1]),
    ...(total?.change === undefined || total.a === undefined || total.b === undefined ? [] : [
      `total ${chartName(metric)} ${formatKb(total.a)} → ${formatKb(total.b)}: ${
        formatChange(total.change)
      } (${formatPercent(total)})`,
    ]),
    changed === 0
      ? `${compared} · no ${chartName(metric)} change`
      : `${compared} · ${
        own < changed
          ? `largest ${own} of ${changed} changes`
          : `${changed} ${changed === 1 ? "change" : "changes"}`
      }, labelled by ${options.labelHeader}`,
  ];
}

/** The diverging bar chart of a diff's changes in one metric. */
export function diffBarSpec(diff: DiffTable, options: DiffBarOptions): TopLevelSpec {
  const bars = diffBars(diff, options);
  const metric = diff.metrics[indexOf(diff.metrics, options.metric, "metric")]!;
  const labelHeader = chartName(diff.labels[indexOf(diff.labels, options.labelColumn, "label")]!);
  const unit = unitFor(Math.max(0, ...bars.map((bar) => Math.abs(bar.change.change))));
  const names = uniqueLabels(bars.map((bar) => {
    if (bar.kind === "others") return bar.label;
    const marked = bar.status === "both" ? "" : ` (${bar.status})`;
    return `${shortLabel(bar.label)}${marked}`;
  }));
  const values = bars.map((bar, order) => ({
    order,
    bar: names[order]!,
    // The tooltip's whole label, as a terminal shows it (`\x1b`, `\n`).
    label: bar.kind === "others" ? `${bar.label} (summed)` : terminalText(bar.label),
    status: bar.status ?? "summed",
    direction: (bar.change.change > 0 ? "growth" : "shrinkage") satisfies Direction,
    value: bar.change.change / unit.kb,
    kb: bar.change.change,
    amount: formatChange(bar.change.change),
    a: formatSide(bar.change.a),
    b: formatSide(bar.change.b),
    percent: formatPercent(bar.change),
  }));
  const directions = (["growth", "shrinkage"] as const).filter((direction) =>
    values.some((value) => value.direction === direction)
  );
  const x = {
    field: "value",
    type: "quantitative",
    title: `${chartName(metric)} change, B − A (${unit.name})`,
    // Room beside the longest bars for their amounts.
    scale: { padding: 64, nice: true },
    axis: { grid: true },
  } as const;
  const y = { field: "bar", type: "nominal", title: null, sort: names } as const;
  const amountText = (direction: Direction): Layer => ({
    transform: [{ filter: { field: "direction", equal: direction } }],
    mark: {
      type: "text",
      align: direction === "growth" ? "left" : "right",
      dx: direction === "growth" ? 4 : -4,
      fontSize: 11,
      color: "#333333",
    },
    encoding: { x, y, text: { field: "amount", type: "nominal" } },
  });
  return {
    ...frame({
      width: options.width,
      height: options.height ?? diffBarHeight(bars.length),
    }),
    title: {
      text: `${chartName(metric)} change by ${options.rowNoun}`,
      subtitle: subtitle(diff, bars, { ...options, metric, labelHeader }),
    },
    data: { values },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          x,
          y,
          color: {
            field: "direction",
            type: "nominal",
            title: null,
            scale: {
              domain: directions,
              range: directions.map((d) => d === "growth" ? GROWTH_COLOUR : SHRINKAGE_COLOUR),
            },
            legend: { orient: "top", direction: "horizontal" },
          },
          tooltip: [
            { field: "label", type: "nominal", title: labelHeader },
            { field: "status", type: "nominal", title: "Status" },
            { field: "a", type: "nominal", title: `${chartName(metric)} in A` },
            { field: "b", type: "nominal", title: `${chartName(metric)} in B` },
            { field: "amount", type: "nominal", title: "Change" },
            { field: "percent", type: "nominal", title: "Change %" },
            { field: "kb", type: "quantitative", title: "Change, kB" },
          ],
        },
      },
      amountText("growth"),
      amountText("shrinkage"),
      // The zero line: where A's amount ends and the change begins.
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: "rule", color: "#333333", strokeWidth: 1 },
        encoding: { x: { field: "zero", type: "quantitative" } },
      },
    ],
  };
}
