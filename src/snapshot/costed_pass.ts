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
  /** What the cheap pass read of each process it saw, by process key. */
  known?: ReadonlyMap<string, Known>;
}

/**
 * A process seen before (the same pid and start time): a kernel thread, or
 * the files that name it (cmdline, cgroup) and its owner. A later sample
 * reads only its stat and status, and reads these again when it walks it.
 */
type Known =
  | { readonly kind: "kernelThreads" }
  | { readonly kind: "process"; readonly read: ProcessFiles };

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
  const { identified, stale, known } = await cheapPass(source, pids, {
    also,
    concurrency,
    known: cost.cache?.known ?? new Map(),
    // Gone, a kernel thread, unreadable, or a zombie (no memory in its status).
    left: async (pid, read) => results.set(pid, (await handlers.walked(pid, read)).result),
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
    // A process identified from stat and status alone: its names read afresh with its walk.
    const identity = stale.has(pid) ? await readIdentity(source, pid, { also }) : process.read;
    if (identity.kind === "process") {
      known.set(process.cheap.key, { kind: "process", read: identity });
    }
    const walked = await handlers.walked(
      pid,
      identity.kind === "process" ? await readMemory(source, identity, readPlan) : identity,
    );
    if (walked.keep !== undefined) {
      next.set(process.cheap.key, { readAt: started, ...signature, value: walked.keep });
    }
    results.set(pid, walked.result);
  });
  for (const [pid, provenance] of plan.instead) {
    results.set(pid, await instead(identified.get(pid)!, provenance));
  }
  if (cost.cache !== undefined) {
    cost.cache.kept = next;
    cost.cache.known = known;
  }
  return pids.map((pid) => results.get(pid)!);
}

/**
 * The cheap pass: every process's stat and status, and the first time it
 * is seen its cmdline, cgroup and owner too. Calls `left` for each process
 * left out; returns the others, which of them were read from stat and
 * status alone (stale names), and what to know of each next time.
 */
async function cheapPass(
  source: ProcSource,
  pids: readonly number[],
  options: {
    readonly also: readonly string[];
    readonly concurrency: number;
    readonly known: ReadonlyMap<string, Known>;
    readonly left: (pid: number, read: ProcessRead) => Promise<unknown>;
  },
): Promise<{ identified: Map<number, Identified>; stale: Set<number>; known: Map<string, Known> }> {
  const { also } = options;
  const identified = new Map<number, Identified>();
  const stale = new Set<number>();
  const known = new Map<string, Known>();
  await mapLimit(pids, options.concurrency, async (pid) => {
    const seen = await knownProcess(source, pid, options.known, also);
    if (seen?.kind === "kernelThreads") {
      known.set(seen.key, seen.known);
      await options.left(pid, { kind: "kernelThreads" });
      return;
    }
    const read = seen?.read ?? await readIdentity(source, pid, { also });
    if (seen !== undefined) stale.add(pid);
    const memory = read.kind === "process" ? cheapMemory(pid, read) : undefined;
    if (read.kind === "process" && memory !== undefined) {
      const cheap = cheapReading(pid, read, memory);
      identified.set(pid, { read, cheap });
      known.set(cheap.key, { kind: "process", read });
      return;
    }
    if (read.kind === "kernelThreads") {
      const key = await keyOf(source, pid);
      if (key !== undefined) known.set(key, { kind: "kernelThreads" });
    }
    await options.left(pid, read.kind === "process" ? { kind: "vanished" } : read);
  });
  return { identified, stale, known };
}

/**
 * A process seen in an earlier sample, read again from its stat and status
 * only: undefined when it was not seen (its stat's start time is another
 * process's) or cannot be read so.
 */
async function knownProcess(
  source: ProcSource,
  pid: number,
  known: ReadonlyMap<string, Known>,
  also: readonly string[],
): Promise<
  | { readonly kind: "kernelThreads"; readonly key: string; readonly known: Known }
  | { readonly kind: "process"; readonly read: ProcessFiles }
  | undefined
> {
  if (known.size === 0) return undefined;
  const stat = await source.readBytes(`${pid}/stat`);
  if (stat.status !== "ok") return undefined;
  const key = statKey(pid, stat.bytes);
  const before = known.get(key);
  if (before === undefined) return undefined;
  if (before.kind === "kernelThreads") return { kind: "kernelThreads", key, known: before };
  // A process that has not run since its last read (no tick, no fault, the same size) has the
  // same memory counters: its status is not read again (half the files of a refresh at rest).
  const statusBefore = before.read.files.get("status");
  const statBefore = before.read.files.get("stat");
  const status = statusBefore !== undefined && statBefore !== undefined &&
      sameActivity(statBefore, stat.bytes)
    ? { status: "ok" as const, bytes: statusBefore }
    : await source.readBytes(`${pid}/status`);
  if (status.status !== "ok") return undefined;
  // In the order a whole read gives them (archives keep it): cmdline, then `also`'s.
  const files = new Map<string, Uint8Array>();
  const cmdline = before.read.files.get("cmdline");
  if (cmdline !== undefined) files.set("cmdline", cmdline);
  for (const file of also) {
    const bytes = file === "stat"
      ? stat.bytes
      : file === "status"
      ? status.bytes
      : before.read.files.get(file);
    if (bytes !== undefined) files.set(file, bytes);
  }
  return { kind: "process", read: { ...before.read, files } };
}

/**
 * proc(5)'s stat fields that move whenever a process's memory can: minflt,
 * majflt, utime, stime, num_threads, vsize, rss (counted after the state,
 * field 3). Memory a process does not touch changes only by reclaim, which
 * lowers rss, or by swap-in, a major fault.
 */
const ACTIVITY_FIELDS = [7, 9, 11, 12, 17, 20, 21];

/** Whether two reads of a process's stat show it idle in between. */
function sameActivity(before: Uint8Array, now: Uint8Array): boolean {
  const fields = (bytes: Uint8Array) => {
    const text = decoder.decode(bytes);
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  };
  const a = fields(before);
  const b = fields(now);
  return ACTIVITY_FIELDS.every((i) => a[i] !== undefined && a[i] === b[i]);
}

/** A process's key (pid and start time), from its stat; undefined when gone. */
async function keyOf(source: ProcSource, pid: number): Promise<string | undefined> {
  const stat = await source.readBytes(`${pid}/stat`);
  return stat.status === "ok" ? statKey(pid, stat.bytes) : undefined;
}

/** A process's key: its pid and its start time, from its stat. */
function statKey(pid: number, stat: Uint8Array): string {
  return `${pid}@${parseStat(decoder.decode(stat), `${pid}/stat`).startTime}`;
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
