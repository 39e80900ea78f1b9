/**
 * Collects one snapshot's raw /proc bytes from a source, as memsnap's
 * archives store them, unchanged (not every command line is UTF-8):
 * meminfo, version and, per process, its memory file (smaps or
 * smaps_rollup), cmdline, stat, status, cgroup and owner.
 *
 * @module
 */

import { hostname as osHostname } from "node:os";
import { parseStat } from "../parse/stat.ts";
import { parseVersion } from "../parse/version.ts";
import type { ProcSource } from "../source/proc_source.ts";
import { SourceError } from "../errors/source_error.ts";
import { mapLimit } from "../snapshot/map_limit.ts";
import {
  identify,
  type ProcessRead,
  type ReadPlan,
  readProcess,
  type SkipReason,
} from "../snapshot/read_process.ts";
import { sampleInTwoPasses, type SamplingCost } from "../snapshot/costed_pass.ts";
import type { Detail } from "../snapshot/snapshot.ts";
import {
  PROVENANCE_VERSION,
  type SnapshotMeta,
  type UnreadableProcess,
} from "../archive/format.ts";
import type { RawProcess, RawSnapshot } from "../archive/raw_snapshot.ts";

export type { RawProcess, RawSnapshot };

/** How to collect. */
export interface CollectOptions {
  readonly detail: Detail;
  /** Names the program in the metadata: `memsnap 0.1.0`. */
  readonly producer: string;
  /** Keeps only these processes, chosen from every pid's parent (record --tree). */
  readonly keep?: (parents: ReadonlyMap<number, number>) => ReadonlySet<number>;
  /** Processes left out whatever else is kept: memsnap's own, live. */
  readonly exclude?: ReadonlySet<number>;
  readonly now?: () => Date;
  readonly concurrency?: number;
  /**
   * Live sampling that spends less (walk_plan.ts): what it keeps of a walk
   * to carry is the memory files' bytes.
   */
  readonly cost?: SamplingCost<MemoryFiles>;
}

/** A process's memory files (smaps, smaps_rollup) as a walk read them. */
export type MemoryFiles = ReadonlyMap<string, Uint8Array>;

const decoder = new TextDecoder();

/** Files stored beside the memory file (and cmdline). */
const STORED_BESIDE = ["stat", "status", "cgroup"];

/** What a snapshot holds besides its processes: read first. */
export interface SnapshotHead {
  readonly takenAt: string;
  readonly meminfo: Uint8Array;
  readonly version: Uint8Array | null;
  /** The processes to read, ascending (record --tree keeps some). */
  readonly pids: readonly number[];
}

/**
 * Reads a snapshot's meminfo and version, and lists its processes.
 *
 * @throws {SourceError} When the source has no meminfo.
 */
export async function readHead(source: ProcSource, options: CollectOptions): Promise<SnapshotHead> {
  const takenAt = source.live
    ? (options.now?.() ?? new Date()).toISOString()
    : source.recorded?.takenAt ?? (options.now?.() ?? new Date()).toISOString();
  const meminfo = await source.readBytes("meminfo");
  if (meminfo.status !== "ok") {
    throw new SourceError(`Cannot read ${source.label}: it has no readable meminfo`);
  }
  const version = await source.readBytes("version");

  let pids = await source.pids();
  if (options.keep) {
    const parents = new Map<number, number>();
    await mapLimit(pids, options.concurrency ?? 16, async (pid) => {
      const stat = await source.read(`${pid}/stat`);
      if (stat.status === "ok") parents.set(pid, parseStat(stat.text, `${pid}/stat`).ppid);
    });
    const kept = options.keep(parents);
    pids = pids.filter((pid) => kept.has(pid));
  }
  const { exclude } = options;
  if (exclude !== undefined) pids = pids.filter((pid) => !exclude.has(pid));
  return {
    takenAt,
    meminfo: meminfo.bytes,
    version: version.status === "ok" ? version.bytes : null,
    pids,
  };
}

/** A snapshot's metadata, with the names of the given users and groups. */
export async function describeSnapshot(
  source: ProcSource,
  options: CollectOptions,
  head: SnapshotHead,
  owners: { readonly uids: ReadonlySet<number>; readonly gids: ReadonlySet<number> },
): Promise<SnapshotMeta> {
  return {
    format: "memsnap-snapshot",
    formatVersion: 1,
    producer: options.producer,
    takenAt: head.takenAt,
    hostname: source.live ? osHostname() : source.recorded?.hostname ?? null,
    kernel: head.version === null ? null : kernelOf(decoder.decode(head.version)),
    pageSize: source.live ? await pageSize(source) : source.recorded?.pageSize ?? null,
    detail: options.detail,
    users: Object.fromEntries(await source.userNames(owners.uids)),
    groups: Object.fromEntries(await source.groupNames(owners.gids)),
  };
}

/**
 * Reads a snapshot's raw files from a source. Kernel threads (empty
 * cmdline) are left out, as smem and memsnap's reports leave them out; a
 * process that exits while read is left out whole.
 *
 * @throws {SourceError} When the source has no meminfo.
 */
export async function collectSnapshot(
  source: ProcSource,
  options: CollectOptions,
): Promise<RawSnapshot> {
  const head = await readHead(source, options);
  const plan = rawPlan(options.detail);
  const concurrency = options.concurrency ?? 16;
  const outcomes = source.live && options.cost !== undefined
    ? await sampleInTwoPasses<MemoryFiles, Outcome>(source, head.pids, {
      plan,
      concurrency,
      cost: options.cost,
    }, {
      walked: (pid, read) => {
        // Sampling shows another user's process with its status's RSS, not only as a count.
        if (read.kind === "unreadable" && read.owner !== undefined && read.files.has("status")) {
          const { uid, gid } = read.owner;
          const provenance = { kind: "rss-only", reason: "unreadable" } as const;
          return Promise.resolve({ result: { pid, uid, gid, files: read.files, provenance } });
        }
        const result = rawOutcome(pid, read);
        return Promise.resolve(
          typeof result === "object" && "files" in result
            ? { result, keep: memoryFiles(result.files, plan) }
            : { result },
        );
      },
      instead: (read, { provenance, carried }) =>
        Promise.resolve<Outcome>({
          pid: read.pid,
          uid: read.owner.uid,
          gid: read.owner.gid,
          files: carried === undefined ? read.files : inLayoutOrder(read.files, carried),
          provenance,
        }),
    })
    : await mapLimit(
      head.pids,
      concurrency,
      async (pid) => rawOutcome(pid, await readProcess(source, pid, plan)),
    );
  const processes = outcomes.filter((o): o is RawProcess => typeof o === "object" && "files" in o);
  const unreadable = outcomes.flatMap((o) =>
    typeof o === "object" && "unreadable" in o ? [o.unreadable] : []
  );
  const count = (reason: SkipReason) => outcomes.filter((o) => o === reason).length;
  const skipped = {
    unreadable: unreadable.length,
    unreadableProcesses: unreadable,
    vanished: count("vanished"),
    kernelThreads: count("kernelThreads"),
  };
  const meta = await describeSnapshot(source, options, head, {
    uids: new Set(processes.map((p) => p.uid)),
    gids: new Set(processes.map((p) => p.gid)),
  });
  const provenance = Object.fromEntries(
    processes.flatMap((p) => p.provenance === undefined ? [] : [[String(p.pid), p.provenance]]),
  );
  // A sampled snapshot says so, even when it walked every process.
  const sampled = source.live && options.cost !== undefined;
  return {
    meta: {
      ...meta,
      skipped,
      ...(sampled && { formatVersion: PROVENANCE_VERSION, provenance }),
    },
    meminfo: head.meminfo,
    version: head.version,
    processes,
    vanished: skipped.vanished,
    unreadable: skipped.unreadable,
  };
}

/** What reading one process gave: its files, or why it is left out (who, when unreadable). */
export type Outcome = RawProcess | Exclude<SkipReason, "unreadable"> | {
  readonly unreadable: UnreadableProcess;
};

/**
 * What archives store of a process: rollup detail reads smaps_rollup
 * (smaps where the kernel predates it, 4.14); full detail reads smaps, and
 * smaps_rollup for the counters only it has (Pss_Anon, Pss_File,
 * Pss_Shmem) when the kernel has it.
 */
function rawPlan(detail: Detail): ReadPlan {
  return {
    memory: detail === "full" ? ["smaps", "smaps_rollup"] : ["smaps_rollup", "smaps"],
    allMemory: detail === "full",
    also: STORED_BESIDE,
  };
}

/** Reads one process's files and owner, as archives store them. */
export async function readRawProcess(
  source: ProcSource,
  pid: number,
  detail: Detail,
): Promise<Outcome> {
  return rawOutcome(pid, await readProcess(source, pid, rawPlan(detail)));
}

/** A process read, as archives store it, or why it is left out. */
function rawOutcome(pid: number, read: ProcessRead): Outcome {
  if (read.kind === "unreadable") return { unreadable: identify(pid, read) };
  if (read.kind !== "process") return read.kind;
  return { pid, uid: read.owner.uid, gid: read.owner.gid, files: read.files };
}

/** The memory files among a process's files. */
function memoryFiles(files: ReadonlyMap<string, Uint8Array>, plan: ReadPlan): MemoryFiles {
  return new Map([...files].filter(([name]) => (plan.memory as readonly string[]).includes(name)));
}

/** A process's files with carried memory files, in smem's layout order: cmdline, memory, the rest. */
function inLayoutOrder(
  files: ReadonlyMap<string, Uint8Array>,
  memory: MemoryFiles,
): Map<string, Uint8Array> {
  const ordered = new Map<string, Uint8Array>();
  const cmdline = files.get("cmdline");
  if (cmdline !== undefined) ordered.set("cmdline", cmdline);
  for (const [name, bytes] of [...memory, ...files]) ordered.set(name, bytes);
  return ordered;
}

/** The kernel release, or null when version is not the kernel's text. */
function kernelOf(text: string): string | null {
  try {
    return parseVersion(text, "version");
  } catch {
    return null;
  }
}

/** The page size, from this process's own smaps (KernelPageSize, in kB). */
async function pageSize(source: ProcSource): Promise<number | null> {
  const read = await source.read("self/smaps");
  if (read.status !== "ok") return null;
  const match = /^KernelPageSize:\s+(\d+) kB$/m.exec(read.text);
  return match === null ? null : Number(match[1]) * 1024;
}
