/**
 * Reads a Snapshot from a ProcSource: the I/O edge of the flow, running the
 * pure parsers on what the source gives.
 *
 * @module
 */

import { hostname as osHostname } from "node:os";
import { parseMeminfo } from "../parse/meminfo.ts";
import { parseVersion } from "../parse/version.ts";
import type { ProcSource } from "../source/proc_source.ts";
import { SourceError } from "../errors/source_error.ts";
import { sampleInTwoPasses, type SamplingCost } from "./costed_pass.ts";
import { mapLimit } from "./map_limit.ts";
import { withCpuPercent } from "./cpu_percent.ts";
import type { ExtrasWanted } from "./process_extras.ts";
import { interner, loaderHandlers, loadProcess, type Memory } from "./process_outcome.ts";
import type { ReadPlan } from "./read_process.ts";
import type { Process, Snapshot, UnreadableProcess } from "./snapshot.ts";

export type { SamplingCost } from "./costed_pass.ts";

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
  /**
   * Live sampling that spends less: a time budget, an RSS ceiling, numbers
   * carried between samples (walk_plan.ts). Without it every process is
   * walked, as smem walks them.
   */
  readonly cost?: SamplingCost<Memory>;
  /**
   * Processes whose memory maps cannot be read are rows with their RSS and
   * swap from status (provenance rss-only), not only a count in `skipped`.
   */
  readonly rssOnly?: boolean;
  /** Processes read at once. */
  readonly concurrency?: number;
  /** The clock and host name, for a live snapshot. */
  readonly now?: () => Date;
  readonly hostname?: () => string;
}

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
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const outcomes = source.live && options.cost !== undefined
    ? await sampleInTwoPasses(
      source,
      pids,
      { plan: context.plan, concurrency, cost: options.cost },
      loaderHandlers(source, context),
    )
    : await mapLimit(pids, concurrency, (pid) => loadProcess(source, pid, context));

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
    // A process read from status alone has no mappings, and says so.
    const withMappings = processes.filter((p) =>
      p.mapCount !== null || p.provenance?.kind === "rss-only"
    );
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
