import type { SnapshotSummary } from "../archive/format.ts";
import { loadSnapshot } from "../snapshot/load_snapshot.ts";
import { summarise } from "../snapshot/summary.ts";
import { memorySource } from "../source/memory_source.ts";
import type { ProcSource } from "../source/proc_source.ts";
import type { RawSnapshot } from "./collect.ts";

/** Reads a source's processes (no mappings kept) and summarises them. */
export async function summariseSource(source: ProcSource): Promise<SnapshotSummary> {
  return summarise(
    await loadSnapshot(source, { processes: true, mappings: false, rollupCounters: false }),
  );
}

/** A collected snapshot as a source, read by the very parsers a report runs. */
export function rawSource(raw: RawSnapshot): ProcSource {
  const files: Record<string, Uint8Array> = { meminfo: raw.meminfo };
  if (raw.version !== null) files.version = raw.version;
  const owners: Record<number, { uid: number; gid: number }> = {};
  for (const process of raw.processes) {
    owners[process.pid] = { uid: process.uid, gid: process.gid };
    for (const [file, bytes] of process.files) files[`${process.pid}/${file}`] = bytes;
  }
  const source = memorySource({ files, owners }, "the snapshot just taken");
  const { provenance } = raw.meta;
  return provenance === undefined ? source : {
    ...source,
    recorded: { takenAt: null, hostname: null, kernel: null, pageSize: null, provenance },
  };
}
