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
  ratePerHour: number | null;
  recentRatePerHour: number | null;
  z: number | null;
  suspect: boolean;
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

/** Theil–Sen's slope per hour by brute force: the median slope of every pair at different times. */
function senPerHour(values: readonly number[], times: readonly number[]): number | null {
  const slopes: number[] = [];
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      if (times[j] !== times[i]) slopes.push((values[j]! - values[i]!) / (times[j]! - times[i]!));
    }
  }
  if (slopes.length === 0) return null;
  slopes.sort((a, b) => a - b);
  const middle = slopes.length >> 1;
  const median = slopes.length % 2 === 1
    ? slopes[middle]!
    : (slopes[middle - 1]! + slopes[middle]!) / 2;
  return median * 3_600_000;
}

/**
 * A series read off all of its values, taken at these times (ms): the
 * statistics by brute force over every pair (docs/diff.md's leak suspects):
 * Mann–Kendall's Z, Theil–Sen's slope per hour over all and over the later
 * half of the span, and the rule.
 */
export function seriesOf(values: readonly number[], times: readonly number[]): Series {
  const first = values[0]!;
  const last = values.at(-1)!;
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) s += Math.sign(values[j]! - values[i]!);
  }
  const n = values.length;
  const ties = [...Map.groupBy(values, (v) => v).values()].map((group) => group.length);
  const variance =
    (n * (n - 1) * (2 * n + 5) - ties.reduce((sum, t) => sum + t * (t - 1) * (2 * t + 5), 0)) / 18;
  const z = n < 2 ? null : s === 0 || variance <= 0 ? 0 : (s - Math.sign(s)) / Math.sqrt(variance);
  const middle = times[0]! + (times.at(-1)! - times[0]!) / 2;
  const later = values.flatMap((_, i) => times[i]! >= middle ? [i] : []);
  const recentRatePerHour = senPerHour(later.map((i) => values[i]!), later.map((i) => times[i]!));
  const growth = last - first;
  const span = times.at(-1)! - times[0]!;
  return {
    first,
    last,
    min: Math.min(...values),
    max: Math.max(...values),
    growth,
    ratePerHour: senPerHour(values, times),
    recentRatePerHour,
    z,
    suspect: growth >= 1024 && z !== null && z >= 1.645 && recentRatePerHour !== null &&
      recentRatePerHour * span / 3_600_000 >= 1024,
  };
}

export interface ExpectedRow {
  seen: number;
  firstSeen: number;
  lastSeen: number;
  metrics: Record<string, Series>;
  suspects: string[];
}

/**
 * What the trend of these reports must be: per row (by its key column) and
 * for the totals. `amounts`: the metrics that hold memory (those that can be
 * suspects; by default all but `count` and `pids`).
 */
export function expected(
  all: readonly Report[],
  key: string,
  metrics: readonly string[],
  amounts: ReadonlySet<string> = new Set(metrics.filter((m) => m !== "count" && m !== "pids")),
) {
  const present = new Map<Cell, { index: number; row: ReportRow }[]>();
  all.forEach((report, index) => {
    const keys = report.rows.map((row) => row[key]);
    // The key column names each row once, in every snapshot.
    strictEqual(new Set(keys).size, keys.length);
    for (const row of report.rows) {
      present.set(row[key]!, [...(present.get(row[key]!) ?? []), { index, row }]);
    }
  });
  const times = all.map((report) => Date.parse(report.takenAt));
  const rows = new Map<Cell, ExpectedRow>();
  for (const [name, seen] of present) {
    const byMetric = Object.fromEntries(
      metrics.map((m) => [m, seriesIn(seen, m, times, amounts.has(m))]),
    );
    rows.set(name, {
      seen: seen.length,
      firstSeen: seen[0]!.index,
      lastSeen: seen.at(-1)!.index,
      metrics: byMetric,
      suspects: metrics.filter((m) => byMetric[m]!.suspect),
    });
  }
  const everywhere = all.map((report, index) => ({ index, row: report.totals }));
  const totals = Object.fromEntries(
    metrics.map((m) => [m, seriesIn(everywhere, m, times, amounts.has(m))]),
  );
  return { rows, totals };
}

/** One metric's series over the snapshots a row is in; only amounts of memory can be suspects. */
function seriesIn(
  seen: readonly { index: number; row: ReportRow }[],
  metric: string,
  times: readonly number[],
  amount: boolean,
): Series {
  // Unknown values are left out of a series.
  const known = seen.filter((s) => s.row[metric] !== null);
  if (known.length === 0) {
    const none = { first: null, last: null, min: null, max: null, growth: null };
    return { ...none, ratePerHour: null, recentRatePerHour: null, z: null, suspect: false };
  }
  const series = seriesOf(
    known.map((s) => s.row[metric] as number),
    known.map((s) => times[s.index]!),
  );
  return { ...series, suspect: amount && series.suspect };
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
    suspects: string[];
    metrics: Record<string, Series>;
  }[];
  totals: Record<string, Series>;
}
