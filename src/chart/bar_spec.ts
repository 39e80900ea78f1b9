/**
 * smem's --bar as a Vega-Lite spec: the amount columns shown, grouped per
 * row, rows largest first; horizontal, so that long labels stay readable.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import type { BarRow } from "./chart_rows.ts";
import {
  type ChartOrigin,
  formatKb,
  frame,
  metricColour,
  originLine,
  shortLabel,
  uniqueLabels,
  unitFor,
} from "./style.ts";
import { plural } from "../units/plural.ts";
import { terminalText } from "../render/terminal_text.ts";

/** What a bar chart needs beside its rows. */
export interface BarOptions {
  /** The series: the amount columns drawn, in order (`uss` headed `USS`...). */
  readonly series: readonly BarSeries[];
  /** The sort field's header: the rows' order. */
  readonly sortName: string;
  /** The label field's header, e.g. `Command`. */
  readonly labelName: string;
  /** A row of the view, singular. */
  readonly rowNoun: string;
  /** The most rows drawn; the largest come first. */
  readonly top: number;
  readonly origin: ChartOrigin;
  readonly width: number;
  /** The picture's height; by default, what the rows need. */
  readonly height?: number;
}

/** A column drawn as bars: its id picks its colour, its header names it. */
export interface BarSeries {
  readonly id: string;
  readonly header: string;
}

/** Pixels per bar, and between groups, when the height is not given. */
const BAR_PX = 9;
const GROUP_GAP_PX = 8;
/** Room for the title, the axis and the legend. */
const FRAME_PX = 150;

/** The height that gives each bar room: what a chart gets without --height. */
export function barHeight(rows: number, series: number): number {
  return Math.max(240, FRAME_PX + rows * (series * BAR_PX + GROUP_GAP_PX));
}

/** smem's bar chart of a view's rows (at most `top` of them). */
export function barSpec(rows: readonly BarRow[], options: BarOptions): TopLevelSpec {
  const drawn = rows.slice(0, options.top);
  // A column unknown in every row drawn (a capture's cgroup charges) gets no legend entry.
  const series = options.series.filter((_, index) =>
    drawn.some((row) => row.kb[index] !== undefined)
  );
  const max = Math.max(0, ...drawn.flatMap((row) => row.kb.map((kb) => kb ?? 0)));
  const unit = unitFor(max);
  const labels = uniqueLabels(drawn.map((row) => shortLabel(row.label)));
  const values = drawn.flatMap((row, order) =>
    row.kb.flatMap((kb, index) =>
      kb === undefined ? [] : [{
        order,
        row: labels[order]!,
        // The tooltip's whole label, as a terminal shows it (`\x1b`, `\n`).
        label: terminalText(row.label),
        series: options.series[index]!.header,
        kb,
        value: kb / unit.kb,
        amount: formatKb(kb),
      }]
    )
  );
  const shown = drawn.length < rows.length
    ? `largest ${drawn.length} of ${rows.length} ${plural(options.rowNoun, rows.length)}`
    : `${rows.length} ${plural(options.rowNoun, rows.length)}`;
  return {
    ...frame({
      width: options.width,
      height: options.height ?? barHeight(drawn.length, series.length),
    }),
    title: {
      text: `${series.map((s) => s.header).join(", ")} by ${options.rowNoun}`,
      subtitle: originLine(
        options.origin,
        `${shown} by ${options.sortName}, labelled by ${options.labelName}`,
      ),
    },
    data: { values },
    mark: { type: "bar" },
    encoding: {
      y: {
        field: "row",
        type: "nominal",
        // The field is named in the subtitle: a title beside long labels would cross them.
        title: null,
        sort: labels,
      },
      yOffset: { field: "series", type: "nominal", sort: series.map((s) => s.header) },
      x: {
        field: "value",
        type: "quantitative",
        title: `Memory (${unit.name})`,
        axis: { grid: true },
      },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        // Each metric in its own colour, whichever others are drawn beside it.
        scale: {
          domain: series.map((s) => s.header),
          range: series.map((s) => metricColour(s.id)),
        },
        legend: { orient: "top", direction: "horizontal" },
      },
      tooltip: [
        { field: "label", type: "nominal", title: options.labelName },
        { field: "series", type: "nominal", title: "Column" },
        { field: "amount", type: "nominal", title: "Amount" },
        { field: "kb", type: "quantitative", title: "kB" },
      ],
    },
  };
}
