/**
 * Per-process data beyond memory maps, read only when a report shows it:
 * the OOM killer's score, CPU time (and its rate between snapshots of a
 * recording) and GPU memory.
 *
 * @module
 */

import { type DrmClient, gpuMemoryKb, parseDrmFdinfo } from "../parse/drm_fdinfo.ts";
import { parseOomScore } from "../parse/oom_score.ts";
import { parseStat, type ProcStat } from "../parse/stat.ts";
import type { ProcSource } from "../source/proc_source.ts";
import type { Process } from "./snapshot.ts";

/** Which extras a report needs. */
export interface ExtrasWanted {
  /** /proc/PID/oom_score. */
  readonly oomScore?: boolean;
  /** utime + stime from /proc/PID/stat (read anyway). */
  readonly cpuTime?: boolean;
  /** CPU % since the source's previous snapshot (its stat and time). */
  readonly cpuPercent?: boolean;
  /** DRM clients' memory from /proc/PID/fdinfo/*. */
  readonly gpu?: boolean;
}

/** The extras of one process, as the Process model holds them. */
export type Extras = Pick<Process, "oomScore" | "cpuTicks" | "cpuPercent" | "gpuKb">;

/**
 * Reads the extras asked for. A file that cannot be read gives null
 * (unknown), never zero; malformed text throws.
 *
 * @throws {ParseError} When oom_score or a DRM fdinfo file is malformed.
 */
export async function readExtras(
  source: ProcSource,
  pid: number,
  { wanted, stat }: { wanted: ExtrasWanted; stat: ProcStat | undefined },
): Promise<Extras> {
  const extras: { -readonly [K in keyof Extras]: Extras[K] } = {};
  if (wanted.oomScore) {
    const file = `${pid}/oom_score`;
    const read = await source.read(file);
    extras.oomScore = read.status === "ok" ? parseOomScore(read.text, file) : null;
  }
  if (wanted.cpuTime) extras.cpuTicks = stat === undefined ? null : stat.utime + stat.stime;
  if (wanted.cpuPercent) extras.cpuPercent = await cpuPercent(source, pid, stat);
  if (wanted.gpu) extras.gpuKb = await readGpu(source, pid);
  return extras;
}

/** Clock ticks per second (USER_HZ): 100 on Linux's architectures but alpha. */
const TICKS_PER_SECOND = 100;

/**
 * CPU use between the source's previous snapshot and this one, in % of one
 * core, to 0.1: the growth of utime + stime over the time between them.
 * Null when there is no previous snapshot, either time is unknown, or the
 * process is not the same one there (a new pid, or a reused one: another
 * start time).
 */
async function cpuPercent(
  source: ProcSource,
  pid: number,
  stat: ProcStat | undefined,
): Promise<number | null> {
  const previous = source.previous;
  const now = Date.parse(source.recorded?.takenAt ?? "");
  const then = Date.parse(previous?.recorded?.takenAt ?? "");
  if (previous === undefined || stat === undefined || !(now > then)) return null;
  const file = `${pid}/stat`;
  const read = await previous.read(file);
  if (read.status !== "ok") return null;
  const before = parseStat(read.text, file);
  if (before.startTime !== stat.startTime) return null;
  const ticks = stat.utime + stat.stime - (before.utime + before.stime);
  const percent = (ticks / TICKS_PER_SECOND) / ((now - then) / 1000) * 100;
  return Math.round(percent * 10) / 10;
}

async function readGpu(source: ProcSource, pid: number): Promise<number | null> {
  const dir = `${pid}/fdinfo`;
  const listed = await source.list(dir);
  if (listed.status !== "ok") return null;
  const clients: DrmClient[] = [];
  for (const fd of listed.names) {
    const file = `${dir}/${fd}`;
    const read = await source.read(file);
    // A descriptor closed while listed is simply gone.
    const client = read.status === "ok" ? parseDrmFdinfo(read.text, file) : null;
    if (client !== null) clients.push(client);
  }
  return gpuMemoryKb(clients);
}
