import type { SnapshotSummary } from "../archive/format.ts";
import type { Snapshot } from "./snapshot.ts";

/** What `memsnap list` shows of a snapshot: the numbers a report would give. */
export function summarise(snapshot: Snapshot): SnapshotSummary {
  return {
    processes: snapshot.processes.length,
    pss: snapshot.processes.reduce((sum, p) => sum + (p.totals.pss ?? 0), 0),
    memAvailable: snapshot.meminfo.MemAvailable ?? null,
  };
}
