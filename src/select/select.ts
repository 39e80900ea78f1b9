/**
 * The select stage: smem's filters, applied to a snapshot before any view.
 *
 * @module
 */

import { sumCounters } from "../parse/counters.ts";
import { mappingGroupsOf } from "../snapshot/mapping_groups.ts";
import {
  commandOf,
  type Mapping,
  type Process,
  reportName,
  type Snapshot,
  userNameOf,
} from "../snapshot/snapshot.ts";
import { UsageError } from "../errors/memsnap_error.ts";
import type { RegexError, TextMatcher } from "./python_regex.ts";

/**
 * smem's filters as given: Python patterns (plain data), checked and
 * compiled by compileSelection() before any source is read.
 */
export interface Selection {
  /** -P: keeps processes whose name (from stat) or command line matches. */
  readonly process?: string;
  /** -U: keeps processes whose user name matches. */
  readonly user?: string;
  /** -M: keeps only the mappings whose name matches, in every view. */
  readonly mapping?: string;
}

/** The filters, compiled: each searched anywhere in the text. */
export interface Filters {
  readonly process?: TextMatcher;
  readonly user?: TextMatcher;
  readonly mapping?: TextMatcher;
}

/** smem's option for each filter, which messages name. */
export const FILTER_OPTIONS = { process: "-P", user: "-U", mapping: "-M" } as const;

/** The filter a pattern is given to. */
export type Filter = keyof typeof FILTER_OPTIONS;

/** The usage error for a pattern memsnap refuses: the option, the pattern, the reason. */
export function invalidPattern(filter: Filter, pattern: string, error: RegexError): UsageError {
  return new UsageError(
    `Invalid regular expression for ${FILTER_OPTIONS[filter]} "${pattern}": ${error.message}`,
  );
}

/**
 * Checks the selection's Python patterns, translates them and compiles them
 * with the linear-time engine, which loads only when there is a pattern
 * (a plain report starts without it).
 *
 * @throws {UsageError} For a pattern that is no regular expression, needs
 *   backtracking, or that RE2 refuses, naming its option.
 */
export async function compileSelection(selection: Selection): Promise<Filters> {
  const given = (Object.keys(FILTER_OPTIONS) as Filter[]).filter((f) => selection[f] !== undefined);
  if (given.length === 0) return {};
  const { compilePython, RegexError } = await import("./re2_matcher.ts");
  return Object.fromEntries(given.map((filter) => {
    const pattern = selection[filter]!;
    try {
      return [filter, compilePython(pattern)];
    } catch (error) {
      if (error instanceof RegexError) throw invalidPattern(filter, pattern, error);
      throw error;
    }
  }));
}

/**
 * The unreadable processes that -P and -U would keep (their mappings are
 * unknown: -M cannot tell, and keeps them); the count alone where the
 * snapshot does not know which they were (a stored copy).
 */
export function skippedShown(snapshot: Snapshot, filters: Filters): number {
  const { unreadable, unreadableProcesses } = snapshot.skipped;
  if (unreadableProcesses === undefined) return unreadable;
  return unreadableProcesses.filter((process) => keepsProcess(snapshot, filters, process)).length;
}

/** Whether -P (the name or the command line) and -U (the owner's name) keep a process. */
function keepsProcess(
  snapshot: Snapshot,
  { process: byProcess, user: byUser }: Filters,
  process: Pick<Process, "name" | "cmdline" | "uid">,
): boolean {
  return (!byProcess || byProcess.test(process.name) || byProcess.test(commandOf(process))) &&
    (!byUser || byUser.test(userNameOf(snapshot, process.uid)));
}

/** The name a mapping is known by in reports and in -M (see reportName). */
export function mappingName(mapping: Mapping): string {
  return reportName(mapping.name);
}

/**
 * The processes a report counts: those that pass -P and -U, with only the
 * mappings that pass -M (their totals summed again from those); a process
 * left with no mapping is dropped, as smem drops it.
 */
export function selectProcesses(
  snapshot: Snapshot,
  filters: Filters,
): Process[] {
  const byMapping = filters.mapping;
  return snapshot.processes.flatMap((process) => {
    if (!keepsProcess(snapshot, filters, process)) return [];
    if (!byMapping) return [process];
    // The loader reads mapping groups whenever -M is given.
    const groups = mappingGroupsOf(process).filter((g) => byMapping.test(g.name));
    if (groups.length === 0) return [];
    const mappings = process.mappings?.filter((m) => byMapping.test(mappingName(m)));
    return [{
      ...process,
      totals: sumCounters(groups.map((g) => g.counters)),
      mapCount: groups.reduce((sum, g) => sum + g.count, 0),
      mappingGroups: groups,
      ...(mappings !== undefined && { mappings }),
    }];
  });
}
