/**
 * Per-process data beyond memory maps, read only when a report shows it:
 * the OOM killer's score, CPU time (and its rate between snapshots of a
 * recording) and GPU memory.
 *
 * @module
 */

import { type DrmClient, gpuMemoryKb, parseDrmFdinfo } from "../parse/drm_fdinfo.ts";
import { parseOomScore } from "../parse/oom_score.ts";
import type { ProcStat } from "../parse/stat.ts";
import type { ProcSource } from "../source/proc_source.ts";
import type { Process } from "./snapshot.ts";

/** Which extras a report needs. */
export interface ExtrasWanted {
  /** /proc/PID/oom_score. */
  readonly oomScore?: boolean;
  /** utime + stime from /proc/PID/stat (read anyway). */
  readonly cpuTime?: boolean;
  /** CPU % since the source's previous snapshot (reads CPU time in both). */
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
  // CPU % compares CPU times: the loader sets it from two snapshots' (cpu_percent.ts).
  if (wanted.cpuTime || wanted.cpuPercent) {
    extras.cpuTicks = stat === undefined ? null : stat.utime + stat.stime;
  }
  if (wanted.gpu) extras.gpuKb = await readGpu(source, pid);
  return extras;
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
