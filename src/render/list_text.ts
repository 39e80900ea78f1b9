/**
 * `memsnap list`'s renderings: one line per snapshot of an archive.
 *
 * @module
 */

import type { ListDocument, ListRow } from "./documents.ts";
import type { Format, Renderer } from "./format.ts";
import { jsonText, terminalText } from "./terminal_text.ts";

const HEADERS = ["Index", "Time", "Late", "Processes", "PSS", "MemAvailable"] as const;

/** A snapshot is late when it started a tenth of the interval (and 10 ms) past its time. */
export function isLate(lateMs: number, intervalMs: number | null): boolean {
  return lateMs > Math.max(10, (intervalMs ?? 0) / 10);
}

/** The Missed column (scheduled snapshots not taken before each) appears only when some are. */
function hasGaps(list: ListDocument): boolean {
  return list.snapshots.some((row) => row.gap !== undefined);
}

function headers(list: ListDocument): string[] {
  return hasGaps(list) ? [...HEADERS, "Missed"] : [...HEADERS];
}

function cells(row: ListRow, gaps: boolean): string[] {
  const line = [
    String(row.index),
    row.takenAt ?? "",
    row.lateMs === null ? "" : String(row.lateMs),
    String(row.processes),
    String(row.pss),
    row.memAvailable === null ? "" : String(row.memAvailable),
  ];
  if (gaps) line.push(row.gap === undefined ? "" : String(row.gap.missed));
  return line;
}

/**
 * The rows as the table and Markdown show them: the late column only when
 * late, the time (an archive's writer's text) as a terminal can show it.
 */
function shownCells(list: ListDocument): string[][] {
  const intervalMs = list.recording?.intervalMs ?? null;
  return list.snapshots.map((row) => {
    const line = cells(row, hasGaps(list));
    line[1] = terminalText(line[1]!);
    line[2] = row.lateMs !== null && isLate(row.lateMs, intervalMs) ? `+${row.lateMs}ms` : "";
    return line;
  });
}

/** The text table: numbers right-aligned, the time left-aligned. */
function renderListText(list: ListDocument): string {
  const lines = [headers(list), ...shownCells(list)];
  const widths = headers(list).map((_, i) => Math.max(...lines.map((line) => line[i]!.length)));
  return lines.map((line) =>
    line.map((cell, i) => i === 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)).join("  ")
      .trimEnd() + "\n"
  ).join("");
}

/** A GitHub-flavoured Markdown table. */
function renderListMarkdown(list: ListDocument): string {
  const line = (row: readonly string[]) => `| ${row.join(" | ")} |\n`;
  return line(headers(list)) + line(headers(list).map((_, i) => i === 1 ? ":---" : "---:")) +
    shownCells(list).map(line).join("");
}

/** CSV (RFC 4180): raw numbers, the late column in ms whether late or not. */
async function renderListCsv(list: ListDocument): Promise<string> {
  // The CSV writer loads only when CSV is asked for.
  const { csvText } = await import("./report_csv.ts");
  return csvText([headers(list), ...list.snapshots.map((row) => cells(row, hasGaps(list)))]);
}

/** JSON: the recording's metadata, how it ended, and the snapshots. */
function renderListJson(list: ListDocument): string {
  return `${jsonText({ recording: list.recording, end: list.end, snapshots: list.snapshots })}\n`;
}

export const LIST_RENDERERS: Readonly<Record<Format, Renderer<ListDocument>>> = {
  table: (list) => renderListText(list),
  json: (list) => renderListJson(list),
  csv: (list) => renderListCsv(list),
  markdown: (list) => renderListMarkdown(list),
};
