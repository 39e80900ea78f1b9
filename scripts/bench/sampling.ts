/**
 * What sampling costs (docs/sampling.md): recordings of the workload with
 * every process walked every second, and with walks carried (the default
 * --refresh, and a longer one), each beside a recording that walks every
 * process at the same moments, so that every snapshot's total PSS is
 * compared with an exact read of the same second; then one process of
 * several GiB, whose page tables a walk locks, read with and without
 * --max-rss.
 *
 * @module
 */

import { isLate } from "../../src/render/list_text.ts";
import { measure, type Measurement, type Runs } from "./measure.ts";
import { startResidentProcess } from "./workload.ts";

/** One recording's figures. */
export interface RecordingFigures {
  /** The options that set how it samples. */
  readonly args: readonly string[];
  readonly wall: number;
  /** User + system seconds. */
  readonly cpu: number;
  readonly peakKib: number;
  readonly snapshots: number;
  readonly onSchedule: number;
  readonly maxLateMs: number;
  readonly bytes: number;
  /** Each snapshot's total PSS, kB. */
  readonly pss: readonly number[];
}

/** A sampled recording, and the largest gap of its total PSS to an exact one of the same seconds. */
export interface SampledRecording extends RecordingFigures {
  /** |PSS - exact PSS| / exact PSS, the largest over the snapshots both took. */
  readonly maxError: number;
  /** Snapshots compared. */
  readonly compared: number;
}

/**
 * Records for `seconds` with `args` under GNU time; resolves with its
 * figures. Two started together take their snapshots in the same seconds.
 */
export async function record(
  memsnap: string,
  file: string,
  seconds: number,
  args: readonly string[],
): Promise<RecordingFigures> {
  const timeFile = `${file}.time`;
  const argv = ["-o", timeFile, "-f", "%e %U %S %M", memsnap, "record", "-q", "--force"]
    .concat(["--interval", "1s", "--detail", "rollup", "--duration", `${seconds}s`, "-o", file])
    .concat(args);
  const { success } = await new Deno.Command("/usr/bin/time", { args: argv }).output();
  if (!success) throw new Error(`memsnap record ${args.join(" ")} failed`);
  const [wall, user, sys, peakKib] = (await Deno.readTextFile(timeFile)).trim().split("\n").at(-1)!
    .split(" ").map(Number);
  const listed = await new Deno.Command(memsnap, {
    args: ["list", "--format", "json", file],
    stdout: "piped",
  }).output();
  const { snapshots, recording } = JSON.parse(new TextDecoder().decode(listed.stdout));
  const intervalMs = recording?.intervalMs ?? 1000;
  const late: number[] = snapshots.map((s: { lateMs: number }) => s.lateMs);
  return {
    args,
    wall: wall!,
    cpu: user! + sys!,
    peakKib: peakKib!,
    snapshots: late.length,
    onSchedule: late.filter((ms) => !isLate(ms, intervalMs)).length,
    maxLateMs: Math.max(...late),
    bytes: (await Deno.stat(file)).size,
    pss: snapshots.map((s: { pss: number }) => s.pss),
  };
}

/**
 * Each sampled recording beside an exact one (--refresh 0) taken at the
 * same moments; the exact one's own figures come with the first pair.
 */
export async function samplingRuns(
  memsnap: string,
  tmp: string,
  seconds: number,
  modes: readonly (readonly string[])[],
): Promise<{ exact: RecordingFigures; sampled: SampledRecording[] }> {
  let exact: RecordingFigures | undefined;
  const sampled: SampledRecording[] = [];
  for (const [i, args] of modes.entries()) {
    console.error(`bench: recording ${seconds} s with ${args.join(" ") || "the defaults"}`);
    // Each records both recorders (--include-self), so that both totals hold the same processes.
    const [reference, figures] = await Promise.all([
      record(memsnap, `${tmp}/exact-${i}.tar.gz`, seconds, ["--refresh", "0", "--include-self"]),
      record(memsnap, `${tmp}/sampled-${i}.tar.gz`, seconds, [...args, "--include-self"]),
    ]);
    exact ??= reference;
    // The workload's processes: the recorders' own memory moves between two reads of one second.
    const compared = Math.min(reference.pss.length, figures.pss.length);
    const errors = [];
    for (let k = 0; k < compared; k++) {
      const a = await workloadPss(memsnap, `${tmp}/sampled-${i}.tar.gz@${k}`);
      const b = await workloadPss(memsnap, `${tmp}/exact-${i}.tar.gz@${k}`);
      errors.push(Math.abs(a - b) / b);
    }
    sampled.push({ ...figures, maxError: Math.max(0, ...errors), compared });
  }
  return { exact: exact!, sampled };
}

/** The total PSS of the benchmark workload's processes in a snapshot, kB. */
async function workloadPss(memsnap: string, source: string): Promise<number> {
  const { stdout } = await new Deno.Command(memsnap, {
    args: ["-S", source, "-P", "bench_workload", "-c", "pid pss", "--format", "json"],
    stdout: "piped",
  }).output();
  return JSON.parse(new TextDecoder().decode(stdout)).totals.pss;
}

/** What a walk of one large process costs it, and what --max-rss spares it. */
export interface LargeProcessFigures {
  readonly gib: number;
  /** Reading its smaps_rollup once: the kernel walks its page tables under its lock. */
  readonly walk: Measurement;
  /** memsnap's report, walking it. */
  readonly walked: Measurement;
  /** memsnap's report with --max-rss below its RSS: not walked. */
  readonly spared: Measurement;
}

/**
 * Starts a process holding `gib` GiB resident (every page touched), then
 * times a walk of it and memsnap's report with and without --max-rss.
 */
export async function largeProcessRun(
  memsnap: string,
  gib: number,
  runs: Runs,
): Promise<LargeProcessFigures> {
  console.error(`bench: a process of ${gib} GiB`);
  const child = await startResidentProcess(gib);
  try {
    // "[b]": the pattern matches the process's command line, not memsnap's own.
    const report = ["-c", "pid name rss pss", "-P", "[b]ytearray"];
    const ceiling = `${Math.max(1, Math.floor(gib / 2))}G`;
    return {
      gib,
      walk: await measure("walk", ["cat", `/proc/${child.pid}/smaps_rollup`], runs),
      walked: await measure("walked", [memsnap, ...report], runs),
      spared: await measure("spared", [memsnap, ...report, "--max-rss", ceiling], runs),
    };
  } finally {
    await child.stop();
  }
}

/** A sampled recording's options, without the one every bench recording has. */
export function modeName(args: readonly string[]): string {
  return args.filter((a) => a !== "--include-self").join(" ") ||
    "(defaults: --refresh 5 intervals)";
}

/** The sampling runs, as Markdown. */
export function renderSampling(
  n: number,
  runs: { exact: RecordingFigures; sampled: readonly SampledRecording[] },
  large: LargeProcessFigures | undefined,
): string {
  const share = (r: RecordingFigures) =>
    `${(100 * r.cpu / r.wall).toFixed(1)} % (${r.cpu.toFixed(2)} s in ${r.wall.toFixed(1)} s)`;
  const row = (name: string, r: RecordingFigures, error: string) =>
    `| ${name} | ${
      share(r)
    } | ${r.onSchedule} of ${r.snapshots} | +${r.maxLateMs} ms | ${error} | ${
      Math.round(r.bytes / r.snapshots)
    } | ${(r.peakKib / 1024).toFixed(1)} |`;
  const lines = [
    `Sampling: \`memsnap record --interval 1s --detail rollup\` at N = ${n}, each sampled recording beside one that walks every process (\`--refresh 0\`) at the same seconds:`,
    "",
    "| recording | CPU (% of one core) | on schedule | latest start | largest gap of the workload's total PSS to the exact one | bytes per snapshot | peak RSS MiB |",
    "|---|--:|--:|--:|--:|--:|--:|",
    row("`--refresh 0` (every process walked)", runs.exact, "(reference)"),
    ...runs.sampled.map((r) =>
      row(
        `\`${modeName(r.args)}\``,
        r,
        `${(100 * r.maxError).toFixed(3)} % (${r.compared} snapshots)`,
      )
    ),
    "",
  ];
  if (large !== undefined) {
    lines.push(
      `A process of ${large.gib} GiB resident: a walk of it (\`cat /proc/PID/smaps_rollup\`, its page tables locked meanwhile) takes ${
        (1000 * large.walk.wall).toFixed(1)
      } ms, paid by it on every sample that walks it. \`memsnap -P bytearray\` takes ${
        (1000 * large.walked.wall).toFixed(1)
      } ms walking it, ${
        (1000 * large.spared.wall).toFixed(1)
      } ms with \`--max-rss\` below its RSS (not walked: its stall 0 ms, its row RSS-only).`,
      "",
    );
  }
  return lines.join("\n");
}
