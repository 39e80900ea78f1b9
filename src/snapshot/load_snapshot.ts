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
import { ROLLUP_ONLY_KEYS } from "../parse/counters.ts";
import { summariseSmaps } from "./mapping_groups.ts";
import { mapLimit } from "./map_limit.ts";
import { withCpuPercent } from "./cpu_percent.ts";
import { type ExtrasWanted, readExtras } from "./process_extras.ts";
import { identify, type ReadPlan, readProcess, type SkipReason } from "./read_process.ts";
import type { Process, Snapshot, UnreadableProcess } from "./snapshot.ts";

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
  | { readonly kind: "unreadable"; readonly process: UnreadableProcess }
  | { readonly kind: Exclude<SkipReason, "unreadable"> };

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
  const context = { ...options, plan: planOf(source, options), intern: interner() };
  const outcomes = await mapLimit(
    pids,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    (pid) => loadProcess(source, pid, context),
  );

  // A stored copy says what its writer could not read (memsnap.json).
  const stored = source.recorded?.skipped;
  const storedList = stored?.unreadableProcesses;
  const skipped = {
    kernelThreads: stored?.kernelThreads ?? 0,
    unreadable: stored?.unreadable ?? 0,
    vanished: stored?.vanished ?? 0,
    withoutMappings: 0,
  };
  const unreadable: UnreadableProcess[] = [];
  let processes: Process[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === "process") processes.push(outcome.process);
    else {
      skipped[outcome.kind]++;
      if (outcome.kind === "unreadable") unreadable.push(outcome.process);
    }
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

  // The unreadable processes' owners too: -U tells which a report would show.
  const uids = new Set(
    [...processes, ...unreadable, ...storedList ?? []].map((p) => p.uid).filter((uid) =>
      uid !== -1
    ),
  );
  const users = Object.fromEntries(await source.userNames(uids));
  const snapshot: Snapshot = {
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
    skipped: source.live
      ? { ...skipped, unreadableProcesses: unreadable }
      : storedList !== undefined
      ? { ...skipped, unreadableProcesses: [...storedList, ...unreadable] }
      : skipped,
  };
  if (!options.extras?.cpuPercent) return snapshot;
  // CPU % compares with the snapshot before this one in its recording, if kept.
  const previous = source.previous === undefined ? null : await loadSnapshot(source.previous, {
    processes: true,
    mappings: false,
    rollupCounters: false,
    extras: { cpuTime: true },
  });
  return withCpuPercent(snapshot, previous);
}

/** What the loader reads of each process, for the options and the source. */
function planOf(source: ProcSource, options: LoadOptions): ReadPlan {
  const also = options.cgroups ? ["stat", "cgroup"] : ["stat"];
  // Live and without need of mappings: the kernel's cheap per-process sums
  // (smaps where the kernel predates smaps_rollup, 4.14).
  if (source.live && !options.mappings) return { memory: ["smaps_rollup", "smaps"], also };
  // Live with mappings: smaps, and the rollup for the counters only it has
  // when asked for. A stored copy: smaps summed as smem sums it, and the
  // rollup's own counters merged when it holds both.
  return {
    memory: ["smaps", "smaps_rollup"],
    allMemory: !source.live || options.rollupCounters,
    also,
  };
}

async function loadProcess(
  source: ProcSource,
  pid: number,
  options: ReadContext,
): Promise<Outcome> {
  const read = await readProcess(source, pid, options.plan);
  if (read.kind === "unreadable") return { kind: "unreadable", process: identify(pid, read) };
  if (read.kind !== "process") return read;
  const { files } = read;
  const text = (name: string) => {
    const bytes = files.get(name);
    return bytes === undefined ? undefined : decoder.decode(bytes);
  };
  const gone = { kind: "vanished" } as const;
  const memory = memoryOf(pid, text, options);
  if (memory === undefined) return gone;

  const cmdlineText = text("cmdline");
  const statText = text("stat");
  const stat: ProcStat | undefined = statText === undefined
    ? undefined
    : parseStat(statText, `${pid}/stat`);
  const cgroup = options.cgroups ? await cgroupOf(source, pid, text("cgroup")) : undefined;
  if (cgroup === "vanished") return gone;
  const extras = options.extras === undefined
    ? {}
    : await readExtras(source, pid, { wanted: options.extras, stat });

  return {
    kind: "process",
    process: {
      pid,
      ppid: stat?.ppid ?? null,
      uid: read.owner.uid,
      gid: read.owner.gid,
      name: stat?.name ?? "?",
      cmdline: cmdlineText === undefined ? null : parseCmdline(cmdlineText),
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
async function cgroupOf(
  source: ProcSource,
  pid: number,
  text: string | undefined,
): Promise<Process["cgroup"] | "vanished"> {
  if (text !== undefined && text !== "") {
    return memoryCgroupOf(parseCgroup(text, `${pid}/cgroup`));
  }
  if (source.live && (await source.read(`${pid}/stat`)).status === "missing") return "vanished";
  return null;
}

type Memory = Pick<Process, "totals" | "mapCount" | "mappingGroups">;

/**
 * The process's counters from the memory files read: smaps summed as smem
 * sums it (with the rollup's own counters merged when both were read), or
 * smaps_rollup. Undefined for a process without memory (a zombie's empty
 * files): nothing to count, left out as one that exited.
 */
function memoryOf(
  pid: number,
  text: (name: string) => string | undefined,
  options: ReadContext,
): Memory | undefined {
  const rollupFile = `${pid}/smaps_rollup`;
  const rollupText = text("smaps_rollup");
  const rollup = rollupText === undefined
    ? undefined
    : parseSmapsRollup(rollupText, rollupFile) ?? undefined;
  const smapsText = text("smaps");
  if (smapsText === undefined) {
    return rollup === undefined ? undefined : { totals: rollup, mapCount: null };
  }
  // One pass: sums, and names only for the reports that use them; never
  // every mapping.
  const summary = summariseSmaps(smapsText, `${pid}/smaps`, { groups: options.mappings });
  if (summary.mapCount === 0) return undefined;
  const summed = summary.totals;
  const totals = rollup === undefined ? summed : {
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

/** LoadOptions, the reading plan, and the names the processes' mapping groups share. */
interface ReadContext extends LoadOptions {
  readonly plan: ReadPlan;
  readonly intern: (name: string) => string;
}

const decoder = new TextDecoder();

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
