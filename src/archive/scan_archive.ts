/**
 * Reads an archive once, front to back: a single snapshot (memsnap's
 * capture, smemcap's tarball, any tar of /proc files) or a recording of
 * many. Only the snapshots a visitor asks for are held, one or two at a
 * time, so a long recording needs no more memory than a snapshot.
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
  type RecordingMeta,
  SNAPSHOT_END,
  SNAPSHOT_META,
  type SnapshotMeta,
} from "./format.ts";
import {
  type ArchiveEnd,
  type Member,
  MEMBER_LIMIT,
  mib,
  normalise,
  readMembers,
  SNAPSHOT_LIMIT,
} from "./read_tar.ts";
import { SourceError } from "../errors/source_error.ts";

/** One complete snapshot of an archive. */
export interface ScannedSnapshot {
  /** 0-based position. */
  readonly index: number;
  /** Its metadata; null for an archive memsnap did not write. */
  readonly meta: SnapshotMeta | null;
  /** Its members by normalised name; null when the visitor did not want them. */
  readonly members: ReadonlyMap<string, Member> | null;
}

/** Decides, snapshot by snapshot, what a scan keeps. */
export interface ScanVisitor {
  /** Keep this snapshot's members? Asked as it begins. */
  wants(index: number, meta: SnapshotMeta | null): boolean;
  /** A snapshot is complete; return false to stop reading. */
  complete(snapshot: ScannedSnapshot): boolean | Promise<boolean>;
}

/** What a scan found besides the snapshots. */
export interface ScanResult {
  /** The recording's metadata; null for a single-snapshot archive. */
  readonly recording: RecordingMeta | null;
  /** How the recording ended; null when it did not end cleanly (or was not read to its end). */
  readonly end: RecordingEnd | null;
  /** Complete snapshots seen. */
  readonly snapshots: number;
  /** Set when a recording is cut short: it read up to its last complete snapshot. */
  readonly warning: string | null;
}

/** The most a scan reads: per member, and per snapshot it keeps (uncompressed bytes). */
export interface ScanLimits {
  readonly member: number;
  readonly snapshot: number;
}

/** memsnap's limits: 64 MiB a member, 1 GiB a snapshot. */
export const DEFAULT_LIMITS: ScanLimits = { member: MEMBER_LIMIT, snapshot: SNAPSHOT_LIMIT };

/**
 * Scans an archive.
 *
 * @throws {SourceError} For a damaged single-snapshot archive, a damaged
 *   recording with no complete snapshot, a member or a kept snapshot over
 *   the limits.
 */
export async function scanArchive(
  input: AsyncIterable<Uint8Array>,
  label: string,
  visitor: ScanVisitor,
  limits: ScanLimits = DEFAULT_LIMITS,
): Promise<ScanResult> {
  const members = readMembers(input, label, limits.member);
  const first = await members.next();
  if (first.done) {
    // An empty tar: a snapshot without processes (and without meminfo).
    const warning = singleEndWarning(first.value, label);
    await visitor.complete({
      index: 0,
      meta: null,
      members: visitor.wants(0, null) ? new Map() : null,
    });
    return { recording: null, end: null, snapshots: 1, warning };
  }
  if (first.value.name !== RECORDING_META) {
    return await scanSingle(first.value, members, { label, visitor, limit: limits.snapshot });
  }
  return await scanRecording(first.value, members, { label, visitor, limit: limits.snapshot });
}

interface ScanContext {
  readonly label: string;
  readonly visitor: ScanVisitor;
  /** Bytes a kept snapshot may hold. */
  readonly limit: number;
}

async function scanSingle(
  first: Member,
  rest: AsyncGenerator<Member>,
  { label, visitor, limit }: ScanContext,
): Promise<ScanResult> {
  const meta = first.name === SNAPSHOT_META
    ? parseSnapshotMeta(new TextDecoder().decode(first.data), SNAPSHOT_META)
    : null;
  const keep = visitor.wants(0, meta);
  const members = new Map<string, Member>();
  const total = new Budget(label, limit);
  const add = (member: Member) => {
    if (!keep) return;
    total.add(member);
    members.set(member.name, member);
  };
  add(first);
  const ended: { end?: ArchiveEnd } = {};
  for await (const member of keepEnd(rest, ended)) add(member);
  const warning = singleEndWarning(ended.end!, label);
  await visitor.complete({ index: 0, meta, members: keep ? members : null });
  return { recording: null, end: null, snapshots: 1, warning };
}

/** Iterates an archive's members, keeping how it ended in `out.end`. */
async function* keepEnd(
  members: AsyncGenerator<Member, ArchiveEnd>,
  out: { end?: ArchiveEnd },
): AsyncGenerator<Member> {
  out.end = yield* members;
}

/**
 * How a single snapshot's archive ended, read whole. Without the tar's
 * end-of-archive blocks, members may be missing (a cut between two
 * members): an error. With them, only the gzip trailer (checksum and size)
 * can be missing: every member is complete, and a warning says so.
 *
 * @throws {SourceError} When the tar has no end-of-archive blocks.
 */
function singleEndWarning(end: ArchiveEnd, label: string): string | null {
  const gzipCut = end.gzipComplete === false;
  if (!end.tarEnded) {
    throw new SourceError(
      `Cannot read ${label}: the archive is truncated ${
        end.last === "" ? "before its first member" : `after member "${end.last}"`
      } (${
        gzipCut ? "its gzip stream ends early, and " : ""
      }the tar lacks its end-of-archive blocks)`,
    );
  }
  return gzipCut
    ? `${label} is truncated inside its gzip trailer (checksum and size): every member up to the tar's end is complete, so it is read whole`
    : null;
}

async function scanRecording(
  first: Member,
  rest: AsyncGenerator<Member>,
  { label, visitor, limit }: ScanContext,
): Promise<ScanResult> {
  const decoder = new TextDecoder();
  const recording = parseRecordingMeta(decoder.decode(first.data), RECORDING_META);
  let end: RecordingEnd | null = null;
  let complete = 0;
  let stopped = false;
  let current:
    | {
      index: number;
      prefix: string;
      meta: SnapshotMeta;
      members: Map<string, Member> | null;
      budget: Budget;
    }
    | undefined;
  const ended: { end?: ArchiveEnd } = {};
  try {
    for await (const member of keepEnd(rest, ended)) {
      const start = /^(\d{6})\/memsnap\.json$/.exec(member.name);
      if (start !== null) {
        const index = Number(start[1]);
        const meta = parseSnapshotMeta(decoder.decode(member.data), member.name);
        current = {
          index,
          prefix: `${start[1]}/`,
          meta,
          members: visitor.wants(index, meta) ? new Map() : null,
          budget: new Budget(`${label} snapshot ${index}`, limit),
        };
        continue;
      }
      if (member.name === RECORDING_END) {
        end = parseRecordingEnd(decoder.decode(member.data), RECORDING_END);
        continue;
      }
      if (current === undefined || !member.name.startsWith(current.prefix)) continue;
      const name = member.name.slice(current.prefix.length);
      if (name === SNAPSHOT_END) {
        const { index, meta, members } = current;
        current = undefined;
        complete++;
        if (!await visitor.complete({ index, meta, members })) {
          stopped = true;
          break;
        }
        continue;
      }
      if (current.members !== null) {
        current.budget.add(member);
        const inner = normalise(name);
        current.members.set(inner, { ...member, name: inner });
      }
    }
  } catch (error) {
    if (
      !(error instanceof SourceError) || complete === 0 || !/truncated|damaged/.test(error.message)
    ) {
      throw error;
    }
    return {
      recording,
      end: null,
      snapshots: complete,
      warning: `${error.message}; read the ${complete} complete snapshot${
        complete === 1 ? "" : "s"
      } before it (the recording was cut short)`,
    };
  }
  if (end === null && !stopped) {
    // Cut short where the tar reader could not tell (between members).
    return {
      recording,
      end,
      snapshots: complete,
      warning: `${label} ends without its end member; read the ${complete} complete snapshot${
        complete === 1 ? "" : "s"
      } before it (the recording was cut short)`,
    };
  }
  const warning = ended.end?.gzipComplete === false
    ? `${label} is truncated inside its last gzip trailer (checksum and size): its ${complete} snapshot${
      complete === 1 ? "" : "s"
    } and its end member are complete`
    : null;
  return { recording, end, snapshots: complete, warning };
}

/** Counts the bytes of one snapshot's members against the limit. */
class Budget {
  #bytes = 0;
  constructor(readonly label: string, readonly limit: number) {}

  add(member: Member): void {
    this.#bytes += member.data.length;
    if (this.#bytes > this.limit) {
      throw new SourceError(
        `Cannot read ${this.label}: more than ${
          mib(this.limit)
        } uncompressed at member "${member.name}" (a decompression bomb?)`,
      );
    }
  }
}
