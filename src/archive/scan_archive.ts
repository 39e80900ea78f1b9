/**
 * Reads an archive once, front to back: a single snapshot (memsnap's
 * capture, smemcap's tarball, any tar of /proc files) or a recording of
 * many. Only the snapshots a visitor asks for are held, one or two at a
 * time, so a long recording needs no more memory than a snapshot.
 *
 * @module
 */

import { parseSnapshotMeta, RECORDING_META, SNAPSHOT_META } from "./format.ts";
import { MEMBER_LIMIT, SNAPSHOT_LIMIT } from "./limits.ts";
import type { ArchiveEnd, Member } from "./read_tar.ts";
import { isDamage, keepEnd, type ResumableItem, resumableMembers } from "./resync.ts";
import { scanRecording } from "./scan_recording.ts";
import { Budget } from "./budget.ts";
import { SourceError } from "../errors/source_error.ts";
import type { ScanContext, ScanLimits, ScanResult, ScanVisitor } from "./scan_types.ts";

export type {
  ScanContext,
  ScanLimits,
  ScannedSnapshot,
  ScanResult,
  ScanVisitor,
} from "./scan_types.ts";

/** memsnap's limits: 64 MiB a member, 1 GiB a snapshot. */
export const DEFAULT_LIMITS: ScanLimits = { member: MEMBER_LIMIT, snapshot: SNAPSHOT_LIMIT };

/**
 * Scans an archive.
 *
 * A recording is read past damage: a damaged snapshot (each is its own
 * gzip member) is skipped, the reading resumes at the next, and the
 * warning says which were lost (scan_recording.ts).
 *
 * @throws {SourceError} For a damaged single-snapshot archive, a member or
 *   a kept snapshot over the limits.
 */
export async function scanArchive(
  input: AsyncIterable<Uint8Array>,
  label: string,
  visitor: ScanVisitor,
  limits: ScanLimits = DEFAULT_LIMITS,
): Promise<ScanResult> {
  const reader = resumableMembers(input, label, limits.member);
  const members = reader.items;
  const first = await members.next();
  if (first.done) {
    // An empty tar: a snapshot without processes (and without meminfo).
    const warning = singleEndWarning(first.value, label);
    await visitor.complete({
      index: 0,
      meta: null,
      members: visitor.wants(0, null) ? new Map() : null,
    });
    return { recording: null, end: null, snapshots: 1, warning, damaged: [] };
  }
  const item = memberOf(first.value);
  if (item.name !== RECORDING_META) {
    return await scanSingle(item, members, { label, visitor, limit: limits.snapshot });
  }
  reader.resumeOnDamage();
  return await scanRecording(item, members, { label, visitor, limit: limits.snapshot });
}

/** A member: damage is yielded only once a recording asked to resume after it. */
function memberOf(item: ResumableItem): Member {
  if (isDamage(item)) throw item.damage;
  return item;
}

async function scanSingle(
  first: Member,
  rest: AsyncGenerator<ResumableItem, ArchiveEnd>,
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
  for await (const item of keepEnd(rest, ended)) add(memberOf(item));
  const warning = singleEndWarning(ended.end!, label);
  await visitor.complete({ index: 0, meta, members: keep ? members : null });
  return { recording: null, end: null, snapshots: 1, warning, damaged: [] };
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
