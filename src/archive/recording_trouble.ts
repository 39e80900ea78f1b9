/**
 * What a recording read with trouble lost, and the one line that says it
 * (scan_recording.ts finds the trouble).
 *
 * @module
 */

import type { RecordingEnd } from "./format.ts";
import { describeIndices } from "./pick.ts";
import type { DamagedArchiveError } from "./damage.ts";
import { plural } from "../units/plural.ts";

/** A stretch lost to damage: what stopped the reader, and what it held. */
export interface DamageSpan {
  readonly error: DamagedArchiveError;
  /** The last snapshot counted before it; -1 for none. */
  readonly after: number;
  /** Snapshots known to be in it (their metadata was read). */
  readonly known: Set<number>;
  /** The first snapshot counted after it, once there is one. */
  before?: number;
}

/**
 * The snapshots each damaged stretch lost: those whose metadata was read in
 * it, and those between the snapshots counted on either side of it (the
 * last stretch: up to the end member's count, when it was read).
 */
export function lostIndices(
  spans: readonly DamageSpan[],
  counted: readonly number[],
  end: RecordingEnd | null,
): number[] {
  const lost = new Set<number>();
  const isCounted = new Set(counted);
  for (const span of spans) {
    const last = span.before !== undefined
      ? span.before - 1
      : typeof end?.snapshots === "number"
      ? end.snapshots - 1
      : span.after;
    for (let index = span.after + 1; index <= last; index++) lost.add(index);
    for (const index of span.known) lost.add(index);
  }
  return [...lost].filter((index) => !isCounted.has(index)).sort((a, b) => a - b);
}

/** Indices neither counted nor accounted for (lost to damage, out of order): absent from the file. */
export function missingIndices(
  counted: readonly number[],
  elsewhere: readonly number[],
  end: RecordingEnd | null,
): number[] {
  const expected = typeof end?.snapshots === "number" ? end.snapshots : (counted.at(-1) ?? -1) + 1;
  const known = new Set([...counted, ...elsewhere]);
  const missing: number[] = [];
  for (let index = 0; index < expected; index++) if (!known.has(index)) missing.push(index);
  return missing;
}

/** "snapshot 3", "snapshots 3, 5 to 7". */
function snapshotsNamed(indices: readonly number[]): string {
  return `${plural("snapshot", indices.length)} ${describeIndices(indices)}`;
}

/**
 * The one-line warning for a recording read with trouble; null without.
 * A recording cut short (a crash) keeps its message of old.
 */
export function describeTrouble(found: {
  readonly label: string;
  readonly counted: readonly number[];
  readonly spans: readonly DamageSpan[];
  readonly damaged: readonly number[];
  readonly twice: readonly number[];
  readonly outOfOrder: readonly (readonly [number, number])[];
  readonly missing: readonly number[];
  readonly joined: "recording" | "after-end" | null;
  readonly cutShort: boolean;
  /** The file ends in the last bytes of its end member's gzip member, the end member read whole. */
  readonly endCut: boolean;
  /** The visitor stopped the reading: what was read is not the whole. */
  readonly stopped: boolean;
}): string | null {
  const { label, counted, spans } = found;
  const read = counted.length;
  // Only a cut at the end: a crash while recording.
  const last = spans.at(-1);
  const onlyCut = found.cutShort && found.twice.length === 0 && found.outOfOrder.length === 0 &&
    found.missing.length === 0 &&
    (spans.length === 0 || (spans.length === 1 && last!.before === undefined));
  if (onlyCut) {
    const before = `read the ${read} complete ${
      plural("snapshot", read)
    } before it (the recording was cut short)`;
    // Whole snapshots and no end member: a recording still being written (record, serve
    // --receive) reads so too, so both are said.
    return last === undefined
      ? `${label} ends without its end member (still being written, or cut short); read the ${read} complete ${
        plural("snapshot", read)
      }`
      : `${last.error.message}; ${before}`;
  }
  const clauses: string[] = [];
  if (found.damaged.length > 0 || spans.some((span) => span.before !== undefined)) {
    const first = spans[0]!;
    clauses.push(
      found.damaged.length > 0
        ? `is damaged: ${snapshotsNamed(found.damaged)} could not be read: ${first.error.what}`
        : `is damaged: ${first.error.what}`,
    );
  }
  if (found.twice.length > 0) {
    clauses.push(`holds ${snapshotsNamed(found.twice)} twice: the later copy is left out`);
  }
  for (const [index, after] of found.outOfOrder) {
    clauses.push(`holds snapshot ${index} after snapshot ${after}, out of order: it is left out`);
  }
  if (found.missing.length > 0) clauses.push(`lacks ${snapshotsNamed(found.missing)}`);
  if (found.joined === "recording") {
    clauses.push("holds a second recording after the first (files joined?): it is left out");
  } else if (found.joined === "after-end") {
    clauses.push("holds data after its end member: it is left out");
  }
  if (found.cutShort) clauses.push("ends without its end member (the recording was cut short)");
  if (clauses.length === 0) {
    return found.endCut
      ? `${label} is truncated after its end member, in its last gzip member's final bytes: its ${read} ${
        plural("snapshot", read)
      } and its end member are complete`
      : null;
  }
  const tally = found.stopped
    ? ""
    : `; read ${read} ${plural("snapshot", read)}${
      read === 0 ? "" : ` (${describeIndices(counted)})`
    }`;
  return `${label} ${clauses.join("; it ")}${tally}`;
}
