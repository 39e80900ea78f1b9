/**
 * Which processes a sample walks (smaps_rollup or smaps: exact, but the
 * kernel locks the process's page tables to produce it), in what order, and
 * which keep the numbers of an earlier walk. Pure: the loader and the
 * capture read what it says, and the reasons are tested here.
 *
 * A walk is skipped when it would tell nothing new: the process is the same
 * one (pid and start time), its own counters in status (RssAnon, RssFile,
 * RssShmem, VmSwap) have not moved, and neither have those of the processes
 * it most likely shares pages with: its parent, its children and, under a
 * parent other than init, its siblings (what fork shares copy-on-write).
 * Sharing with unrelated processes (a file or shared memory mapped by both)
 * is not cheaply known: every process is walked again once its numbers are
 * `refreshMs` old, which bounds how long such a change goes unseen
 * (docs/PERFORMANCE.md measures it).
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { StatusMemory } from "../parse/status.ts";
import type { Provenance } from "./provenance.ts";

/** What the cheap pass tells of a process. */
export interface CheapReading {
  readonly pid: number;
  /** pid and start time: a reused pid is another process. */
  readonly key: string;
  /** Parent pid; null when unknown. */
  readonly ppid: number | null;
  readonly memory: StatusMemory;
}

/** What a sample keeps of a walk, to carry it into the next samples. */
export interface Kept<T> {
  /** When it was walked, ms since the epoch. */
  readonly readAt: number;
  /** The process's own status counters then. */
  readonly own: string;
  /** Its family's then (parent, children, siblings). */
  readonly family: string;
  readonly value: T;
}

/** What a sample may spend, and how long numbers may be carried. */
export interface CostLimits {
  /** The longest the walking pass may take, ms; undefined: no limit. */
  readonly budgetMs?: number;
  /** A process whose RSS is above this many kB is not walked; undefined or 0: no ceiling. */
  readonly maxRssKb?: number;
  /** The oldest numbers carried, ms; undefined or 0: never carried (every sample walks all). */
  readonly refreshMs?: number;
}

/** What to do with each process of a sample. */
export interface WalkPlan {
  /** The processes to walk, those whose numbers matter most first. */
  readonly walk: readonly number[];
  /** The processes not walked, and the numbers they get instead. */
  readonly instead: ReadonlyMap<number, Provenance>;
  /**
   * What a walked process keeps of this sample (its status counters and its
   * family's); also what a process left for lack of budget is carried with.
   */
  readonly signatures: ReadonlyMap<number, { readonly own: string; readonly family: string }>;
}

/** Parents whose children share nothing by fork: init, and the kernel's own. */
const UNRELATED_PARENTS: ReadonlySet<number> = new Set([0, 1, 2]);

/**
 * Plans a sample's walks.
 *
 * @param kept The walks kept from earlier samples, by process key.
 * @param now ms since the epoch.
 */
export function planWalks<T>(
  cheap: readonly CheapReading[],
  kept: ReadonlyMap<string, Kept<T>>,
  limits: CostLimits,
  now: number,
): WalkPlan {
  const signatures = familySignatures(cheap);
  const instead = new Map<number, Provenance>();
  const walk: { pid: number; urgent: boolean; rss: number; ageMs: number }[] = [];
  const ceiling = limits.maxRssKb ?? 0;
  const refresh = limits.refreshMs ?? 0;
  for (const process of cheap) {
    if (ceiling > 0 && process.memory.rss > ceiling) {
      instead.set(process.pid, { kind: "rss-only", reason: "over-ceiling" });
      continue;
    }
    const before = kept.get(process.key);
    const signature = signatures.get(process.pid)!;
    const ageMs = before === undefined ? Infinity : now - before.readAt;
    const unchanged = before !== undefined && before.own === signature.own;
    if (unchanged && before.family === signature.family && ageMs < refresh) {
      instead.set(process.pid, { kind: "carried", ageMs });
      continue;
    }
    walk.push({ pid: process.pid, urgent: !unchanged, rss: process.memory.rss, ageMs });
  }
  // Numbers known to be wrong first (new processes, changed counters), the
  // largest first; then the stale ones, the oldest first.
  walk.sort((a, b) =>
    a.urgent !== b.urgent
      ? (a.urgent ? -1 : 1)
      : a.urgent
      ? b.rss - a.rss || a.pid - b.pid
      : b.ageMs - a.ageMs || b.rss - a.rss || a.pid - b.pid
  );
  return { walk: walk.map((w) => w.pid), instead, signatures };
}

/**
 * What a process left unwalked for lack of budget gets: the numbers of its
 * last walk when its own counters have not moved since, else RSS only.
 */
export function unwalked<T>(
  kept: Kept<T> | undefined,
  signature: { readonly own: string },
  now: number,
): Provenance {
  return kept !== undefined && kept.own === signature.own
    ? { kind: "carried", ageMs: now - kept.readAt }
    : { kind: "rss-only", reason: "over-budget" };
}

/**
 * Each process's own status counters, and its family's, as text to compare.
 * Linear in the processes: a parent's children are digested once, however
 * many siblings share the digest (a server's thousand workers).
 */
function familySignatures(
  cheap: readonly CheapReading[],
): Map<number, { own: string; family: string }> {
  const own = new Map(cheap.map((p) => [p.pid, ownSignature(p)]));
  const children = new Map<number, number[]>();
  for (const p of cheap) {
    if (p.ppid === null) continue;
    const list = children.get(p.ppid) ?? [];
    list.push(p.pid);
    children.set(p.ppid, list);
  }
  const digests = new Map<number, string>();
  /** The children of `pid`, their identities and counters, as one digest. */
  const childrenOf = (pid: number): string => {
    let digest = digests.get(pid);
    if (digest === undefined) {
      const hash = createHash("sha1");
      // In pid order: the cheap pass gives processes in the order their reads end.
      const sorted = (children.get(pid) ?? []).sort((a, b) => a - b);
      for (const child of sorted) hash.update(own.get(child)!).update(" ");
      digest = hash.digest("base64");
      digests.set(pid, digest);
    }
    return digest;
  };
  const signatures = new Map<number, { own: string; family: string }>();
  for (const p of cheap) {
    // The siblings' digest holds the process itself: its own change is told apart anyway.
    const related = p.ppid !== null && !UNRELATED_PARENTS.has(p.ppid);
    const parent = related ? `${own.get(p.ppid!) ?? `${p.ppid}:gone`} ${childrenOf(p.ppid!)}` : "";
    signatures.set(p.pid, { own: own.get(p.pid)!, family: `${parent} ${childrenOf(p.pid)}` });
  }
  return signatures;
}

/** A process's identity and status counters: what a walk's numbers stay true for. */
function ownSignature(p: CheapReading): string {
  const m = p.memory;
  return `${p.key}:${m.rssAnon}/${m.rssFile}/${m.rssShmem}/${m.swap}`;
}
