/**
 * smem's --pie as a Vega-Lite spec: one slice per row, sized by the sort
 * field, labelled by the chosen field; rows too small to see merged into
 * "other", and the memory no row uses as an "unused" slice.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import type { PieRow } from "./chart_rows.ts";
import {
  type ChartOrigin,
  formatKb,
  frame,
  originLine,
  OTHER_COLOUR,
  PALETTE,
  shortLabel,
  uniqueLabels,
  UNUSED_COLOUR,
} from "./style.ts";
import { plural } from "../units/plural.ts";
import { terminalText } from "../render/terminal_text.ts";

/** One slice. */
export interface PieSlice {
  readonly kind: "unused" | "row" | "other";
  readonly label: string;
  readonly kb: number;
  /** The rows it stands for: 1 for a row, 0 for unused. */
  readonly rows: number;
}

/** The most rows a pie shows one by one: one colour each from the palette. */
export const PIE_MAX_ROWS = PALETTE.length;

/**
 * smem's slices (showpie): `rows` largest first; from the smallest up, rows
 * are merged into "other" while together they stay under 2 % of `totalKb`,
 * or while each is under 0.5 % of it; "unused", `totalKb` less the sum of
 * all rows, comes first when positive. memsnap then also merges the rows
 * beyond `top` into "other", so that every slice keeps its own colour.
 */
export function pieSlices(rows: readonly PieRow[], totalKb: number, top: number): PieSlice[] {
  const kept = [...rows];
  let otherKb = 0;
  let otherRows = 0;
  const merge = () => {
    otherKb += kept.pop()!.kb;
    otherRows++;
  };
  while (
    kept.length > 0 &&
    (otherKb + kept[kept.length - 1]!.kb < totalKb * 0.02 ||
      kept[kept.length - 1]!.kb < totalKb * 0.005)
  ) merge();
  while (kept.length > top) merge();
  const used = rows.reduce((sum, row) => sum + row.kb, 0);
  return [
    ...(totalKb - used > 0
      ? [{ kind: "unused", label: "unused", kb: totalKb - used, rows: 0 } as const]
      : []),
    ...kept.map((row) => ({ kind: "row", label: row.label, kb: row.kb, rows: 1 }) as const),
    // smem adds "other" only when it sums to more than nothing.
    ...(otherKb > 0
      ? [{ kind: "other", label: "other", kb: otherKb, rows: otherRows } as const]
      : []),
  ];
}

/** What a pie needs beside its rows. */
export interface PieOptions {
  /** The size field's header, e.g. `PSS`. */
  readonly sizeName: string;
  /** The label field's header, e.g. `Command`. */
  readonly labelName: string;
  /** A row of the view, singular: `process`, `user`, `mapping`... */
  readonly rowNoun: string;
  /**
   * What the slices share: MemTotal (or -R), or SwapTotal for swap; null
   * for the rows' own sum (--no-unused: no "unused" slice).
   */
  readonly total: { readonly kb: number; readonly name: string } | null;
  readonly top: number;
  readonly origin: ChartOrigin;
  readonly width: number;
  readonly height: number;
}

/** Above this share of the pie, "unused" hides the rows: the subtitle says how to see them. */
export const UNUSED_HINT_PERCENT = 50;

function unusedHint(percent: number, rowNoun: string): string {
  return `unused is ${percent.toFixed(1)} %: --no-unused draws the ${
    plural(rowNoun, 2)
  }' shares of what they use`;
}

/** smem's pie chart of a view's rows. */
export function pieSpec(rows: readonly PieRow[], options: PieOptions): TopLevelSpec {
  const { total } = options;
  const rowsKb = rows.reduce((sum, row) => sum + row.kb, 0);
  const slices = pieSlices(rows, total?.kb ?? rowsKb, options.top);
  const sum = slices.reduce((total, slice) => total + slice.kb, 0);
  const labels = uniqueLabels(slices.map((slice) => shortLabel(slice.label)));
  let colour = 0;
  const values = slices.map((slice, order) => {
    const percent = sum === 0 ? 0 : Math.round((slice.kb / sum) * 10000) / 100;
    const name = slice.kind === "other"
      ? `other (${slice.rows} ${plural(options.rowNoun, slice.rows)})`
      : labels[order]!;
    return {
      order,
      kind: slice.kind,
      // The tooltip's whole label, as a terminal shows it (`\x1b`, `\n`).
      label: terminalText(slice.label),
      kb: slice.kb,
      amount: formatKb(slice.kb),
      percent,
      legend: `${name}: ${formatKb(slice.kb)}, ${percent.toFixed(1)} %`,
      colour: slice.kind === "unused"
        ? UNUSED_COLOUR
        : slice.kind === "other"
        ? OTHER_COLOUR
        : PALETTE[colour++ % PALETTE.length]!,
    };
  });
  const origin = originLine(
    options.origin,
    `${rows.length} ${plural(options.rowNoun, rows.length)}`,
    total === null ? `shares of their ${formatKb(rowsKb)}` : `${total.name} ${formatKb(total.kb)}`,
  );
  const unused = values.find((value) => value.kind === "unused");
  return {
    ...frame(options),
    title: {
      text: `${options.sizeName} by ${options.rowNoun}`,
      // smem's pie of a large idle machine is a grey disc: say how to see the rows.
      subtitle: unused !== undefined && unused.percent > UNUSED_HINT_PERCENT
        ? [origin, unusedHint(unused.percent, options.rowNoun)]
        : origin,
    },
    data: { values },
    mark: { type: "arc", stroke: "white", strokeWidth: 1 },
    encoding: {
      theta: { field: "kb", type: "quantitative", stack: true },
      order: { field: "order", type: "quantitative" },
      color: {
        field: "legend",
        type: "nominal",
        title: `${options.labelName} (${options.sizeName})`,
        scale: {
          domain: values.map((value) => value.legend),
          range: values.map((value) => value.colour),
        },
        legend: { orient: "right", symbolType: "square" },
      },
      tooltip: [
        { field: "label", type: "nominal", title: options.labelName },
        { field: "amount", type: "nominal", title: options.sizeName },
        { field: "kb", type: "quantitative", title: "kB" },
        { field: "percent", type: "quantitative", title: "%", format: ".1f" },
      ],
    },
  };
}
