/**
 * The cpu_pct column: CPU use between a recording's snapshot and the one
 * before it, checked against the recording's own stat members and times,
 * read with GNU tar (every snapshot: tar -i reads past each gzip member).
 */

import { deepStrictEqual } from "node:assert/strict";
import { memsnapProcess, ROOT } from "../_helpers/memsnap.ts";

const RECORDING = `${ROOT}fixtures/charts/workload.tar.gz`;

const unpacked = await Deno.makeTempDir({ prefix: "memsnap-cpu-pct-" });
globalThis.addEventListener("unload", () => Deno.removeSync(unpacked, { recursive: true }));
const tar = await new Deno.Command("tar", { args: ["-xizf", RECORDING, "-C", unpacked] }).output();
deepStrictEqual(tar.success, true, new TextDecoder().decode(tar.stderr));

/** A snapshot's time (ms) and each process's [start time, utime + stime], from its members. */
async function snapshotAt(index: number) {
  const dir = `${unpacked}/${String(index).padStart(6, "0")}`;
  const meta = JSON.parse(await Deno.readTextFile(`${dir}/memsnap.json`));
  const processes = new Map<number, [number, number]>();
  for await (const entry of Deno.readDir(`${dir}/proc`)) {
    if (!/^\d+$/.test(entry.name)) continue;
    const stat = await Deno.readTextFile(`${dir}/proc/${entry.name}/stat`);
    // Fields after the name: state is field 3, utime 14, stime 15, starttime 22.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).trim().split(" ");
    const field = (n: number) => Number(fields[n - 3]);
    processes.set(Number(entry.name), [field(22), field(14) + field(15)]);
  }
  return { ms: Date.parse(meta.takenAt), processes };
}

/** What cpu_pct must be for each pid of snapshot N: % of one core, to 0.1. */
async function expectedCpuPercent(index: number): Promise<Record<string, number | null>> {
  const [before, now] = [await snapshotAt(index - 1), await snapshotAt(index)];
  const seconds = (now.ms - before.ms) / 1000;
  const expected: Record<string, number | null> = {};
  for (const [pid, [start, ticks]] of now.processes) {
    const then = before.processes.get(pid);
    expected[pid] = then === undefined || then[0] !== start
      ? null
      : Math.round((ticks - then[1]) / 100 / seconds * 100 * 10) / 10;
  }
  return expected;
}

async function cpuPercentColumn(pick: string): Promise<Record<string, number | null>> {
  const { code, stdout, stderr } = await memsnapProcess([
    "-S",
    `${RECORDING}@${pick}`,
    "-c",
    "pid cpu_pct",
    "--format",
    "json",
  ]);
  deepStrictEqual([code, stderr], [0, ""]);
  const rows: { pid: number; cpu_pct: number | null }[] = JSON.parse(stdout).rows;
  return Object.fromEntries(rows.map((row) => [row.pid, row.cpu_pct]));
}

Deno.test("cpu_pct is the CPU time a process used since the snapshot before, per second", async () => {
  for (const index of [1, 5, 12, 29]) {
    deepStrictEqual(
      await cpuPercentColumn(String(index)),
      await expectedCpuPercent(index),
      `@${index}`,
    );
  }
  // Some process used the CPU in between: the column is not all zeros.
  const busy = Object.values(await expectedCpuPercent(5)).filter((p) => p !== null && p > 0);
  deepStrictEqual(busy.length > 0, true);
});

Deno.test("cpu_pct is unknown at @first, and @last compares with the snapshot before it", async () => {
  const first = await cpuPercentColumn("first");
  deepStrictEqual(Object.values(first).every((p) => p === null), true, JSON.stringify(first));
  deepStrictEqual(await cpuPercentColumn("last"), await expectedCpuPercent(29));
});

Deno.test("cpu_pct is unknown on the live system and on a capture, shown as -", async () => {
  const live = await memsnapProcess(["-c", "pid cpu_pct", "-H"]);
  deepStrictEqual(live.code, 0, live.stderr);
  const cells = live.stdout.trim().split("\n").map((line) => line.trim().split(/ +/)[1]);
  deepStrictEqual(new Set(cells), new Set(["-"]));
  const capture = await memsnapProcess([
    "-S",
    `${ROOT}fixtures/captures/n8.tar.gz`,
    "-c",
    "cpu_pct",
    "-H",
    "-t",
  ]);
  deepStrictEqual(capture.stdout.split("\n").slice(0, 2).map((l) => l.trim()), ["-", "-"]);
});
