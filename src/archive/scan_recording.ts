/**
 * Reads a recording's snapshots, once, front to back, and checks that they
 * are what memsnap writes: indices 0, 1, 2... each once, in order, then the
 * end member. What is not is said in one warning and left out, never read
 * silently: a damaged snapshot (skipped; the reading resumes at the next
 * gzip member), a snapshot held twice or out of order (the later copy is
 * left out), a snapshot missing, a second recording joined after the first.
 *
 * A snapshot counts once its gzip member is known whole: when the next
 * member begins (zlib has checked the member's CRC by then) or the file
 * ends. Damage before that loses it.
 *
 * @module
 */

import {
  parseRecordingEnd,
  parseRecordingMeta,
  parseSnapshotMeta,
  RECORDING_END,
  RECORDING_META,
  type RecordingEnd,
  SNAPSHOT_END,
  type SnapshotMeta,
} from "./format.ts";
import {
  type DamageSpan,
  describeTrouble,
  lostIndices,
  missingIndices,
} from "./recording_trouble.ts";
import { DamagedArchiveError } from "./damage.ts";
import { type ArchiveEnd, type Member, normalise } from "./read_tar.ts";
import { isDamage, keepEnd, type ResumableItem } from "./resync.ts";
import { Budget } from "./budget.ts";
import { SourceError } from "../errors/source_error.ts";
import type { ScanContext, ScanResult } from "./scan_types.ts";

/** A snapshot being read, from its metadata to its end marker. */
interface Open {
  readonly index: number;
  readonly prefix: string;
  readonly meta: SnapshotMeta;
  /** Its members; null when the visitor does not keep them. */
  readonly members: Map<string, Member> | null;
  readonly budget: Budget;
}

/** Scans a recording whose first member (its metadata) was read. */
export async function scanRecording(
  first: Member,
  rest: AsyncGenerator<ResumableItem, ArchiveEnd>,
  { label, visitor, limit }: ScanContext,
): Promise<ScanResult> {
  const decoder = new TextDecoder();
  const recording = parseRecordingMeta(decoder.decode(first.data), RECORDING_META);
  let end: RecordingEnd | null = null;
  const counted: number[] = [];
  const spans: DamageSpan[] = [];
  const twice: number[] = [];
  const outOfOrder: [number, number][] = [];
  let joined: "recording" | "after-end" | null = null;
  let stopped = false;
  // Cut after its end member was read (in its gzip member's last bytes).
  let endCut = false;
  // Being read (skip: held twice or out of order, its members left out).
  let open: Open | { readonly skip: string } | undefined;
  // Read to its end marker, not yet known whole.
  let pending: Open | undefined;

  const count = async (snapshot: Open): Promise<boolean> => {
    counted.push(snapshot.index);
    const span = spans.at(-1);
    if (span !== undefined && span.before === undefined) span.before = snapshot.index;
    const { index, meta, members } = snapshot;
    return await visitor.complete({ index, meta, members });
  };
  // The snapshot read to its end is whole: the next member has begun.
  const settle = async (): Promise<boolean> => {
    const whole = pending;
    pending = undefined;
    return whole === undefined || await count(whole);
  };
  const lose = (error: DamagedArchiveError, indices: readonly number[]) => {
    let span = spans.at(-1);
    // Damage after damage, with no snapshot between: one stretch.
    if (span === undefined || span.before !== undefined) {
      span = { error, after: counted.at(-1) ?? -1, known: new Set() };
      spans.push(span);
    }
    for (const index of indices) span.known.add(index);
  };

  const ended: { end?: ArchiveEnd } = {};
  for await (const item of keepEnd(rest, ended)) {
    if (isDamage(item)) {
      const { damage } = item;
      if (end !== null) {
        // The file ends in the end member's last bytes: it was read whole.
        if (damage.cut) endCut = true;
        // Bytes after the end member that are no gzip member of it.
        else joined = "after-end";
        break;
      }
      const lost: number[] = [];
      if (pending !== undefined) {
        // Its gzip member ended whole before the damage (zlib checked it,
        // or decoded the next member's first entry), or the file ends
        // after it (a recording cut short): it is sound.
        const next = damage.last !== `${pending.prefix}${SNAPSHOT_END}`;
        if (damage.cut || item.afterWholeMember || next) {
          if (!await settle()) {
            stopped = true;
            break;
          }
        } else lost.push(pending.index);
      }
      if (open !== undefined && "index" in open) lost.push(open.index);
      pending = undefined;
      open = undefined;
      lose(damage, lost);
      continue;
    }
    const member = item;
    if (member.name === RECORDING_META || (end !== null && member.name !== RECORDING_END)) {
      joined = member.name === RECORDING_META ? "recording" : "after-end";
      break;
    }
    const start = /^(\d{6})\/memsnap\.json$/.exec(member.name);
    if (start !== null || member.name === RECORDING_END) {
      if (!await settle()) {
        stopped = true;
        break;
      }
      open = undefined;
    }
    if (member.name === RECORDING_END) {
      if (end !== null) {
        joined = "after-end";
        break;
      }
      end = parseRecordingEnd(decoder.decode(member.data), RECORDING_END);
      continue;
    }
    if (start !== null) {
      const index = Number(start[1]);
      const latest = counted.at(-1) ?? -1;
      if (index <= latest) {
        // Counted already, or after a later one: the copy is left out.
        if (counted.includes(index)) twice.push(index);
        else outOfOrder.push([index, latest]);
        open = { skip: `${start[1]}/` };
        continue;
      }
      let meta: SnapshotMeta;
      try {
        meta = parseSnapshotMeta(decoder.decode(member.data), member.name);
      } catch (error) {
        // Metadata zlib decoded from damage it has not seen yet (it checks
        // the CRC at the member's end): the snapshot is lost.
        if (!(error instanceof SourceError)) throw error;
        lose(
          new DamagedArchiveError(label, error.message.replace(/^Cannot read /, ""), "", false),
          [index],
        );
        open = { skip: `${start[1]}/` };
        continue;
      }
      open = {
        index,
        prefix: `${start[1]}/`,
        meta,
        members: visitor.wants(index, meta) ? new Map() : null,
        budget: new Budget(`${label} snapshot ${index}`, limit),
      };
      continue;
    }
    if (open === undefined || "skip" in open) continue;
    if (!member.name.startsWith(open.prefix)) continue;
    const name = member.name.slice(open.prefix.length);
    if (name === SNAPSHOT_END) {
      pending = open;
      open = undefined;
      continue;
    }
    if (open.members !== null) {
      open.budget.add(member);
      const inner = normalise(name);
      open.members.set(inner, { ...member, name: inner });
    }
  }
  // The file ended (or was left): a snapshot read to its end counts.
  if (!stopped && !await settle()) stopped = true;

  const damaged = lostIndices(spans, counted, end);
  const warning = describeTrouble({
    label,
    counted,
    spans,
    damaged,
    twice,
    outOfOrder,
    missing: missingIndices(counted, [...damaged, ...outOfOrder.map(([index]) => index)], end),
    joined,
    cutShort: end === null && !stopped && joined === null,
    endCut: (endCut || ended.end?.gzipComplete === false) && end !== null,
    stopped,
  });
  return { recording, end, snapshots: counted.length, warning, damaged };
}
