/**
 * Hand-built snapshots for the select and view tests.
 *
 * @module
 */

import type { CounterKey, Counters } from "../../src/parse/counters.ts";
import type { Mapping, Process, Snapshot } from "../../src/snapshot/snapshot.ts";

/** A mapping with the given name ("" for anonymous memory) and counters. */
export function mapping(name: string, counters: Counters): Mapping {
  return {
    start: "7f0000000000",
    end: "7f0000001000",
    perms: "r--p",
    offset: "00000000",
    device: "00:00",
    inode: "0",
    name,
    counters,
  };
}

/** What a test says about a process; the rest takes plain defaults. */
export interface ProcessFields {
  readonly pid: number;
  readonly uid: number;
  readonly name?: string;
  readonly cmdline?: readonly string[] | null;
  /** Full detail: the totals are the sums of these mappings' counters. */
  readonly mappings?: readonly Mapping[];
  /** Rollup detail: totals given, no mappings. */
  readonly totals?: Counters;
}

/** A process; with mappings, its totals are their sums, key by key. */
export function processOf(fields: ProcessFields): Process {
  const name = fields.name ?? `p${fields.pid}`;
  const base = {
    pid: fields.pid,
    ppid: 1,
    uid: fields.uid,
    gid: fields.uid,
    name,
    cmdline: fields.cmdline === undefined ? [name] : fields.cmdline,
    startTime: 1000,
  };
  if (fields.mappings === undefined) {
    return { ...base, totals: fields.totals ?? {}, mapCount: null };
  }
  const totals: { [K in CounterKey]?: number } = {};
  for (const m of fields.mappings) {
    for (const [key, value] of Object.entries(m.counters) as [CounterKey, number][]) {
      totals[key] = (totals[key] ?? 0) + value;
    }
  }
  return { ...base, totals, mapCount: fields.mappings.length, mappings: fields.mappings };
}

/** A snapshot of these processes. */
export function snapshotOf(
  processes: readonly Process[],
  users: Readonly<Record<number, string>> = {},
  meminfo: Readonly<Record<string, number>> = { MemTotal: 1_000_000, SwapTotal: 0 },
): Snapshot {
  return {
    takenAt: "2024-06-11T10:00:00.000Z",
    host: { hostname: "test", kernel: "6.1.0", pageSize: 4096 },
    meminfo,
    users,
    detail: processes.some((p) => p.mappings !== undefined) ? "full" : "rollup",
    processes,
    skipped: { kernelThreads: 0, unreadable: 0, vanished: 0, withoutMappings: 0 },
  };
}
