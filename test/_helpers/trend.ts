/**
 * What a trend must be, read off the reports of a recording's snapshots one
 * by one (`memsnap -S REC@N --format json`, in-process).
 *
 * @module
 */

import { ok, strictEqual } from "node:assert/strict";
import { memsnap } from "./memsnap.ts";

export type Cell = string | number | null;
export type ReportRow = Readonly<Record<string, Cell>>;

/** One snapshot's report. */
export interface Report {
  readonly takenAt: string;
  readonly rows: readonly ReportRow[];
  readonly totals: ReportRow;
}

/** A series as the trend gives it. */
export interface Series {
  first: number | null;
  last: number | null;
  min: number | null;
  max: number | null;
  growth: number | null;
  grewOnly: boolean;
}

/** The reports of every snapshot of a recording, in order, with these report options. */
export async function reports(file: string, args: readonly string[]): Promise<Report[]> {
  const all: Report[] = [];
  for (let n = 0;; n++) {
    const { code, stdout, stderr } = await memsnap([
      "-S",
      `${file}@${n}`,
      ...args,
      "--format",
      "json",
    ]);
    if (code !== 0) {
      // Past the last snapshot: the recording has n.
      ok(/has \d+ snapshots?|no snapshot|out of range/i.test(stderr), stderr);
      return all;
    }
    all.push(JSON.parse(stdout));
  }
}

/** A series read off all of its values. */
export function seriesOf(values: readonly number[]): Series {
  const first = values[0]!;
  const last = values.at(-1)!;
  return {
    first,
    last,
    min: Math.min(...values),
    max: Math.max(...values),
    growth: last - first,
    grewOnly: last > first && values.every((v, i) => i === 0 || v >= values[i - 1]!),
  };
}

export interface ExpectedRow {
  seen: number;
  firstSeen: number;
  lastSeen: number;
  metrics: Record<string, Series>;
  grew: string[];
}

/** What the trend of these reports must be: per row (by its key column) and for the totals. */
export function expected(all: readonly Report[], key: string, metrics: readonly string[]) {
  const present = new Map<Cell, { index: number; row: ReportRow }[]>();
  all.forEach((report, index) => {
    const keys = report.rows.map((row) => row[key]);
    // The key column names each row once, in every snapshot.
    strictEqual(new Set(keys).size, keys.length);
    for (const row of report.rows) {
      present.set(row[key]!, [...(present.get(row[key]!) ?? []), { index, row }]);
    }
  });
  const series = (values: readonly Cell[]) => seriesOf(values as number[]);
  const rows = new Map<Cell, ExpectedRow>();
  for (const [name, seen] of present) {
    const byMetric = Object.fromEntries(
      metrics.map((m) => [m, series(seen.map((s) => s.row[m]!))]),
    );
    rows.set(name, {
      seen: seen.length,
      firstSeen: seen[0]!.index,
      lastSeen: seen.at(-1)!.index,
      metrics: byMetric,
      grew: metrics.filter((m) => byMetric[m]!.grewOnly),
    });
  }
  const totals = Object.fromEntries(metrics.map((m) => [m, series(all.map((r) => r.totals[m]!))]));
  return { rows, totals };
}

export interface TrendJson {
  format: string;
  version: number;
  snapshots: number;
  firstTakenAt: string;
  lastTakenAt: string;
  hostname: string;
  memTotal: number;
  columns: { labels: { id: string }[]; metrics: { id: string }[] };
  rows: {
    key: string;
    labels: Record<string, Cell>;
    seen: number;
    firstSeen: number;
    lastSeen: number;
    grew: string[];
    metrics: Record<string, Series>;
  }[];
  totals: Record<string, Series>;
}
