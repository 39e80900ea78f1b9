/**
 * A series' points kept in bounded memory, however long the recording: up
 * to {@link MAX_POINTS} points; when full, each two neighbours merge into
 * their mean (time and value), and later points are averaged in buckets
 * twice as wide. A recording of up to MAX_POINTS snapshots is kept whole;
 * a longer one as MAX_POINTS / 2 to MAX_POINTS evenly spaced means, which
 * the trend statistics ({@link ./leak.ts}) read as well as the raw series
 * (a mean also smooths noise). Deterministic: the same series, the same
 * points.
 *
 * @module
 */

import type { Point } from "./leak.ts";

/** The most points kept per series. Even: full buckets merge in pairs. */
export const MAX_POINTS = 64;

/** Points so far; opaque to callers. */
export interface SeriesSample {
  readonly _points: Point[];
  /** How many values a kept point averages. */
  _width: number;
  /** The bucket being filled. */
  _sumT: number;
  _sumV: number;
  _count: number;
}

/** An empty sample. */
export function startSample(): SeriesSample {
  return { _points: [], _width: 1, _sumT: 0, _sumV: 0, _count: 0 };
}

/** Adds a value at a time (ms), in time order. */
export function addPoint(sample: SeriesSample, t: number, v: number): void {
  sample._sumT += t;
  sample._sumV += v;
  sample._count++;
  if (sample._count < sample._width) return;
  sample._points.push(mean(sample._sumT, sample._sumV, sample._count));
  sample._sumT = sample._sumV = sample._count = 0;
  if (sample._points.length < MAX_POINTS) return;
  const merged: Point[] = [];
  for (let i = 0; i < sample._points.length; i += 2) {
    const a = sample._points[i]!;
    const b = sample._points[i + 1]!;
    merged.push({ t: (a.t + b.t) / 2, v: (a.v + b.v) / 2 });
  }
  sample._points.splice(0, sample._points.length, ...merged);
  sample._width *= 2;
}

/** The points kept, the bucket being filled last (as the mean of what it has). */
export function samplePoints(sample: SeriesSample): Point[] {
  return sample._count === 0
    ? [...sample._points]
    : [...sample._points, mean(sample._sumT, sample._sumV, sample._count)];
}

function mean(sumT: number, sumV: number, count: number): Point {
  return { t: sumT / count, v: sumV / count };
}
