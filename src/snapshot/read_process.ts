/**
 * Reads one process's /proc files, and decides whether it is in the
 * snapshot at all: a kernel thread, a process that exited while read, or
 * one this user may not read is left out, with the reason. Reports (which
 * parse the files) and captures (which store their bytes) read processes
 * through this one place, so that both leave out the same processes.
 *
 * @module
 */

import type { UnreadableProcess } from "../archive/format.ts";
import { parseCmdline } from "../parse/cmdline.ts";
import { parseStat } from "../parse/stat.ts";
import type { Owner, ProcSource } from "../source/proc_source.ts";

/** The files a process's memory counters come from. */
export type MemoryFile = "smaps" | "smaps_rollup";

/** What to read of a process. */
export interface ReadPlan {
  /**
   * The memory files, by preference: the first one there is read; with
   * `allMemory`, every one there (smaps for mappings, smaps_rollup for the
   * counters only it has).
   */
  readonly memory: readonly MemoryFile[];
  readonly allMemory?: boolean;
  /** Files read beside, when there: `stat`, `status`, `cgroup`. */
  readonly also: readonly string[];
}

/** Why a process is not in a snapshot. */
export type SkipReason = "kernelThreads" | "vanished" | "unreadable";

/** A process's files as read, by name (`cmdline`, `smaps`, `stat`...), and its owner. */
export interface ProcessFiles {
  readonly kind: "process";
  readonly pid: number;
  /** Its owner; uid and gid -1 when a stored copy does not say. */
  readonly owner: Owner;
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/**
 * A process this user may not read: the files that could be read of it
 * (cmdline, stat: world-readable), which tell what it is.
 */
export interface UnreadableFiles {
  readonly kind: "unreadable";
  readonly owner: Owner | undefined;
  readonly files: ReadonlyMap<string, Uint8Array>;
}

export type ProcessRead =
  | ProcessFiles
  | UnreadableFiles
  | { readonly kind: Exclude<SkipReason, "unreadable"> };

/** Files a live process always has: one missing means the process exited. */
const REQUIRED_LIVE: ReadonlySet<string> = new Set(["stat"]);

const decoder = new TextDecoder();

/**
 * Reads a process as the plan says: its identity, then its memory.
 *
 * Live, a file that is missing means the process exited: it is left out
 * whole ("vanished"); a memory file that is denied means another user's
 * process ("unreadable"). A stored copy that lacks a file keeps the process
 * (the report shows smem's placeholders), unless it lacks every memory file.
 * An empty command line is a kernel thread's, left out as smem does.
 */
export async function readProcess(
  source: ProcSource,
  pid: number,
  plan: ReadPlan,
): Promise<ProcessRead> {
  const identity = await readIdentity(source, pid, plan);
  return identity.kind === "process" ? await readMemory(source, identity, plan) : identity;
}

/**
 * Reads what every user may read of a process, cheaply (no page-table
 * walk): its cmdline and the files the plan reads beside (stat, status,
 * cgroup), and its owner.
 */
export async function readIdentity(
  source: ProcSource,
  pid: number,
  plan: Pick<ReadPlan, "also">,
): Promise<ProcessRead> {
  const files = new Map<string, Uint8Array>();
  const cmdline = await source.readBytes(`${pid}/cmdline`);
  if (cmdline.status === "ok") {
    if (isKernelThread(cmdline.bytes)) return { kind: "kernelThreads" };
    files.set("cmdline", cmdline.bytes);
  } else if (source.live) {
    return cmdline.status === "missing"
      ? { kind: "vanished" }
      : await unreadableFiles(source, pid, files);
  }
  for (const file of plan.also) {
    const read = await source.readBytes(`${pid}/${file}`);
    if (read.status === "ok") files.set(file, read.bytes);
    else if (source.live && REQUIRED_LIVE.has(file)) {
      return read.status === "missing"
        ? { kind: "vanished" }
        : await unreadableFiles(source, pid, files);
    }
  }
  const owner = await source.owner(pid);
  if (owner === undefined && source.live) return { kind: "vanished" };
  return { kind: "process", pid, owner: owner ?? { uid: -1, gid: -1 }, files };
}

/**
 * Reads a process's memory files (the page-table walk, live) beside what
 * {@link readIdentity} read: unreadable when they are another user's,
 * vanished when none is there.
 */
export async function readMemory(
  source: ProcSource,
  identity: ProcessFiles,
  plan: Pick<ReadPlan, "memory" | "allMemory">,
): Promise<ProcessRead> {
  const { pid } = identity;
  // In smem's layout order, which archives keep: cmdline, the memory files, the rest.
  const files = new Map<string, Uint8Array>();
  const cmdline = identity.files.get("cmdline");
  if (cmdline !== undefined) files.set("cmdline", cmdline);
  let denied = false;
  for (const file of plan.memory) {
    const read = await source.readBytes(`${pid}/${file}`);
    // Live, a process past its exit has no memory map: smaps_rollup fails
    // (ESRCH) and smaps reads empty. Not a process with no mappings: gone.
    if (read.status === "ok" && source.live && read.bytes.length === 0) break;
    if (read.status === "ok") {
      files.set(file, read.bytes);
      if (!plan.allMemory) break;
    } else if (read.status === "denied") {
      // The other memory file is the same process's: denied as well.
      denied = true;
      break;
    }
  }
  for (const [file, bytes] of identity.files) files.set(file, bytes);
  if (!plan.memory.some((file) => files.has(file))) {
    return denied ? await unreadableFiles(source, pid, files) : { kind: "vanished" };
  }
  return { ...identity, files };
}

/** An empty command line: a kernel thread's, left out as smem leaves it out. */
export function isKernelThread(cmdline: Uint8Array): boolean {
  return parseCmdline(decoder.decode(cmdline)).join(" ") === "";
}

/**
 * What can be read of a process whose memory cannot: its stat, status and
 * owner, beside its cmdline (status tells its RSS and swap).
 */
export async function unreadableFiles(
  source: ProcSource,
  pid: number,
  files: Map<string, Uint8Array>,
): Promise<UnreadableFiles> {
  for (const file of ["stat", "status"]) {
    if (files.has(file)) continue;
    const read = await source.readBytes(`${pid}/${file}`);
    if (read.status === "ok") files.set(file, read.bytes);
  }
  return { kind: "unreadable", owner: await source.owner(pid), files };
}

/** What a process memsnap may not read is, from its world-readable files (cmdline, stat). */
export function identify(pid: number, read: UnreadableFiles): UnreadableProcess {
  const text = (name: string) => {
    const bytes = read.files.get(name);
    return bytes === undefined ? undefined : decoder.decode(bytes);
  };
  const stat = text("stat");
  const cmdline = text("cmdline");
  return {
    pid,
    uid: read.owner?.uid ?? -1,
    name: stat === undefined ? "?" : parseStat(stat, `${pid}/stat`).name,
    cmdline: cmdline === undefined ? null : parseCmdline(cmdline),
  };
}
