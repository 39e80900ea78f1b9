/**
 * The snapshot model: what memsnap saw of a system at one moment, as plain
 * data that serialises to JSON and back without loss.
 *
 * @module
 */

import type { MemoryCgroup } from "../parse/cgroup.ts";
import type { Counters } from "../parse/counters.ts";
import type { Mapping } from "../parse/smaps.ts";
import type { Detail } from "../source/proc_source.ts";
import type { ProcessPages, SnapshotPages } from "./pages.ts";
import type { Provenance } from "./provenance.ts";

export type { Mapping, MemoryCgroup, Provenance };

/**
 * The mappings of one name in one process, summed: all that the mapping view
 * and -M need of them, a fraction of the mappings themselves.
 */
export interface MappingGroup {
  /** The name reports use (see {@link reportName}). */
  readonly name: string;
  /** Number of mappings of that name. */
  readonly count: number;
  readonly counters: Counters;
}

/**
 * The name a mapping is known by in reports and in -M: its path or
 * pseudo-name, `<anonymous>` for anonymous memory. The kernel's
 * " (deleted)" marker is dropped, so that a deleted file (a memfd, an
 * upgraded library still mapped) is counted with its name.
 *
 * @param name The name as smaps gives it (Mapping.name).
 */
export function reportName(name: string): string {
  if (name === "") return "<anonymous>";
  return name.endsWith(DELETED) ? name.slice(0, -DELETED.length) : name;
}

const DELETED = " (deleted)";

export type { Detail } from "../source/proc_source.ts";

/** A process, with its memory summed over its mappings. */
export interface Process {
  readonly pid: number;
  /** Parent pid, from stat; null when stat was not readable. */
  readonly ppid: number | null;
  /** Owner (of /proc/PID, as smem takes it); -1 when unknown. */
  readonly uid: number;
  readonly gid: number;
  /** Command name from stat (`comm`); `?` when stat was not readable. */
  readonly name: string;
  /** Arguments from cmdline; null when cmdline was not readable. */
  readonly cmdline: readonly string[] | null;
  /** Start time in clock ticks after boot, from stat; null when unknown. */
  readonly startTime: number | null;
  /**
   * The cgroup the process's memory is charged to, from /proc/PID/cgroup;
   * null when the file was not there or named none. Read only for the
   * reports that use it (the cgroup view): absent otherwise.
   */
  readonly cgroup?: MemoryCgroup | null;
  /**
   * Sums over all mappings (full detail) or the kernel's own sums
   * (smaps_rollup); counters only smaps_rollup has are merged in when both
   * were read.
   */
  readonly totals: Counters;
  /** Number of mappings; null with rollup detail (not counted there). */
  readonly mapCount: number | null;
  /**
   * The OOM killer's score (/proc/PID/oom_score); present when a report
   * asked for it, null when it could not be read.
   */
  readonly oomScore?: number | null;
  /**
   * CPU time, user + system, in clock ticks (USER_HZ) from stat; present
   * when a report asked for it, null when stat could not be read.
   */
  readonly cpuTicks?: number | null;
  /**
   * CPU use since the previous snapshot of a recording, in % of one core;
   * present when a report asks for it, null when unknown (no previous
   * snapshot, a process new since it, a live source).
   */
  readonly cpuPercent?: number | null;
  /**
   * GPU memory, kB: the resident memory of the DRM clients the process holds
   * open (fdinfo); present when a report asked for it, null when the process
   * holds none that reports memory (unknown, not zero).
   */
  readonly gpuKb?: number | null;
  /**
   * Every mapping: read with full detail, and kept when the snapshot was
   * loaded for a report that needs them (mapping view, -M).
   */
  readonly mappings?: readonly Mapping[];
  /**
   * The mappings summed per name, in the order the names first appear: what
   * the loader keeps for the reports that need mapping names (mapping view,
   * -M), instead of every mapping.
   */
  readonly mappingGroups?: readonly MappingGroup[];
  /**
   * How its memory numbers were obtained, when not by walking it in this
   * snapshot (absent: exact): carried from an earlier walk, or RSS only.
   */
  readonly provenance?: Provenance;
  /** Its resident frames and swap entries, when --exact read them (pages.ts). */
  readonly pages?: ProcessPages;
}

/** Processes that are not in the snapshot, and why. */
export interface Skipped {
  /** Kernel threads (empty cmdline), left out as smem does. */
  readonly kernelThreads: number;
  /** Processes whose memory could not be read (permission denied). */
  readonly unreadable: number;
  /** Processes that exited while being read. */
  readonly vanished: number;
  /** Processes with rollup data only, left out of a full-detail snapshot. */
  readonly withoutMappings: number;
  /**
   * The unreadable processes, as far as their world-readable files tell
   * (read live): a report counts those its filters would show. Absent where
   * not known (a stored copy holds only the count).
   */
  readonly unreadableProcesses?: readonly UnreadableProcess[];
}

import type { UnreadableProcess } from "../archive/format.ts";

export type { UnreadableProcess } from "../archive/format.ts";

/** Everything memsnap saw of a system at one moment. */
export interface Snapshot {
  /** ISO 8601 time the snapshot was taken, when known. */
  readonly takenAt: string | null;
  readonly host: {
    readonly hostname: string | null;
    /** Kernel release, from /proc/version. */
    readonly kernel: string | null;
    /** Bytes per page, when the source recorded it. */
    readonly pageSize: number | null;
  };
  /** /proc/meminfo: kB, except the HugePages_* counts (pages). */
  readonly meminfo: Readonly<Record<string, number>>;
  /** User names by uid, for the uids of the processes. */
  readonly users: Readonly<Record<number, string>>;
  readonly detail: Detail;
  readonly processes: readonly Process[];
  readonly skipped: Skipped;
  /** How the processes' pages were read, when --exact read them. */
  readonly pages?: SnapshotPages;
}

/** smem's command line text: the arguments joined by spaces, `?` if unknown. */
export function commandOf(process: Pick<Process, "cmdline">): string {
  return process.cmdline === null ? "?" : process.cmdline.join(" ");
}

/** The user name for a uid: from the snapshot, else the number, `?` if unknown. */
export function userNameOf(snapshot: Snapshot, uid: number): string {
  if (uid === -1) return "?";
  return snapshot.users[uid] ?? String(uid);
}
