/**
 * Opens one snapshot of an archive as a ProcSource: the only snapshot of a
 * capture, or the one a pick names in a recording.
 *
 * @module
 */

import { membersSource } from "./archive_source.ts";
import type { ProcSource } from "./proc_source.ts";
import { SourceError } from "../errors/source_error.ts";
import type { SnapshotMeta } from "../archive/format.ts";
import {
  describeIndices,
  describeOutside,
  describePick,
  type Pick,
  placeInSpan,
} from "../archive/pick.ts";
import {
  DEFAULT_LIMITS,
  scanArchive,
  type ScanLimits,
  type ScannedSnapshot,
} from "../archive/scan_archive.ts";
import { counted } from "../units/plural.ts";

/** How to open a snapshot. */
export interface OpenOptions {
  /**
   * Also keep the snapshot before it in a recording, as the source's
   * `previous` (for CPU % between snapshots); none before the first.
   */
  readonly previous?: boolean;
  /** The largest member read, in bytes (MEMBER_LIMIT, 64 MiB, by default). */
  readonly maxMemberBytes?: number;
}

/** A snapshot opened, and what the user should hear about it. */
export interface OpenedSnapshot {
  readonly source: ProcSource;
  readonly warnings: readonly string[];
}

/**
 * Reads an archive once and opens the snapshot `pick` names. A
 * single-snapshot archive is a recording of one: @0, @first, @last and any
 * time pick it. A recording without a pick is refused with the ways to
 * choose.
 *
 * @param pick The pick, and its text as written for messages.
 * @param options What else to keep (the previous snapshot).
 * @throws {SourceError} When the archive cannot be read, or has no such snapshot.
 */
export async function openArchiveSnapshot(
  input: AsyncIterable<Uint8Array>,
  label: string,
  pick?: { readonly pick: Pick; readonly text: string },
  options: OpenOptions = {},
): Promise<OpenedSnapshot> {
  let chosen: ScannedSnapshot | undefined;
  // With options.previous: the snapshot before the one being read, and the
  // one before the chosen (two snapshots held at most besides the current).
  let last: ScannedSnapshot | undefined;
  let beforeChosen: ScannedSnapshot | undefined;
  const picked = new Set<number>();
  let firstTime: number | undefined;
  let lastTime = NaN;
  // The complete snapshots' indices, ascending.
  const indices: number[] = [];
  const time = (meta: SnapshotMeta | null) => meta?.takenAt ? Date.parse(meta.takenAt) : NaN;
  // The target time, once it is known (an offset needs the first snapshot).
  const target = (): number => {
    if (pick?.pick.kind === "time") return pick.pick.at;
    if (pick?.pick.kind !== "offset" || firstTime === undefined) return NaN;
    return firstTime + pick.pick.ms;
  };
  const distance = (meta: SnapshotMeta | null) => Math.abs(time(meta) - target());
  let recordingWithoutPick = false;

  // Whether the pick wants this snapshot, as it begins.
  function wantsPicked(index: number, meta: SnapshotMeta | null): boolean {
    firstTime ??= time(meta);
    if (pick === undefined) return true;
    switch (pick.pick.kind) {
      case "index":
        return index === pick.pick.index;
      case "first":
        return index === 0;
      case "last":
        return true;
      case "time":
      case "offset":
        // Nearest so far (ties: the earlier); times only grow.
        return chosen === undefined || !(distance(meta) >= distance(chosen.meta));
    }
  }

  // A snapshot the pick wanted (members) or not (null) is complete: read on?
  function completePicked(snapshot: ScannedSnapshot): boolean {
    indices.push(snapshot.index);
    lastTime = time(snapshot.meta);
    if (snapshot.members !== null) chosen = snapshot;
    if (pick === undefined) {
      // A recording: more than one snapshot, or a recording's first.
      if (snapshot.meta?.recorded !== undefined) {
        recordingWithoutPick = true;
        return false;
      }
      return true;
    }
    if (pick.pick.kind === "index" || pick.pick.kind === "first") return chosen === undefined;
    if (pick.pick.kind === "time" || pick.pick.kind === "offset") {
      // A time before the first: read on, to say what the recording spans.
      if (firstTime !== undefined && target() < firstTime) return true;
      // Past the target and moving away: no later snapshot is nearer.
      return snapshot.members !== null || !(time(snapshot.meta) > target());
    }
    return true;
  }

  const result = await scanArchive(input, label, {
    wants(index, meta) {
      const wanted = wantsPicked(index, meta);
      if (wanted) picked.add(index);
      return wanted || options.previous === true;
    },
    complete(snapshot) {
      const candidate = picked.has(snapshot.index);
      if (candidate) beforeChosen = last;
      if (options.previous) last = snapshot;
      return completePicked(candidate ? snapshot : { ...snapshot, members: null });
    },
  }, limitsFor(options.maxMemberBytes));

  if (recordingWithoutPick) {
    throw new SourceError(
      `${label} is a recording: choose a snapshot with FILE@N (0-based, as "memsnap list" numbers them), FILE@first, FILE@last, FILE@TIME (ISO) or FILE@+OFFSET (from the first, e.g. +90s)`,
    );
  }
  const which = pick ? ` ${describePick(pick.pick, pick.text)}` : "";
  if (chosen?.members == null) {
    const lost = pick?.pick.kind === "index" && result.damaged.includes(pick.pick.index)
      ? "it is damaged, and could not be read; "
      : "";
    throw new SourceError(
      indices.length === 0
        ? `${label} has no complete snapshot`
        : `${label} has no snapshot${which}: ${lost}it holds ${
          counted(indices.length, "snapshot")
        } (${describeIndices(indices)}; "memsnap list" shows them)`,
    );
  }
  if (
    (pick?.pick.kind === "time" || pick?.pick.kind === "offset") && result.recording !== null &&
    firstTime !== undefined
  ) {
    // Nearest means inside: a time out of the recording names no snapshot.
    const span = { first: firstTime, last: lastTime };
    const place = placeInSpan(target(), span, (result.recording.intervalMs ?? 0) / 2);
    if (place !== null) {
      throw new SourceError(`${label} has no snapshot${which}: ${describeOutside(place, span)}`);
    }
  }
  const name = result.recording !== null && pick !== undefined
    ? `${label}${describePick(pick.pick, pick.text)}`
    : label;
  const previous = beforeChosen?.members
    ? membersSource(beforeChosen.members, {
      label: `${label}@${beforeChosen.index}`,
      meta: beforeChosen.meta,
    })
    : undefined;
  return {
    source: membersSource(chosen.members, {
      label: name,
      meta: chosen.meta,
      ...(previous !== undefined && { previous }),
    }),
    warnings: result.warning === null ? [] : [result.warning],
  };
}

/** The scan's limits with a member cap raised (a snapshot holds at least one member). */
function limitsFor(member: number | undefined): ScanLimits {
  if (member === undefined) return DEFAULT_LIMITS;
  return { member, snapshot: Math.max(DEFAULT_LIMITS.snapshot, member) };
}

/**
 * A source over an archive held in memory (a single snapshot, or a
 * recording's first): for tests and small inputs.
 */
export async function archiveSource(bytes: Uint8Array, label: string): Promise<ProcSource> {
  const chunks = (async function* () {
    yield bytes;
  })();
  const opened = await openArchiveSnapshot(chunks, label);
  return opened.source;
}
