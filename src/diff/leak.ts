/**
 * Leak suspects: a series that trends up over a recording, by a rule that
 * tolerates small dips. Pure statistics on (time, value) points:
 *
 * - the Mann–Kendall test: S counts the pairs of points that rose minus
 *   those that fell; its normal approximation Z (ties corrected) tells
 *   whether the series rises more consistently than noise would;
 * - Theil–Sen's slope: the median of the slopes between every two points,
 *   the growth rate that one jump or a few dips do not sway.
 *
 * A series is a suspect ({@link isLeakSuspect}) when it grew by 1 MiB or
 * more from its first value to its last, its rise is significant (Z at
 * least 1.645: one-sided, 5 %), and it is still growing: at the Theil–Sen
 * rate of the later half of its time span, it would grow by 1 MiB or more
 * over the whole span (start-up, or a cache that filled, then a plateau,
 * is not a leak). The reasons are in docs/diff.md.
 *
 * @module
 */

/** A value at a time (ms). */
export interface Point {
  readonly t: number;
  readonly v: number;
}

/** The rule's thresholds (docs/diff.md). */
export const LEAK_RULE = {
  /** kB the series must have grown by, first to last, and at its later rate over its span. */
  minGrowthKb: 1024,
  /** Mann–Kendall's Z at least: a one-sided test at 5 %. */
  minZ: 1.645,
} as const;

/** ms per hour: rates are in kB per hour. */
const HOUR_MS = 3_600_000;

/** What the statistics say of one series. */
export interface TrendStats {
  /** Mann–Kendall's Z; undefined under 2 points. */
  readonly z: number | undefined;
  /** Theil–Sen's slope, kB per hour; undefined without 2 points at different times. */
  readonly ratePerHour: number | undefined;
  /**
   * Theil–Sen's slope of the points in the later half of the time span,
   * kB per hour: whether it is still growing; undefined without 2 of them.
   */
  readonly recentRatePerHour: number | undefined;
  /** ms from the first point to the last. */
  readonly spanMs: number;
}

/**
 * Mann–Kendall's S and Z of values in time order: Z = (S − 1) / σ for S > 0,
 * (S + 1) / σ for S < 0 (continuity correction), with σ² corrected for ties.
 */
export function mannKendall(values: readonly number[]): { s: number; z: number } {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) s += Math.sign(values[j]! - values[i]!);
  }
  const ties = new Map<number, number>();
  for (const v of values) ties.set(v, (ties.get(v) ?? 0) + 1);
  let variance = n * (n - 1) * (2 * n + 5);
  for (const t of ties.values()) variance -= t * (t - 1) * (2 * t + 5);
  variance /= 18;
  if (variance <= 0 || s === 0) return { s, z: 0 };
  return { s, z: (s - Math.sign(s)) / Math.sqrt(variance) };
}

/** Theil–Sen's slope of points, per ms: the median slope of the pairs at different times. */
export function senSlope(points: readonly Point[]): number | undefined {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i]!;
      const b = points[j]!;
      if (b.t !== a.t) slopes.push((b.v - a.v) / (b.t - a.t));
    }
  }
  if (slopes.length === 0) return undefined;
  const sorted = Float64Array.from(slopes).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The statistics of points in time order. */
export function trendStats(points: readonly Point[]): TrendStats {
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined) {
    return { z: undefined, ratePerHour: undefined, recentRatePerHour: undefined, spanMs: 0 };
  }
  const middle = first.t + (last.t - first.t) / 2;
  const perHour = (slope: number | undefined) => slope === undefined ? undefined : slope * HOUR_MS;
  return {
    z: points.length < 2 ? undefined : mannKendall(points.map((p) => p.v)).z,
    ratePerHour: perHour(senSlope(points)),
    recentRatePerHour: perHour(senSlope(points.filter((p) => p.t >= middle))),
    spanMs: last.t - first.t,
  };
}

/** What {@link isLeakSuspect} weighs. */
export interface LeakEvidence extends TrendStats {
  /** last − first, kB. */
  readonly growth: number | undefined;
}

/**
 * Whether a series of kB looks like a leak ({@link LEAK_RULE}): grown by 1
 * MiB or more, rising significantly (Mann–Kendall), and still growing (at
 * its later half's Theil–Sen rate, by 1 MiB or more over its span).
 */
export function isLeakSuspect(evidence: LeakEvidence): boolean {
  const { growth, z, recentRatePerHour, spanMs } = evidence;
  if (growth === undefined || z === undefined || recentRatePerHour === undefined) return false;
  return growth >= LEAK_RULE.minGrowthKb && z >= LEAK_RULE.minZ &&
    recentRatePerHour * spanMs / HOUR_MS >= LEAK_RULE.minGrowthKb;
}
