/**
 * Mappings summed per name (MappingGroup), from smaps text in one pass or
 * from parsed mappings: what the mapping view and -M count.
 *
 * @module
 */

import { parseSmaps, scanSmaps } from "../parse/smaps.ts";
import {
  addCountersInto,
  type Counters,
  type MutableCounters,
  sumCounters,
} from "../parse/counters.ts";
import { type Mapping, type MappingGroup, type Process, reportName } from "./snapshot.ts";

/** A process's memory as one pass over its smaps gives it. */
export interface SmapsSummary {
  /** The sums over every mapping. */
  readonly totals: Counters;
  readonly mapCount: number;
  /** The mappings summed per name, when asked for. */
  readonly groups?: readonly MappingGroup[];
}

interface Group {
  readonly name: string;
  count: number;
  readonly counters: MutableCounters;
}

/**
 * Sums /proc/PID/smaps as it is parsed, never holding its mappings: the
 * totals (as smem sums them), the number of mappings and, with `groups`,
 * the sums per mapping name; the same as parseSmaps and sumCounters give,
 * a mapping printed twice counted once.
 *
 * @throws {ParseError} When the text is malformed (see scanSmaps).
 */
export function summariseSmaps(
  text: string,
  file: string,
  options: { readonly groups: boolean },
): SmapsSummary {
  const totals: MutableCounters = {};
  const byName = new Map<string, Group>();
  let mapCount = 0;
  let record: MutableCounters | undefined;
  let group: Group | undefined;
  // A record's fields are complete at the next header, or at the end.
  const fold = () => {
    if (record === undefined) return;
    addCountersInto(totals, record);
    if (group !== undefined) addCountersInto(group.counters, record);
  };
  const starts = new Set<string>();
  let printedTwice = false;
  scanSmaps(text, file, (header) => {
    fold();
    mapCount++;
    printedTwice ||= starts.size === starts.add(header[1]!).size;
    if (options.groups) {
      const name = reportName(header[7] ?? "");
      group = byName.get(name);
      if (group === undefined) {
        group = { name, count: 0, counters: {} };
        byName.set(name, group);
      }
      group.count++;
    }
    record = {};
    return record;
  });
  fold();
  if (printedTwice) {
    // A mapping that changed while smaps was read is printed twice; the
    // rare case goes through parseSmaps, which keeps its last record.
    const mappings = parseSmaps(text, file);
    return {
      totals: sumCounters(mappings.map((m) => m.counters)),
      mapCount: mappings.length,
      ...(options.groups && { groups: groupMappings(mappings) }),
    };
  }
  return { totals, mapCount, ...(options.groups && { groups: [...byName.values()] }) };
}

/** Parsed mappings summed per name, in the order the names first appear. */
export function groupMappings(mappings: readonly Mapping[]): MappingGroup[] {
  const byName = new Map<string, Group>();
  for (const mapping of mappings) {
    const name = reportName(mapping.name);
    let group = byName.get(name);
    if (group === undefined) {
      group = { name, count: 0, counters: {} };
      byName.set(name, group);
    }
    group.count++;
    addCountersInto(group.counters, mapping.counters);
  }
  return [...byName.values()];
}

/** A process's mapping groups: loaded as such, or made from its mappings. */
export function mappingGroupsOf(process: Process): readonly MappingGroup[] {
  return process.mappingGroups ?? groupMappings(process.mappings ?? []);
}
