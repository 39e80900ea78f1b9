/**
 * What a use case tells beside its result: the processes it left out and
 * why, a recording cut short, a late snapshot. Data, not output: each front
 * end shows them its own way (the CLI on stderr).
 *
 * @module
 */

import type { ProvenanceCounts, SkippedCounts } from "../render/report_json.ts";
import type { Provenance, RssOnlyReason } from "../snapshot/provenance.ts";

/** A process, or its raw files, that says how it was measured (absent: walked now). */
interface Measured {
  readonly provenance?: Provenance;
}
import { counted } from "../units/plural.ts";

/** One thing the user should know of, as one line. */
export interface Diagnostic {
  readonly message: string;
}

/** A collector for the warnings a source gives while it is opened or read. */
export function diagnosticsSink(): {
  readonly diagnostics: Diagnostic[];
  readonly warn: (message: string) => void;
} {
  const diagnostics: Diagnostic[] = [];
  return { diagnostics, warn: (message) => diagnostics.push({ message }) };
}

/** What a snapshot left out that the user should know of. */
export function skippedDiagnostics(
  skipped: Pick<SkippedCounts, "unreadable" | "withoutMappings">,
  label: string,
): Diagnostic[] {
  const lines: Diagnostic[] = [];
  if (skipped.unreadable > 0) {
    lines.push({
      message: `${
        counted(skipped.unreadable, "process")
      } skipped: permission denied reading their memory maps (reading other users' processes needs root or CAP_SYS_PTRACE)`,
    });
  }
  if (skipped.withoutMappings > 0) {
    lines.push({
      message: `${
        counted(skipped.withoutMappings, "process")
      } skipped: only smaps_rollup in ${label}, no smaps`,
    });
  }
  return lines;
}

/** How many processes' numbers were obtained each way; undefined when all were walked. */
export function provenanceCounts(shown: readonly Measured[]): ProvenanceCounts | undefined {
  const counts = { exact: 0, carried: 0, rssOnly: 0 };
  for (const process of shown) {
    const kind = process.provenance?.kind ?? "exact";
    if (kind === "exact") counts.exact++;
    else if (kind === "carried") counts.carried++;
    else counts.rssOnly++;
  }
  return counts.carried + counts.rssOnly === 0 ? undefined : counts;
}

/** What the words after "rss-only" say of each reason. */
const REASONS: Record<RssOnlyReason, string> = {
  "unreadable": "memory maps not readable",
  "over-ceiling": "RSS above --max-rss",
  "over-budget": "--budget spent",
};

/**
 * The processes shown whose numbers are not this moment's walk: how many,
 * and why (none when every one was walked).
 */
export function provenanceDiagnostics(shown: readonly Measured[]): Diagnostic[] {
  const counts = provenanceCounts(shown);
  if (counts === undefined) return [];
  const lines: Diagnostic[] = [];
  if (counts.carried > 0) {
    const oldest = Math.max(
      ...shown.map((p) => p.provenance?.kind === "carried" ? p.provenance.ageMs : 0),
    );
    lines.push({
      message: `${
        counted(counts.carried, "process")
      } carried: their status unchanged since walked, up to ${
        Math.round(oldest / 1000)
      }s ago (provenance column)`,
    });
  }
  if (counts.rssOnly > 0) {
    const why = new Map<RssOnlyReason, number>();
    for (const p of shown) {
      if (p.provenance?.kind === "rss-only") {
        why.set(p.provenance.reason, (why.get(p.provenance.reason) ?? 0) + 1);
      }
    }
    lines.push({
      message: `${counted(counts.rssOnly, "process")} rss-only, PSS and USS unknown: ${
        [...why].map(([reason, n]) => `${n} ${REASONS[reason]}`).join(", ")
      }`,
    });
  }
  return lines;
}
