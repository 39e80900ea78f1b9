/**
 * `memsnap list FILE`: one line per snapshot of an archive.
 *
 * @module
 */

import type { SnapshotSummary } from "../archive/format.ts";
import { scanArchiveFile } from "../archive/scan_file.ts";
import { summariseSource } from "../capture/summary.ts";
import { membersSource } from "../source/archive_source.ts";
import { EXIT } from "./errors.ts";
import type { Io } from "./io.ts";
import type { ListRequest } from "./snap_args.ts";
import { jsonText, terminalText } from "../render/terminal_text.ts";

/** One snapshot as `list` shows it. */
export interface ListRow extends SnapshotSummary {
  readonly index: number;
  readonly takenAt: string | null;
  /** ms late against the schedule; null outside a recording. */
  readonly lateMs: number | null;
}

const HEADERS = ["Index", "Time", "Late", "Processes", "PSS", "MemAvailable"] as const;

/** Lists an archive's snapshots; returns the exit code. */
export async function runList(request: ListRequest, io: Io): Promise<number> {
  const label = `"${request.file}"`;
  const rows: ListRow[] = [];
  const result = await scanArchiveFile(request.file, {
    // Recordings carry their summaries; other archives are read to make one.
    wants: (_index, meta) => meta?.recorded?.summary === undefined,
    async complete({ index, meta, members }) {
      const summary = meta?.recorded?.summary ??
        await summariseSource(membersSource(members ?? new Map(), { label, meta }));
      rows.push({
        index,
        takenAt: meta?.takenAt ?? null,
        lateMs: meta?.recorded?.lateMs ?? null,
        ...summary,
      });
      return true;
    },
  });
  if (result.warning !== null) io.err(`memsnap: ${result.warning}\n`);
  switch (request.format) {
    case "json":
      await io.out(
        `${jsonText({ recording: result.recording, end: result.end, snapshots: rows })}\n`,
      );
      break;
    case "csv": {
      const { csvText } = await import("../render/report_csv.ts");
      await io.out(csvText([[...HEADERS], ...rows.map(cells)]));
      break;
    }
    case "table":
      await io.out(table(rows, result.recording?.intervalMs ?? null));
      break;
  }
  return EXIT.ok;
}

function cells(row: ListRow): string[] {
  return [
    String(row.index),
    row.takenAt ?? "",
    row.lateMs === null ? "" : String(row.lateMs),
    String(row.processes),
    String(row.pss),
    row.memAvailable === null ? "" : String(row.memAvailable),
  ];
}

/** A snapshot is late when it started a tenth of the interval (and 10 ms) past its time. */
export function isLate(lateMs: number, intervalMs: number | null): boolean {
  return lateMs > Math.max(10, (intervalMs ?? 0) / 10);
}

function table(rows: readonly ListRow[], intervalMs: number | null): string {
  const lines = [
    [...HEADERS],
    ...rows.map((row) => {
      const line = cells(row);
      line[2] = row.lateMs !== null && isLate(row.lateMs, intervalMs) ? `+${row.lateMs}ms` : "";
      // An archive's time is its writer's text.
      line[1] = terminalText(line[1]!);
      return line;
    }),
  ];
  const widths = HEADERS.map((_, i) => Math.max(...lines.map((line) => line[i]!.length)));
  // Numbers right-aligned, the time left-aligned.
  return lines.map((line) =>
    line.map((cell, i) => i === 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)).join("  ")
      .trimEnd() + "\n"
  ).join("");
}
