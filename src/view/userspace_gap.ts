/**
 * The system tree's userspace beside the processes' own PSS: the kernel's
 * count of mapped user memory against the sum memsnap read process by
 * process, and the reasons they differ.
 *
 * @module
 */

import type { Process, Skipped } from "../snapshot/snapshot.ts";
import { counted } from "../units/plural.ts";

/** Mapped userspace by meminfo and by the processes, and why they differ. */
export interface UserspaceGap {
  /** AnonPages + Mapped, kB: every user page some process maps; null if unknown. */
  readonly mappedKb: number | null;
  /** The sum of the PSS of the processes read, kB. */
  readonly processesPssKb: number;
  /** The processes read. */
  readonly processes: number;
  /** mappedKb - processesPssKb; null if unknown. */
  readonly gapKb: number | null;
  /** Processes whose memory could not be read (another user's, without root). */
  readonly unreadable: number;
  /** Processes that exited while they were read. */
  readonly vanished: number;
  /** Kernel threads: counted, but they map no user memory. */
  readonly kernelThreads: number;
}

/**
 * Compares meminfo's mapped userspace with the processes' PSS. Each user
 * page is shared out among the processes that map it, so the PSS of every
 * process sums to AnonPages + Mapped but for the processes not read, the
 * rounding of each process's PSS to kB, and what changed between reading
 * meminfo and reading the processes.
 */
export function userspaceGap(
  meminfo: Readonly<Record<string, number>>,
  processes: readonly Process[],
  skipped: Skipped,
): UserspaceGap {
  const { AnonPages: anon, Mapped: mapped } = meminfo;
  const mappedKb = anon === undefined || mapped === undefined ? null : anon + mapped;
  const processesPssKb = processes.reduce((sum, p) => sum + (p.totals.pss ?? 0), 0);
  return {
    mappedKb,
    processesPssKb,
    processes: processes.length,
    gapKb: mappedKb === null ? null : mappedKb - processesPssKb,
    unreadable: skipped.unreadable,
    vanished: skipped.vanished,
    kernelThreads: skipped.kernelThreads,
  };
}

/** Sum of the processes' Pss_Shmem: the shmem they map; undefined if none has it. */
export function mappedShmemKb(processes: readonly Process[]): number | undefined {
  const values = processes.map((p) => p.totals.pssShmem);
  if (values.length === 0 || values.some((v) => v === undefined)) return undefined;
  return values.reduce<number>((a, b) => a + b!, 0);
}

/** The comparison in words, for the text report (lines without newlines). */
export function describeGap(gap: UserspaceGap): string[] {
  const kb = (value: number | null) => value === null ? "unknown" : `${value} kB`;
  return [
    `userspace mapped (AnonPages + Mapped): ${kb(gap.mappedKb)}; PSS of the ${
      counted(gap.processes, "process")
    } read: ${gap.processesPssKb} kB; gap: ${kb(gap.gapKb)}`,
    `the gap: processes not read (not in the source, ${gap.unreadable} unreadable, ${gap.vanished} exited while read), ` +
    `PSS rounding, and changes between reading meminfo and the processes; ` +
    `kernel threads (${gap.kernelThreads}) map no user memory`,
  ];
}
