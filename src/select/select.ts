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

/** smem's filters; each a regular expression searched anywhere in the text. */
export interface Selection {
  /** -P: keeps processes whose name (from stat) or command line matches. */
  readonly process?: RegExp;
  /** -U: keeps processes whose user name matches. */
  readonly user?: RegExp;
  /** -M: keeps only the mappings whose name matches, in every view. */
  readonly mapping?: RegExp;
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
  selection: Selection,
): Process[] {
  const { process: byProcess, user: byUser, mapping: byMapping } = selection;
  return snapshot.processes.flatMap((process) => {
    if (
      byProcess &&
      !byProcess.test(process.name) && !byProcess.test(commandOf(process))
    ) return [];
    if (byUser && !byUser.test(userNameOf(snapshot, process.uid))) return [];
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
