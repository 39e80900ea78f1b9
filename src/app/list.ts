/**
 * An archive's snapshots (`memsnap list`): per snapshot its time, how late
 * it was, and the numbers a report would give (recordings carry them; other
 * archives are read to make them).
 *
 * @module
 */

import type { RecordedGap } from "../archive/format.ts";
import { terminalText } from "../render/terminal_text.ts";
import type { ListDocument, ListRow } from "../render/documents.ts";
import { counted } from "../units/plural.ts";
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
      const gap = storedGap(meta?.recorded?.gap);
      snapshots.push({
        index,
        takenAt: meta?.takenAt ?? null,
        lateMs: meta?.recorded?.lateMs ?? null,
        ...await summaryOf(snapshot),
        ...(gap !== undefined && { gap }),
      });
      if (gap !== undefined) {
        warn(
          `${counted(gap.missed, "scheduled snapshot")} missing before snapshot ${index}: ${
            terminalText(gap.reason)
          }`,
        );
      }
    },
    // Recordings carry their summaries; other archives are read to make one.
    { wants: needsReadingForSummary },
  );
  if (result.warning !== null) warn(result.warning);
  return { recording: result.recording, end: result.end, snapshots, diagnostics };
}

/** A recorded gap as stored, if it is one (an archive is untrusted input). */
function storedGap(value: unknown): RecordedGap | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { missed, reason } = value as Record<string, unknown>;
  if (typeof missed !== "number" || !Number.isInteger(missed) || missed < 1) return undefined;
  return { missed, reason: typeof reason === "string" ? reason : "unknown" };
}
