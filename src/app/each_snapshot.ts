/**
 * The one loop over a recording's snapshots, front to back, each loaded
 * only as far as its visitor asks: what trends, timelines, lists and a
 * recording's diff read a recording with. One snapshot's members are held
 * at a time, unless a visitor keeps its `load`.
 *
 * @module
 */

import type { SnapshotMeta, SnapshotSummary } from "../archive/format.ts";
import type { ScanResult } from "../archive/scan_archive.ts";
import { scanArchiveFile } from "../archive/scan_file.ts";
import { type LoadOptions, loadSnapshot } from "../snapshot/load_snapshot.ts";
import type { Snapshot } from "../snapshot/snapshot.ts";
import { summarise } from "../snapshot/summary.ts";
import { membersSource } from "../source/archive_source.ts";
import type { ProcSource } from "../source/proc_source.ts";

/** One snapshot of an archive, as a visitor sees it. */
export interface ArchivedSnapshot {
  /** 0-based position. */
  readonly index: number;
  /** Its metadata; null for an archive memsnap did not write. */
  readonly meta: SnapshotMeta | null;
  /** Loads it, reading what `options` ask (its members stay held while this is kept). */
  readonly load: (options: LoadOptions) => Promise<Snapshot>;
  /** The source its members make (what a report of it names). */
  readonly source: ProcSource;
}

/**
 * Visits every complete snapshot of an archive file in order.
 *
 * @param options.wants Whether a snapshot will be loaded (its members are
 *   kept to be read); all by default.
 * @throws {SourceError} As the archive scan, and what the visitor throws.
 */
export async function eachSnapshot(
  file: string,
  visit: (snapshot: ArchivedSnapshot) => void | Promise<void>,
  options: { readonly wants?: (meta: SnapshotMeta | null) => boolean } = {},
): Promise<ScanResult> {
  const label = `"${file}"`;
  return await scanArchiveFile(file, {
    wants: (_index, meta) => options.wants?.(meta) ?? true,
    async complete({ index, meta, members }) {
      const source = membersSource(members ?? new Map(), { label, meta });
      await visit({ index, meta, load: (reading) => loadSnapshot(source, reading), source });
      return true;
    },
  });
}

/**
 * The numbers `memsnap list` shows of a snapshot: the summary its recording
 * stored when it was taken, else its processes read and summed.
 */
export async function summaryOf(snapshot: ArchivedSnapshot): Promise<SnapshotSummary> {
  return snapshot.meta?.recorded?.summary ??
    summarise(await snapshot.load({ processes: true, mappings: false, rollupCounters: false }));
}

/** Whether a snapshot must be read for its summary (an archive memsnap record did not write). */
export function needsReadingForSummary(meta: SnapshotMeta | null): boolean {
  return meta?.recorded?.summary === undefined;
}
