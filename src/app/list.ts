/**
 * An archive's snapshots (`memsnap list`): per snapshot its time, how late
 * it was, and the numbers a report would give (recordings carry them; other
 * archives are read to make them).
 *
 * @module
 */

import type { ListDocument, ListRow } from "../render/documents.ts";
import { type Diagnostic, diagnosticsSink } from "./diagnostics.ts";
import { eachSnapshot, needsReadingForSummary, summaryOf } from "./each_snapshot.ts";

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
    async (snapshot) => {
      const { index, meta } = snapshot;
      snapshots.push({
        index,
        takenAt: meta?.takenAt ?? null,
        lateMs: meta?.recorded?.lateMs ?? null,
        ...await summaryOf(snapshot),
      });
    },
    // Recordings carry their summaries; other archives are read to make one.
    { wants: needsReadingForSummary },
  );
  if (result.warning !== null) warn(result.warning);
  return { recording: result.recording, end: result.end, snapshots, diagnostics };
}
