/**
 * What scanning an archive gives and takes: shared by the scan of a single
 * snapshot and of a recording (scan_archive.ts, scan_recording.ts).
 *
 * @module
 */

import type { RecordingEnd, RecordingMeta, SnapshotMeta } from "./format.ts";
import type { Member } from "./read_tar.ts";

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
  /**
   * Set when an archive is read with trouble: a recording cut short, damaged
   * (the snapshots lost), or holding snapshots twice or out of order.
   */
  readonly warning: string | null;
  /** A recording's snapshots that could not be read (damaged), by index. */
  readonly damaged: readonly number[];
}

/** The most a scan reads: per member, and per snapshot it keeps (uncompressed bytes). */
export interface ScanLimits {
  readonly member: number;
  readonly snapshot: number;
}

/** What scanning one archive's snapshots needs. */
export interface ScanContext {
  readonly label: string;
  readonly visitor: ScanVisitor;
  /** Bytes a kept snapshot may hold. */
  readonly limit: number;
}
