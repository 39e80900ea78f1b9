/**
 * What a use case tells beside its result: the processes it left out and
 * why, a recording cut short, a late snapshot. Data, not output: each front
 * end shows them its own way (the CLI on stderr).
 *
 * @module
 */

import type { SkippedCounts } from "../render/report_json.ts";
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
