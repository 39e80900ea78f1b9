/**
 * CPU use between two snapshots of one system, per process: a pure function
 * of the two, so that any pair has it (a recording's neighbours, two live
 * samples).
 *
 * @module
 */

import type { Process, Snapshot } from "./snapshot.ts";

/** Clock ticks per second (USER_HZ): 100 on Linux's architectures but alpha. */
const TICKS_PER_SECOND = 100;

/**
 * The snapshot with each process's `cpuPercent`: its growth of utime +
 * stime since `previous`, in % of one core, to 0.1. Null (unknown) where
 * there is no previous snapshot, either time is unknown or not later, the
 * process is not the same one there (new, or a reused pid: another start
 * time), or either side lacks its CPU time.
 */
export function withCpuPercent(current: Snapshot, previous: Snapshot | null): Snapshot {
  const now = Date.parse(current.takenAt ?? "");
  const then = Date.parse(previous?.takenAt ?? "");
  const before = new Map((previous?.processes ?? []).map((p) => [p.pid, p]));
  const percentOf = (process: Process): number | null => {
    const earlier = before.get(process.pid);
    if (!(now > then) || earlier === undefined) return null;
    if (earlier.startTime !== process.startTime) return null;
    if (typeof process.cpuTicks !== "number" || typeof earlier.cpuTicks !== "number") return null;
    const ticks = process.cpuTicks - earlier.cpuTicks;
    const percent = (ticks / TICKS_PER_SECOND) / ((now - then) / 1000) * 100;
    return Math.round(percent * 10) / 10;
  };
  return {
    ...current,
    processes: current.processes.map((process) => ({ ...process, cpuPercent: percentOf(process) })),
  };
}
