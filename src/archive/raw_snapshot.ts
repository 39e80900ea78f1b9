/**
 * A snapshot as archives store it: /proc's bytes as read, unparsed.
 *
 * @module
 */

import type { Provenance, SnapshotMeta } from "./format.ts";

/** One process's files, by name (`smaps`, `cmdline`, ...). */
export interface RawProcess {
  readonly pid: number;
  readonly uid: number;
  readonly gid: number;
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** How its memory files were obtained, when not walked now (absent: exact). */
  readonly provenance?: Provenance;
}

/** A snapshot's raw bytes, ready to be stored. */
export interface RawSnapshot {
  readonly meta: SnapshotMeta;
  readonly meminfo: Uint8Array;
  readonly version: Uint8Array | null;
  readonly processes: readonly RawProcess[];
  /** Processes left out: exited while read, or not readable. */
  readonly vanished: number;
  readonly unreadable: number;
}
