/**
 * Live sampling in two passes: first every process's cheap files (cmdline,
 * stat, status: no page-table walk), then the walks (smaps_rollup, smaps)
 * that walk_plan.ts chooses, in its order, while the budget lasts. A
 * process not walked keeps the numbers of an earlier walk (carried) or
 * shows its RSS and swap from status (rss-only), and says which. The
 * loader (parsed processes) and the capture (raw bytes) both sample here,
 * each keeping what it carries.
 *
 * @module
 */

import { parseStat } from "../parse/stat.ts";
import { parseStatus, type StatusMemory, statusMemory } from "../parse/status.ts";
import type { ProcSource } from "../source/proc_source.ts";
import { mapLimit } from "./map_limit.ts";
import type { Provenance } from "./provenance.ts";
import {
  type ProcessFiles,
  type ProcessRead,
  readIdentity,
  readMemory,
  type ReadPlan,
} from "./read_process.ts";
import { type CheapReading, type CostLimits, type Kept, planWalks, unwalked } from "./walk_plan.ts";

/** The walks a sampler keeps between its samples, by process key. */
export interface WalkCache<T> {
  kept: ReadonlyMap<string, Kept<T>>;
}

/** What a live sample may spend, and what it keeps for the next. */
export interface SamplingCost<T> {
  readonly limits: CostLimits;
  /** Kept between samples (record, top, serve); absent: nothing is carried. */
  readonly cache?: WalkCache<T>;
  /** ms since the epoch; a test's clock. */
  readonly clock?: () => number;
}

/** What a sampler makes of each process, and keeps of each walk (T). */
export interface TwoPassHandlers<T, R> {
  /**
   * A process read in both passes, or left out in either (gone, a kernel
   * thread, unreadable): its result, and what to keep of its walk.
   */
  walked(pid: number, read: ProcessRead): Promise<{ readonly result: R; readonly keep?: T }>;
  /**
   * A process not walked: carried (with its last walk) or rss-only (with
   * its status's counters).
   */
  instead(
    read: ProcessFiles,
    how: { readonly provenance: Provenance; readonly memory: StatusMemory; readonly carried?: T },
  ): Promise<R>;
}

const decoder = new TextDecoder();

/** A process after the cheap pass. */
interface Identified {
  readonly read: ProcessFiles;
  readonly cheap: CheapReading;
}

/**
 * Samples the processes of a live source in two passes; results in the
 * order of `pids`. Replaces the cache's walks with this sample's.
 */
export async function sampleInTwoPasses<T, R>(
  source: ProcSource,
  pids: readonly number[],
  options: {
    readonly plan: ReadPlan;
    readonly concurrency: number;
    readonly cost: SamplingCost<T>;
  },
  handlers: TwoPassHandlers<T, R>,
): Promise<R[]> {
  const { plan: readPlan, concurrency, cost } = options;
  const clock = cost.clock ?? Date.now;
  const also = readPlan.also.includes("status") ? readPlan.also : [...readPlan.also, "status"];
  const results = new Map<number, R>();
  const identified = new Map<number, Identified>();
  await mapLimit(pids, concurrency, async (pid) => {
    const read = await readIdentity(source, pid, { also });
    const memory = read.kind === "process" ? cheapMemory(pid, read) : undefined;
    if (read.kind === "process" && memory !== undefined) {
      identified.set(pid, { read, cheap: cheapReading(pid, read, memory) });
    } else {
      // Gone, a kernel thread, unreadable, or a zombie (no memory in its status).
      const left = read.kind === "process" ? { kind: "vanished" as const } : read;
      results.set(pid, (await handlers.walked(pid, left)).result);
    }
  });

  const kept = cost.cache?.kept ?? new Map<string, Kept<T>>();
  const plan = planWalks([...identified.values()].map((i) => i.cheap), kept, cost.limits, clock());
  const next = new Map<string, Kept<T>>();
  const started = clock();
  const budget = cost.limits.budgetMs;
  const instead = async ({ read, cheap }: Identified, provenance: Provenance) => {
    const before = kept.get(cheap.key);
    const carried = provenance.kind === "carried" ? before?.value : undefined;
    if (carried !== undefined) next.set(cheap.key, before!);
    return await handlers.instead(read, {
      provenance: carried === undefined && provenance.kind === "carried"
        ? { kind: "rss-only", reason: "over-budget" }
        : provenance,
      memory: cheap.memory,
      ...(carried !== undefined && { carried }),
    });
  };
  await mapLimit(plan.walk, concurrency, async (pid) => {
    const process = identified.get(pid)!;
    const signature = plan.signatures.get(pid)!;
    if (budget !== undefined && clock() - started >= budget) {
      const provenance = unwalked(kept.get(process.cheap.key), signature, clock());
      results.set(pid, await instead(process, provenance));
      return;
    }
    const walked = await handlers.walked(pid, await readMemory(source, process.read, readPlan));
    if (walked.keep !== undefined) {
      next.set(process.cheap.key, { readAt: started, ...signature, value: walked.keep });
    }
    results.set(pid, walked.result);
  });
  for (const [pid, provenance] of plan.instead) {
    results.set(pid, await instead(identified.get(pid)!, provenance));
  }
  if (cost.cache !== undefined) cost.cache.kept = next;
  return pids.map((pid) => results.get(pid)!);
}

/** The cheap counters of a process's status; undefined for a zombie (none). */
function cheapMemory(pid: number, read: ProcessFiles): StatusMemory | undefined {
  const bytes = read.files.get("status");
  if (bytes === undefined) return undefined;
  return statusMemory(parseStatus(decoder.decode(bytes), `${pid}/status`)) ?? undefined;
}

function cheapReading(pid: number, read: ProcessFiles, memory: StatusMemory): CheapReading {
  const bytes = read.files.get("stat");
  const stat = bytes === undefined ? undefined : parseStat(decoder.decode(bytes), `${pid}/stat`);
  return { pid, key: `${pid}@${stat?.startTime ?? "?"}`, ppid: stat?.ppid ?? null, memory };
}
