/**
 * What every memsnap chart shares: the palette, the units, the labels, the
 * title and the Vega-Lite config. Pure: no clock, no I/O, so the same input
 * gives the same spec.
 *
 * @module
 */

import { terminalText } from "../render/terminal_text.ts";

/** The Vega-Lite schema memsnap's specs follow. */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/**
 * Okabe and Ito's colour-blind-safe palette, blue first (Vega's default,
 * tableau10, is not safe for deuteranopes).
 */
export const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#D55E00",
  "#56B4E9",
  "#CC79A7",
  "#F0E442",
  "#000000",
] as const;

/**
 * Paul Tol's "muted" scheme, also colour-blind-safe: the colours of the
 * kernel's finer counters, beyond the eight of {@link PALETTE}.
 */
const MUTED = [
  "#332288",
  "#88CCEE",
  "#44AA99",
  "#117733",
  "#999933",
  "#DDCC77",
  "#CC6677",
  "#882255",
  "#AA4499",
] as const;

/**
 * One colour per amount column (by id), whatever else a bar chart shows: a
 * metric keeps its colour when a column is added or left out. smem's four
 * keep the colours a default chart (swap, uss, pss, rss) always had; the
 * columns shown together by default in any view, and each family (the PSS
 * split, smaps' clean/dirty split, a tree's sums), have distinct colours.
 * A column that only another view has may share a colour: `charge` (cgroups)
 * and `gpu` (processes), a view's own sums and their analogues.
 */
export const METRIC_COLOURS: Readonly<Record<string, string>> = {
  swap: PALETTE[0],
  uss: PALETTE[1],
  pss: PALETTE[2],
  rss: PALETTE[3],
  vss: PALETTE[4],
  swappss: PALETTE[5],
  gpu: PALETTE[6],
  charge: PALETTE[7],
  pss_anon: MUTED[0],
  pss_file: MUTED[1],
  pss_shmem: MUTED[2],
  pss_dirty: MUTED[3],
  shared_clean: MUTED[4],
  shared_dirty: MUTED[5],
  private_clean: MUTED[6],
  private_dirty: MUTED[7],
  referenced: MUTED[8],
  anonymous: PALETTE[6],
  thp: PALETTE[7],
  locked: MUTED[4],
  dirty: MUTED[6],
  // The process tree's sums of a subtree.
  tree_swap: MUTED[0],
  tree_uss: MUTED[1],
  tree_pss: MUTED[2],
  tree_rss: MUTED[3],
  // The commands view: ps_mem's private, shared and their sum.
  private: MUTED[6],
  shared: MUTED[1],
  total: MUTED[8],
  // The exact columns (--exact): a group's own memory as USS is a process's.
  unique: MUTED[5],
  guss: MUTED[5],
  grss: MUTED[3],
  gshared: MUTED[1],
  gswap: MUTED[0],
  // The mapping view's averages per process.
  avgpss: MUTED[2],
  avguss: MUTED[5],
  avgrss: MUTED[3],
  // The system view's areas; the system tree's size.
  used: PALETTE[2],
  cache: PALETTE[4],
  noncache: PALETTE[3],
  kb: PALETTE[2],
};

/** A metric's colour ({@link METRIC_COLOURS}); black for a column it does not list. */
export function metricColour(id: string): string {
  return Object.hasOwn(METRIC_COLOURS, id) ? METRIC_COLOURS[id]! : "#000000";
}

/** Neutral greys for what is not one row: the rest grouped, memory no row uses. */
export const OTHER_COLOUR = "#999999";
export const UNUSED_COLOUR = "#DDDDDD";

/** The longest label drawn whole; longer ones are cut in the middle. */
export const LABEL_LIMIT = 32;

/** A binary unit for amounts given in kB (KiB, as the kernel counts). */
export interface Unit {
  readonly name: "KiB" | "MiB" | "GiB" | "TiB";
  /** kB per unit. */
  readonly kb: number;
}

const UNITS: readonly Unit[] = [
  { name: "KiB", kb: 1 },
  { name: "MiB", kb: 1024 },
  { name: "GiB", kb: 1024 ** 2 },
  { name: "TiB", kb: 1024 ** 3 },
];

/** The largest unit in which `maxKb` is at least 1: an axis up to 1.5 GiB reads in GiB. */
export function unitFor(maxKb: number): Unit {
  return UNITS.findLast((unit) => maxKb >= unit.kb) ?? UNITS[0]!;
}

/** An amount for a legend or tooltip: `1.50 GiB`, `38.6 MiB`, `940 KiB` (3 significant digits). */
export function formatKb(kb: number): string {
  const unit = unitFor(kb);
  const value = kb / unit.kb;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(unit.kb === 1 ? 0 : digits)} ${unit.name}`;
}

/**
 * Text from the system (a command line, a host name) as a chart draws it:
 * on one line, as a command line may hold newlines and tabs (an `sh -c` or
 * `python -c` script), and with other control and format characters drawn
 * visibly, as a terminal shows them (`\x1b`, `\u202e`).
 */
export function drawnText(text: string): string {
  return terminalText(text.replace(/\s+/g, " "));
}

/**
 * A label short enough to read beside others, on one line ({@link drawnText}):
 * a long one keeps its start (the program) and its end (the file or argument
 * that tells instances apart), joined by an ellipsis.
 */
export function shortLabel(given: string, limit = LABEL_LIMIT): string {
  const text = drawnText(given);
  if (Array.from(text).length <= limit) return text;
  // A command line's program is known by its name (/usr/bin/python3 → python3); a lone
  // path (a cgroup, a file) keeps its directories, which tell /init.scope from another.
  const chars = Array.from(text.replace(/^\/\S*\/(?=[^/\s]+\s)/, ""));
  if (chars.length <= limit) return chars.join("");
  const head = Math.floor((limit - 1) * 0.4);
  const tail = limit - 1 - head;
  return `${chars.slice(0, head).join("")}…${chars.slice(-tail).join("")}`;
}

/**
 * Labels made unique, in order: a repeated one gets ` (2)`, ` (3)`…, so that
 * two `bash` processes stay two slices with two colours.
 */
export function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  const taken = new Set(labels);
  return labels.map((label) => {
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    if (count === 1) return label;
    let candidate = `${label} (${count})`;
    while (taken.has(candidate)) candidate += "'";
    taken.add(candidate);
    return candidate;
  });
}

/** Where and when a chart's data was seen. */
export interface ChartOrigin {
  readonly hostname: string | null;
  /** ISO 8601; null when the source did not say. */
  readonly takenAt: string | null;
}

/** `2026-11-25 19:30:00 UTC`, from the snapshot's own time (never the clock). */
export function formatTime(iso: string): string {
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)/.exec(iso);
  return match === null ? iso : `${match[1]} ${match[2]} UTC`;
}

/** The subtitle line: host and time, and what else the chart wants said. */
export function originLine(origin: ChartOrigin, ...more: string[]): string {
  // The host and time are an archive's text.
  return drawnText(
    [
      `host ${origin.hostname ?? "unknown"}`,
      origin.takenAt === null ? "time unknown" : formatTime(origin.takenAt),
      ...more,
    ].join(" · "),
  );
}

/** Size and fonts shared by every chart; `width` and `height` are the whole picture's. */
export function frame(size: { readonly width: number; readonly height: number }) {
  return {
    $schema: VEGA_LITE_SCHEMA,
    width: size.width,
    height: size.height,
    autosize: { type: "fit", contains: "padding" },
    padding: 12,
    background: "white",
    config: {
      view: { stroke: null },
      title: {
        anchor: "start",
        fontSize: 15,
        subtitleFontSize: 12,
        subtitlePadding: 6,
        offset: 12,
      },
      axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", labelLimit: 0 },
      // Labels are cut to LABEL_LIMIT characters already: no cut by width.
      legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", labelLimit: 0 },
    },
  } as const;
}
