/**
 * Reads a Snapshot from a ProcSource: the I/O edge of the flow, running the
 * pure parsers on what the source gives.
 *
 * @module
 */

import { hostname as osHostname } from "node:os";
import { memoryCgroupOf, parseCgroup } from "../parse/cgroup.ts";
import { parseCmdline } from "../parse/cmdline.ts";
import { parseMeminfo } from "../parse/meminfo.ts";
import { parseSmapsRollup } from "../parse/smaps.ts";
import { parseStat, type ProcStat } from "../parse/stat.ts";
import { parseVersion } from "../parse/version.ts";
import type { ProcSource } from "../source/proc_source.ts";
import { SourceError } from "../errors/source_error.ts";
import { type Counters, ROLLUP_ONLY_KEYS } from "../parse/counters.ts";
import { summariseSmaps } from "./mapping_groups.ts";
import { mapLimit } from "./map_limit.ts";
import { type ExtrasWanted, readExtras } from "./process_extras.ts";
import type { Process, Skipped, Snapshot } from "./snapshot.ts";

/** What the report needs, which decides what is read. */
export interface LoadOptions {
  /** Read the processes (false: system-wide data only, for the system view). */
  readonly processes: boolean;
  /** Per-mapping detail (full smaps): the mapping view, -M, vss, maps. */
  readonly mappings: boolean;
  /** Counters only smaps_rollup has (Pss_Anon, Pss_File, Pss_Shmem). */
  readonly rollupCounters: boolean;
  /** Each process's cgroup (the cgroup view). */
  readonly cgroups?: boolean;
  /** Data beyond memory maps, read only when a report shows it. */
  readonly extras?: ExtrasWanted;
  /** Processes read at once. */
  readonly concurrency?: number;
  /** The clock and host name, for a live snapshot. */
  readonly now?: () => Date;
  readonly hostname?: () => string;
}

type Outcome =
  | { readonly kind: "process"; readonly process: Process }
  | { readonly kind: Exclude<keyof Skipped, "withoutMappings"> };

const DEFAULT_CONCURRENCY = 16;

/**
 * Reads every process of a source into a Snapshot.
 *
 * Live, processes are read from smaps_rollup (one record each) unless
 * mapping detail is needed; stored copies are read from smaps when they
 * have it, summed as smem sums them. Kernel threads are left out; processes
 * that exit while read are left out whole; processes that cannot be read
 * are counted in `skipped`.
 *
 * @throws {SourceError} When the source has no meminfo, or mapping detail is
 *   needed and the source has none.
 * @throws {ParseError} When a file is malformed.
 */
export async function loadSnapshot(
  source: ProcSource,
  options: LoadOptions,
): Promise<Snapshot> {
  const meminfoText = await source.read("meminfo");
  if (meminfoText.status !== "ok") {
    throw new SourceError(
      `Cannot read ${source.label}: ${
        meminfoText.status === "denied" ? "meminfo is not readable" : "it has no meminfo"
      }`,
    );
  }
  const meminfo = parseMeminfo(meminfoText.text, "meminfo");
  const versionText = await source.read("version");
  const kernel = versionText.status === "ok" ? parseVersion(versionText.text, "version") : null;
  const takenAt = source.live
    ? (options.now?.() ?? new Date()).toISOString()
    : source.recorded?.takenAt ?? null;

  const pids = options.processes ? await source.pids() : [];
  const context = { ...options, intern: interner() };
  const outcomes = await mapLimit(
    pids,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    (pid) => readProcess(source, pid, context),
  );

  const skipped = { kernelThreads: 0, unreadable: 0, vanished: 0, withoutMappings: 0 };
  let processes: Process[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === "process") processes.push(outcome.process);
    else skipped[outcome.kind]++;
  }
  // A stored source may hold smaps for some processes and only the rollup for
  // others: the snapshot takes one detail, the richer one present. (Mappings
  // are counted whenever smaps was read, kept only when asked for.)
  const full = processes.some((p) => p.mapCount !== null);
  if (options.mappings && !full && processes.length > 0) {
    throw new SourceError(
      `Cannot read mappings from ${source.label}: it has smaps_rollup only, no smaps; the mapping view, -M, vss and maps need smaps`,
    );
  }
  if (full) {
    const withMappings = processes.filter((p) => p.mapCount !== null);
    skipped.withoutMappings = processes.length - withMappings.length;
    processes = withMappings;
  }

  const uids = new Set(processes.map((p) => p.uid).filter((uid) => uid !== -1));
  const users = Object.fromEntries(await source.userNames(uids));
  return {
    takenAt,
    host: {
      hostname: source.live
        ? (options.hostname ?? osHostname)()
        : source.recorded?.hostname ?? null,
      kernel: kernel ?? source.recorded?.kernel ?? null,
      pageSize: source.recorded?.pageSize ?? null,
    },
    meminfo,
    users,
    detail: full ? "full" : "rollup",
    processes,
    skipped,
  };
}

async function readProcess(
  source: ProcSource,
  pid: number,
  options: ReadContext,
): Promise<Outcome> {
  // Live, a file that is missing means the process exited: leave it out
  // whole. A stored copy that lacks a file shows smem's placeholders.
  const gone = { kind: "vanished" } as const;
  const cmdlineRead = await source.read(`${pid}/cmdline`);
  if (cmdlineRead.status === "missing" && source.live) return gone;
  const cmdline = cmdlineRead.status === "ok" ? parseCmdline(cmdlineRead.text) : null;
  if (cmdline !== null && cmdline.join(" ") === "") return { kind: "kernelThreads" };

  const memory = await readMemory(source, pid, options);
  if (memory === "missing") return gone;
  if (memory === "denied") return { kind: "unreadable" };

  const statRead = await source.read(`${pid}/stat`);
  if (statRead.status === "missing" && source.live) return gone;
  const stat: ProcStat | undefined = statRead.status === "ok"
    ? parseStat(statRead.text, `${pid}/stat`)
    : undefined;
  const owner = await source.owner(pid);
  if (owner === undefined && source.live) return gone;
  const cgroup = options.cgroups ? await readCgroup(source, pid) : undefined;
  if (cgroup === "vanished") return gone;
  const extras = options.extras === undefined
    ? {}
    : await readExtras(source, pid, { wanted: options.extras, stat });

  return {
    kind: "process",
    process: {
      pid,
      ppid: stat?.ppid ?? null,
      uid: owner?.uid ?? -1,
      gid: owner?.gid ?? -1,
      name: stat?.name ?? "?",
      cmdline,
      startTime: stat?.startTime ?? null,
      ...(cgroup !== undefined && { cgroup }),
      ...extras,
      ...memory,
    },
  };
}

/**
 * A process's memory cgroup; null when the file is not there (older
 * captures, a kernel without cgroups). Live, a file missing or empty while
 * the process's stat is gone too means it exited while read: it is left
 * out whole, not shown in no cgroup.
 */
async function readCgroup(
  source: ProcSource,
  pid: number,
): Promise<Process["cgroup"] | "vanished"> {
  const file = `${pid}/cgroup`;
  const read = await source.read(file);
  if (read.status === "ok" && read.text !== "") {
    return memoryCgroupOf(parseCgroup(read.text, file));
  }
  if (source.live && (await source.read(`${pid}/stat`)).status === "missing") return "vanished";
  return null;
}

type Memory = Pick<Process, "totals" | "mapCount" | "mappingGroups">;

async function readMemory(
  source: ProcSource,
  pid: number,
  options: ReadContext,
): Promise<Memory | "missing" | "denied"> {
  const smapsFile = `${pid}/smaps`;
  const rollupFile = `${pid}/smaps_rollup`;
  const readRollup = async (): Promise<Counters | "missing" | "denied"> => {
    const read = await source.read(rollupFile);
    if (read.status !== "ok") return read.status;
    // Empty: a process without memory (a zombie): nothing to count.
    return parseSmapsRollup(read.text, rollupFile) ?? "missing";
  };
  const fromRollup = (totals: Counters): Memory => ({ totals, mapCount: null });

  // Live and without need of mappings: the kernel's cheap per-process sums.
  if (source.live && !options.mappings) {
    const rollup = await readRollup();
    if (rollup !== "missing") {
      return rollup === "denied" ? rollup : fromRollup(rollup);
    }
    // Missing: the process exited, or the kernel predates smaps_rollup (4.14).
  }

  const smapsRead = await source.read(smapsFile);
  if (smapsRead.status === "denied") return "denied";
  if (smapsRead.status === "missing") {
    if (source.live) return "missing";
    // A stored copy with rollup detail only.
    const rollup = await readRollup();
    return typeof rollup === "string" ? rollup : fromRollup(rollup);
  }
  // One pass: sums, and names only for the reports that use them; never
  // every mapping.
  const summary = summariseSmaps(smapsRead.text, smapsFile, { groups: options.mappings });
  if (summary.mapCount === 0) return "missing";
  const summed = summary.totals;
  // What per-mapping smaps lacks, smaps_rollup has: merge it when it is at
  // hand (a stored copy) or asked for.
  const rollup = !source.live || options.rollupCounters ? await readRollup() : "missing";
  const totals = typeof rollup === "string" ? summed : {
    ...summed,
    ...Object.fromEntries(ROLLUP_ONLY_KEYS.flatMap((key) => {
      const value = rollup[key];
      return value === undefined ? [] : [[key, value]];
    })),
  };
  return {
    totals,
    mapCount: summary.mapCount,
    ...(summary.groups !== undefined && {
      mappingGroups: summary.groups.map((group) => ({
        ...group,
        name: options.intern(group.name),
      })),
    }),
  };
}

/** LoadOptions, and the names the processes' mapping groups share. */
interface ReadContext extends LoadOptions {
  readonly intern: (name: string) => string;
}

/**
 * One string per mapping name for the whole snapshot. A name cut from a
 * file's text keeps that whole text alive (engines share the characters of
 * a substring): a copy made once per name lets every smaps text go
 * (measured: -m at N = 1000 peaked at 176 MiB without it).
 */
function interner(): (name: string) => string {
  const names = new Map<string, string>();
  return (name) => {
    let shared = names.get(name);
    if (shared === undefined) {
      shared = [...name].join("");
      names.set(shared, shared);
    }
    return shared;
  };
}
