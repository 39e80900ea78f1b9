/**
 * Which snapshot of a recording `-S FILE@WHICH` names. Pure.
 *
 * @module
 */

import { formatDuration, parseDuration } from "../units/duration.ts";

/** A choice of snapshot: by 0-based index, first, last, or nearest a time. */
export type Pick =
  | { readonly kind: "index"; readonly index: number }
  | { readonly kind: "first" }
  | { readonly kind: "last" }
  /** Nearest an absolute time (ms since the epoch). */
  | { readonly kind: "time"; readonly at: number }
  /** Nearest the first snapshot's time plus an offset (ms). */
  | { readonly kind: "offset"; readonly ms: number };

/** Describes a pick for messages: `@3`, `@last`, `@+90s`. */
export function describePick(pick: Pick, text: string): string {
  return pick.kind === "first" || pick.kind === "last" ? `@${pick.kind}` : `@${text}`;
}

/**
 * Reads what follows the `@`: `3`, `first`, `last`, an ISO time
 * (`2026-11-25T19:30:00Z`) or an offset from the first snapshot (`+90s`).
 *
 * @returns undefined when the text is none of these.
 */
export function parsePick(text: string): Pick | undefined {
  if (/^\d+$/.test(text)) return { kind: "index", index: Number(text) };
  if (text === "first" || text === "last") return { kind: text };
  if (text.startsWith("+")) {
    const ms = parseDuration(text.slice(1));
    return ms === undefined ? undefined : { kind: "offset", ms };
  }
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(text)) {
    const at = Date.parse(text);
    return Number.isNaN(at) ? undefined : { kind: "time", at };
  }
  return undefined;
}

/**
 * Splits `-S` into a path and a pick: `rec.tar.gz@3` → `rec.tar.gz`, index 3.
 * The last `@` splits, when what follows is a pick; a path that exists
 * whole (`exists`) is never split.
 */
export function splitSourceSpec(
  spec: string,
  exists: (path: string) => boolean,
): { readonly path: string; readonly pick?: Pick; readonly pickText?: string } {
  const at = spec.lastIndexOf("@");
  if (at <= 0 || exists(spec)) return { path: spec };
  const pickText = spec.slice(at + 1);
  const pick = parsePick(pickText);
  return pick === undefined ? { path: spec } : { path: spec.slice(0, at), pick, pickText };
}

/** The times of a recording's first and last snapshots (ms since the epoch). */
export interface Span {
  readonly first: number;
  readonly last: number;
}

/**
 * Where a time lies against a recording: within it, or before or after it.
 * "Nearest" only means something inside: a time more than `tolerance` (half
 * an interval) before the first snapshot or after the last names none.
 */
export function placeInSpan(at: number, span: Span, tolerance: number): "before" | "after" | null {
  if (at < span.first - tolerance) return "before";
  if (at > span.last + tolerance) return "after";
  return null;
}

/**
 * Says why a time names no snapshot: `that time is after the recording,
 * which spans 7.7s (2026-11-25T20:01:23.709Z to 2026-11-25T20:01:31.458Z)`.
 */
export function describeOutside(place: "before" | "after", span: Span): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  return `that time is ${place} the recording, which spans ${
    formatDuration(span.last - span.first)
  } (${iso(span.first)} to ${iso(span.last)})`;
}

/**
 * Snapshot indices as ranges, for messages: `0 to 2, 4, 6 to 9`.
 *
 * @param indices Ascending.
 */
export function describeIndices(indices: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < indices.length;) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j]! + 1) j++;
    ranges.push(i === j ? `${indices[i]}` : `${indices[i]} to ${indices[j]}`);
    i = j + 1;
  }
  return ranges.join(", ");
}
