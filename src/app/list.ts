/**
 * An archive's snapshots (`memsnap list`): per snapshot its time, how late
 * it was, and the numbers a report would give (recordings carry them; other
 * archives are read to make them).
 *
 * @module
 */

import type { ListDocument, ListRow } from "../render/documents.ts";
import { summarise } from "../snapshot/summary.ts";
import { type Diagnostic, diagnosticsSink } from "./diagnostics.ts";
import { eachSnapshot } from "./each_snapshot.ts";

/** An archive's list of snapshots, and what the user should know of it. */
export interface ListResult extends ListDocument {
  readonly diagnostics: readonly Diagnostic[];
}

/** Lists an archive's snapshots. */
export async function listSnapshots(file: string): Promise<ListResult> {
  const { diagnostics, warn } = diagnosticsSink();
  const snapshots: ListRow[] = [];
  const result = await eachSnapshot(
    file,
    async ({ index, meta, load }) => {
      const summary = meta?.recorded?.summary ??
        summarise(await load({ processes: true, mappings: false, rollupCounters: false }));
      snapshots.push({
        index,
        takenAt: meta?.takenAt ?? null,
        lateMs: meta?.recorded?.lateMs ?? null,
        ...summary,
      });
    },
    // Recordings carry their summaries; other archives are read to make one.
    { wants: (meta) => meta?.recorded?.summary === undefined },
  );
  if (result.warning !== null) warn(result.warning);
  return { recording: result.recording, end: result.end, snapshots, diagnostics };
}
