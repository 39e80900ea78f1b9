/** CPU % between two snapshots: a pure function of the pair, and what the loader gives. */

import { deepStrictEqual } from "node:assert/strict";
import { withCpuPercent } from "../../src/snapshot/cpu_percent.ts";
import { loadSnapshot } from "../../src/snapshot/load_snapshot.ts";
import type { Process, Snapshot } from "../../src/snapshot/snapshot.ts";
import { memorySource } from "../../src/source/memory_source.ts";
import type { ProcSource } from "../../src/source/proc_source.ts";

/** A process with the fields CPU % reads. */
function process(pid: number, cpuTicks: number | null, startTime: number): Process {
  return {
    pid,
    ppid: 1,
    uid: 0,
    gid: 0,
    name: "x",
    cmdline: ["x"],
    startTime,
    totals: {},
    mapCount: null,
    cpuTicks,
  };
}

function snapshot(takenAt: string | null, processes: readonly Process[]): Snapshot {
  return {
    takenAt,
    host: { hostname: null, kernel: null, pageSize: null },
    meminfo: {},
    users: {},
    detail: "rollup",
    processes,
    skipped: { kernelThreads: 0, unreadable: 0, vanished: 0, withoutMappings: 0 },
  };
}

const BEFORE = snapshot("2026-11-25T10:00:00.000Z", [process(10, 150, 7), process(11, 0, 8)]);
const NOW = snapshot("2026-11-25T10:00:02.000Z", [
  // 10: 150 more ticks (1.5 s of CPU) in 2 s: 75 %.
  process(10, 300, 7),
  // 11: the pid reused by another process (a later start time).
  process(11, 5, 900),
  // 12: new since the snapshot before.
  process(12, 3, 950),
  // 13: its CPU time could not be read.
  process(13, null, 960),
]);

const percents = (s: Snapshot) => s.processes.map((p) => [p.pid, p.cpuPercent]);

Deno.test("withCpuPercent() gives CPU % since the previous snapshot, to 0.1 % of one core", () => {
  deepStrictEqual(percents(withCpuPercent(NOW, BEFORE))[0], [10, 75]);
  const third = snapshot("2026-11-25T10:00:05.000Z", [process(10, 301, 7)]);
  // 1 tick in 3 s: 0.333... %, to 0.1.
  deepStrictEqual(percents(withCpuPercent(third, NOW)), [[10, 0.3]]);
});

Deno.test("withCpuPercent() gives none to a reused pid, a new process, an unknown CPU time or a first snapshot", () => {
  deepStrictEqual(percents(withCpuPercent(NOW, BEFORE)).slice(1), [[11, null], [12, null], [
    13,
    null,
  ]]);
  deepStrictEqual(percents(withCpuPercent(BEFORE, null)), [[10, null], [11, null]]);
  // Times unknown, or not later: no rate.
  deepStrictEqual(percents(withCpuPercent(snapshot(null, NOW.processes), BEFORE))[0], [10, null]);
  deepStrictEqual(percents(withCpuPercent(BEFORE, NOW))[0], [10, null]);
});

/** A stat line with the fields cpu_pct reads: utime (14), stime (15), starttime (22). */
function stat(
  pid: number,
  { utime, stime, start }: { utime: number; stime: number; start: number },
) {
  const after = Array.from({ length: 50 }, () => "0");
  after[0] = "S";
  after[14 - 3] = String(utime);
  after[15 - 3] = String(stime);
  after[22 - 3] = String(start);
  return `${pid} (x) ${after.join(" ")}\n`;
}

const MEMINFO = "MemTotal: 1000 kB\nMemFree: 500 kB\n";
const ROLLUP = "00400000-7fff0000 ---p 00000000 00:00 0 [rollup]\nRss: 8 kB\nPss: 4 kB\n";

/** A recorded snapshot taken at `takenAt`, with `previous` before it. */
function source(
  stats: Record<number, string>,
  takenAt: string,
  previous?: ProcSource,
): ProcSource {
  const files: Record<string, string> = { meminfo: MEMINFO };
  for (const [pid, text] of Object.entries(stats)) {
    files[`${pid}/stat`] = text;
    files[`${pid}/cmdline`] = "x\0";
    files[`${pid}/smaps_rollup`] = ROLLUP;
  }
  return {
    ...memorySource({ files }),
    recorded: { takenAt, hostname: null, kernel: null, pageSize: null },
    ...(previous !== undefined && { previous }),
  };
}

Deno.test("loadSnapshot() gives CPU % from the source's previous snapshot when asked for it", async () => {
  const before = source({ 10: stat(10, { utime: 100, stime: 50, start: 7 }) }, BEFORE.takenAt!);
  const now = source(
    {
      10: stat(10, { utime: 200, stime: 100, start: 7 }),
      12: stat(12, { utime: 3, stime: 0, start: 950 }),
    },
    NOW.takenAt!,
    before,
  );
  const needs = { processes: true, mappings: false, rollupCounters: false };
  const loaded = await loadSnapshot(now, { ...needs, extras: { cpuPercent: true } });
  deepStrictEqual(percents(loaded), [[10, 75], [12, null]]);
  const first = await loadSnapshot(before, { ...needs, extras: { cpuPercent: true } });
  deepStrictEqual(percents(first), [[10, null]]);
  // Not asked for: not computed.
  deepStrictEqual(percents(await loadSnapshot(now, needs)), [[10, undefined], [12, undefined]]);
});
