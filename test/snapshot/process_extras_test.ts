import { deepStrictEqual } from "node:assert/strict";
import { readExtras } from "../../src/snapshot/process_extras.ts";
import { parseStat } from "../../src/parse/stat.ts";
import { memorySource } from "../../src/source/memory_source.ts";
import type { ProcSource } from "../../src/source/proc_source.ts";

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

/** A recorded snapshot taken at `takenAt`, with `previous` before it. */
function snapshot(
  files: Record<string, string>,
  takenAt: string,
  previous?: ProcSource,
): ProcSource {
  return {
    ...memorySource({ files }),
    recorded: { takenAt, hostname: null, kernel: null, pageSize: null },
    ...(previous !== undefined && { previous }),
  };
}

const before = snapshot(
  {
    "10/stat": stat(10, { utime: 100, stime: 50, start: 7 }),
    "11/stat": stat(11, { utime: 0, stime: 0, start: 8 }),
  },
  "2026-11-25T10:00:00.000Z",
);
const now = snapshot(
  {
    // 10: 150 more ticks (1.5 s of CPU) in 2 s: 75 %.
    "10/stat": stat(10, { utime: 200, stime: 100, start: 7 }),
    // 11: the pid reused by another process (a later start time).
    "11/stat": stat(11, { utime: 5, stime: 0, start: 900 }),
    // 12: new since the snapshot before.
    "12/stat": stat(12, { utime: 3, stime: 0, start: 950 }),
  },
  "2026-11-25T10:00:02.000Z",
  before,
);

async function cpuPercentOf(source: ProcSource, pid: number) {
  const text = (await source.read(`${pid}/stat`)) as { text: string };
  const extras = await readExtras(source, pid, {
    wanted: { cpuPercent: true },
    stat: parseStat(text.text, `${pid}/stat`),
  });
  return extras.cpuPercent;
}

Deno.test("readExtras() gives CPU % since the previous snapshot, to 0.1 % of one core", async () => {
  deepStrictEqual(await cpuPercentOf(now, 10), 75);
});

Deno.test("readExtras() gives no CPU % to a reused pid, a new process or a first snapshot", async () => {
  deepStrictEqual(await cpuPercentOf(now, 11), null);
  deepStrictEqual(await cpuPercentOf(now, 12), null);
  deepStrictEqual(await cpuPercentOf(before, 10), null);
});
