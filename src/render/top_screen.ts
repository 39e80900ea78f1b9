/**
 * The full-screen `memsnap top`, as lines of text that fit the terminal: a
 * header with the system's state, a status line, the view's table with each
 * row's change since the last refresh and since start, and the help. Pure:
 * the command writes the lines. Growth is a sign and an arrow (▲ ▼), never
 * a colour alone; the only attribute, reverse video on the column headers,
 * is left out under NO_COLOR.
 *
 * @module
 */

import type { CellValue } from "../view/column.ts";
import type { ColumnInfo, Table } from "../view/table.ts";
import type { UserspaceGap } from "../view/userspace_gap.ts";
import { kbUnits } from "./python_format.ts";
import { terminalText } from "./terminal_text.ts";

/** The system's state, for the header: meminfo's, and the system tree's userspace gap. */
export interface TopHeader {
  readonly hostname: string | null;
  readonly memTotalKb: number | null;
  /** MemTotal - MemAvailable. */
  readonly usedKb: number | null;
  /** Cached (page cache), kB. */
  readonly cacheKb: number | null;
  readonly availableKb: number | null;
  readonly swapTotalKb: number | null;
  readonly swapUsedKb: number | null;
  readonly gap: UserspaceGap;
  /** Processes not walked in this sample (carried or RSS-only numbers). */
  readonly notExact: number;
}

/** What the status line says. */
export interface ScreenStatus {
  readonly view: string;
  readonly sort: string;
  readonly descending: boolean;
  readonly filter: string;
  /** The filter being typed, when it is. */
  readonly typing?: string;
  readonly paused: boolean;
  readonly intervalMs: number;
  readonly abbreviate: boolean;
  /** When the sample was taken, ISO. */
  readonly takenAt: string;
  /** A one-line message (a bad filter). */
  readonly message?: string;
  /** The process whose mappings are shown: "1234 python3". */
  readonly focus?: string;
  /** The recording being written (w): its file and snapshots so far. */
  readonly recording?: { readonly file: string; readonly snapshots: number };
}

/** One refresh to draw. */
export interface ScreenInput {
  readonly header: TopHeader;
  readonly status: ScreenStatus;
  readonly table: Table;
  /** The measured amount (PSS) of each row's key at the last refresh, and at start. */
  readonly last: ReadonlyMap<string, number>;
  readonly first: ReadonlyMap<string, number>;
  /** The chosen row, marked `>` (not by colour alone), kept on screen. */
  readonly cursor?: number;
  /** The ΔLAST and ΔSTART columns (not for a process's mappings, read once). */
  readonly changes?: boolean;
  readonly width: number;
  readonly height: number;
  /** Reverse video on the column headers (off under NO_COLOR). */
  readonly colour: boolean;
}

/** The help screen's lines. */
export const HELP_LINES: readonly string[] = [
  "memsnap top: keys",
  "",
  "  1 2 3 4 5   view: processes, users, programs, cgroups, process tree (Tab: next)",
  "  s > <       sort on the next / previous amount column",
  "  r           reverse the order (largest first by default)",
  "  ↑ ↓ Enter   choose a process; Enter shows its mappings (Esc: back)",
  "  /           filter processes by a regex on their name (Enter applies, Esc leaves)",
  "  space p     pause / resume refreshing",
  "  + -         refresh less / more often (doubles, halves the interval)",
  "  k u         units: K/M/G or kB",
  "  w           start / stop writing a recording of the system (memsnap record's)",
  "  ? h         this help (any key leaves it)",
  "  q Ctrl-C    quit",
  "",
  "Columns ΔLAST and ΔSTART: the change of the row's PSS since the last refresh",
  "and since top started; ▲ grew, ▼ shrank. A PSS marked ~ was not walked now",
  "(carried from an earlier walk, or RSS only): see docs/sampling.md.",
];

/** The key of a row, for its changes: its first cell (pid, user, program, cgroup). */
export function rowKey(row: readonly CellValue[]): string {
  return String(row[0] ?? "");
}

/** The index of the column whose changes are shown: PSS, or the view's first memory amount. */
export function measureIndex(columns: readonly ColumnInfo[]): number {
  const pss = columns.findIndex((c) => c.id === "pss");
  return pss !== -1 ? pss : columns.findIndex((c) => c.quantity === "memory");
}

/** The screen's lines, each at most `width` columns, at most `height` of them. */
export function topScreen(input: ScreenInput): string[] {
  const { width, height } = input;
  const fit = (line: string) => clip(line, width);
  const lines = [
    ...headerLines(input.header, input.status).map(fit),
    fit(statusLine(input.status)),
  ];
  const marked = input.cursor !== undefined;
  const table = tableLines(marked ? { ...input, width: width - 2 } : input);
  const headText = marked ? `  ${table.head}` : table.head;
  const head = input.colour ? `\x1b[7m${fit(headText).padEnd(width)}\x1b[0m` : fit(headText);
  const room = Math.max(0, height - lines.length - 1);
  const cursor = Math.min(input.cursor ?? 0, Math.max(0, table.rows.length - 1));
  // The chosen row stays on screen: the rows scroll under it.
  const from = marked ? Math.max(0, cursor - room + 1) : 0;
  const rows = table.rows.slice(from, from + room).map((row, i) =>
    marked ? `${from + i === cursor ? "> " : "  "}${row}` : row
  );
  lines.push(head, ...rows.map(fit));
  return lines.slice(0, height);
}

/** The help, fitted. */
export function helpScreen(width: number, height: number): string[] {
  return HELP_LINES.slice(0, height).map((line) => clip(line, width));
}

function headerLines(h: TopHeader, status: ScreenStatus): string[] {
  const amount = (kb: number | null) =>
    kb === null ? "?" : status.abbreviate ? kbUnits(kb) : `${kb} kB`;
  const host = h.hostname === null ? "" : ` ${terminalText(h.hostname)}`;
  const gap = h.gap.gapKb === null
    ? "userspace gap ?"
    : `userspace gap ${amount(h.gap.gapKb)} (mapped ${amount(h.gap.mappedKb)}, PSS ${
      amount(h.gap.processesPssKb)
    } of ${h.gap.processes} processes)`;
  return [
    `memsnap top${host}  ${status.takenAt}  every ${seconds(status.intervalMs)}${
      status.paused ? "  PAUSED" : ""
    }${
      status.recording === undefined
        ? ""
        : `  REC ${terminalText(status.recording.file)} (${status.recording.snapshots}; w: stop)`
    }`,
    `Mem total ${amount(h.memTotalKb)}  used ${amount(h.usedKb)}  cache ${
      amount(h.cacheKb)
    }  available ${amount(h.availableKb)}  swap ${amount(h.swapUsedKb)}/${amount(h.swapTotalKb)}`,
    `${gap}${h.notExact > 0 ? `  ${h.notExact} not walked now (~)` : ""}`,
  ];
}

function statusLine(s: ScreenStatus): string {
  const filter = s.typing !== undefined
    ? `filter: /${terminalText(s.typing)}_`
    : s.filter === ""
    ? ""
    : `filter: /${terminalText(s.filter)}/`;
  return [
    s.focus === undefined ? `view ${s.view}` : `mappings of ${terminalText(s.focus)} (Esc: back)`,
    `sort ${s.sort} ${s.descending ? "largest first" : "smallest first"}`,
    filter,
    s.message === undefined ? "" : terminalText(s.message),
    "? help",
  ].filter((part) => part !== "").join("  ·  ");
}

/** The table's header and rows, with the change columns after the view's own. */
function tableLines(input: ScreenInput): { head: string; rows: string[] } {
  const { table, status } = input;
  const measure = measureIndex(table.columns);
  // How a row was measured is a mark on its amount ("~": not walked now), not two columns
  // that would push the changes off a narrow screen.
  const provenance = table.columns.findIndex((c) => c.id === "provenance");
  const shown = table.columns.flatMap((c, i) => c.id === "provenance" || c.id === "age" ? [] : [i]);
  const cells = table.rows.map((row, r) => {
    const notExact = provenance !== -1 && row[provenance] !== "exact";
    const own = shown.map((c) => {
      const text = cellText(row[c], table.columns[c]!, status.abbreviate, table.depths?.[r], c);
      return c === measure && notExact ? `${text}~` : text;
    });
    if (measure === -1 || input.changes === false) return own;
    const now = row[measure];
    const key = rowKey(row);
    return [
      ...own,
      change(now, input.last.get(key), status.abbreviate),
      change(now, input.first.get(key), status.abbreviate),
    ];
  });
  const headers = [
    ...shown.map((c) => table.columns[c]!.header),
    ...(measure === -1 || input.changes === false ? [] : ["ΔLAST", "ΔSTART"]),
  ];
  const aligns = [
    ...shown.map((c) => table.columns[c]!.layout.align),
    ...(measure === -1 || input.changes === false ? [] : ["right", "right"] as const),
  ];
  const widths = headers.map((header, c) =>
    Math.max(header.length, ...cells.map((row) => row[c]!.length))
  );
  // A text column that would push the amounts off screen is cut: the widest one.
  const fixed = widths.reduce((sum, w) => sum + w + 1, 0);
  const over = fixed - input.width;
  if (over > 0) {
    const lefts = widths.flatMap((w, c) => aligns[c] === "left" ? [[w, c] as const] : []);
    const widest = lefts.reduce<readonly [number, number] | undefined>(
      (best, next) => best === undefined || next[0] > best[0] ? next : best,
      undefined,
    );
    if (widest !== undefined) {
      const text = widest[1];
      widths[text] = Math.max(headers[text]!.length, widths[text]! - over);
    }
  }
  const line = (row: readonly string[]) =>
    row.map((text, c) => {
      const cut = clip(text, widths[c]!);
      return aligns[c] === "right" ? cut.padStart(widths[c]!) : cut.padEnd(widths[c]!);
    }).join(" ").trimEnd();
  return { head: line(headers), rows: cells.map(line) };
}

function cellText(
  value: CellValue,
  column: ColumnInfo,
  abbreviate: boolean,
  depth: number | undefined,
  _index: number,
): string {
  if (value === undefined) return "";
  if (typeof value === "number") {
    if (abbreviate && (column.quantity === "memory" || column.quantity === "swap")) {
      return kbUnits(value);
    }
    return String(value);
  }
  const text = terminalText(value);
  return column.indented && depth !== undefined ? `${"  ".repeat(depth)}${text}` : text;
}

/** A change: "+1.2M ▲", "-300 ▼", "0", or "new" for a row not seen before. */
function change(now: CellValue, before: number | undefined, abbreviate: boolean): string {
  if (typeof now !== "number") return "";
  if (before === undefined) return "new";
  const delta = now - before;
  if (delta === 0) return "0";
  const text = abbreviate ? kbUnits(Math.abs(delta)) : String(Math.abs(delta));
  return delta > 0 ? `+${text} ▲` : `-${text} ▼`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** At most `width` characters (code units: the cells hold escaped text). */
function clip(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, Math.max(0, width));
}
