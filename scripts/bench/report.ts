/**
 * The benchmark's tables, as Markdown: the machine, the side-by-side table
 * with its ratios, the scale run and the recording.
 *
 * @module
 */

import type { Measurement } from "./measure.ts";
import { modeName, type RecordingFigures, type SampledRecording } from "./sampling.ts";

/** A timed command and what its ratios are taken against (by row name). */
interface Compared {
  readonly name: string;
  readonly smem?: string;
  readonly floor?: string;
  readonly smemstat?: boolean;
}

/** The machine: date, cores, CPU model, kernel, memory. */
export async function machineLines(): Promise<string[]> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo");
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? "unknown";
  const meminfo = await Deno.readTextFile("/proc/meminfo");
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? 0);
  const kernel = (await Deno.readTextFile("/proc/sys/kernel/osrelease")).trim();
  // Other work on the machine slows every row alike; the load says how busy it was.
  const load = (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  return [
    `Measured ${
      new Date().toISOString().slice(0, 16).replace("T", " ")
    } UTC on ${navigator.hardwareConcurrency} cores (nproc), ${model}, Linux ${kernel}, ${
      (memKb / 1048576).toFixed(1)
    } GiB RAM; load average at the start ${load}.`,
  ];
}

const FLOORS: Record<string, string> = {
  rollup: "floor: cat every smaps_rollup",
  smaps: "floor: cat every smaps",
};

function ratio(a: number, b: number | undefined): string {
  return b === undefined || b === 0 ? "" : `${(a / b).toFixed(2)}x`;
}

/** The side-by-side table, one block per N. */
export function renderMain(
  blocks: readonly { n: number; results: readonly Measurement[] }[],
  compared: readonly Compared[],
): string {
  const lines = [
    "| N | command | wall s | CPU s | peak RSS MiB | / smem | / smemstat | / floor |",
    "|--:|---|--:|--:|--:|--:|--:|--:|",
  ];
  for (const { n, results } of blocks) {
    const byName = new Map(results.map((r) => [r.name, r]));
    for (const r of results) {
      const c = compared.find((c) => c.name === r.name);
      const smem = c?.smem === undefined ? undefined : byName.get(c.smem);
      const floor = c?.floor === undefined ? undefined : byName.get(c.floor);
      const smemstat = c?.smemstat ? byName.get("smemstat") : undefined;
      lines.push(
        `| ${n} | ${FLOORS[r.name] ?? r.name} | ${r.wall.toFixed(3)} | ${r.cpu.toFixed(2)} | ${
          (r.peakKib / 1024).toFixed(1)
        } | ${ratio(r.wall, smem?.wall)} | ${ratio(r.wall, smemstat?.wall)} | ${
          ratio(r.wall, floor?.wall)
        } |`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

/** One view timed on the generated mirrors. */
export interface ScaleRow extends Measurement {
  readonly processes: number;
}

/** The scale run: each view at each size, and the growth from the smallest to the largest. */
export function renderScale(rows: readonly ScaleRow[]): string {
  const sizes = [...new Set(rows.map((r) => r.processes))].sort((a, b) => a - b);
  if (sizes.length === 0) return "";
  const views = [...new Set(rows.map((r) => r.name))];
  const first = sizes[0]!;
  const last = sizes.at(-1)!;
  const lines = [
    `Scale: \`memsnap -S DIR\` on generated mirrors (scripts/bench/mirror.ts), wall s / peak RSS MiB:`,
    "",
    `| view | ${sizes.map((n) => `${n} processes`).join(" | ")} | growth ${first} → ${last} (x${
      last / first
    } processes) |`,
    `|---|${sizes.map(() => "--:|").join("")}--:|`,
  ];
  for (const view of views) {
    const at = (n: number) => rows.find((r) => r.name === view && r.processes === n)!;
    lines.push(
      `| ${view} | ${
        sizes.map((n) => `${at(n).wall.toFixed(3)} s / ${(at(n).peakKib / 1024).toFixed(1)} MiB`)
          .join(" | ")
      } | time x${(at(last).wall / at(first).wall).toFixed(1)}, memory x${
        (at(last).peakKib / at(first).peakKib).toFixed(2)
      } |`,
    );
  }
  return lines.join("\n") + "\n";
}

/** One target of issue 7 and whether this run met it. */
interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

/** The issue's targets against this run's figures (ratios of medians). */
export function renderTargets(
  blocks: readonly { n: number; results: readonly Measurement[] }[],
  sampling:
    | { n: number; exact: RecordingFigures; sampled: readonly SampledRecording[] }
    | undefined,
): string {
  const verdicts: Verdict[] = [];
  const at = (n: number, name: string) =>
    blocks.find((b) => b.n === n)?.results.find((r) => r.name === name);
  const wallRatio = (n: number, name: string, floor: string, limit: number) => {
    const a = at(n, name);
    const b = at(n, floor);
    if (a === undefined || b === undefined) return;
    const ratio = a.wall / b.wall;
    verdicts.push({
      target: `\`${name}\` at N = ${n}: at most ${limit}x ${FLOORS[floor]}`,
      measured: `${ratio.toFixed(2)}x (${a.wall.toFixed(3)} s / ${b.wall.toFixed(3)} s)`,
      met: ratio <= limit,
    });
  };
  const largest = Math.max(...blocks.map((b) => b.n));
  for (const name of ["memsnap", "memsnap -u"]) {
    wallRatio(1000, name, "rollup", 0.7);
    wallRatio(200, name, "rollup", 0.9);
  }
  wallRatio(1000, "memsnap -m", "smaps", 0.9);
  for (
    const [name, smem] of [["memsnap", "smem"], ["memsnap -u", "smem -u"], [
      "memsnap -m",
      "smem -m",
    ]]
  ) {
    const a = at(largest, name!);
    const b = at(largest, smem!);
    if (a === undefined || b === undefined) continue;
    verdicts.push({
      target: `\`${name}\` peak RSS at N = ${largest}: at most 2.5x \`${smem}\`'s`,
      measured: `${(a.peakKib / b.peakKib).toFixed(2)}x (${(a.peakKib / 1024).toFixed(1)} MiB / ${
        (b.peakKib / 1024).toFixed(1)
      } MiB)`,
      met: a.peakKib <= 2.5 * b.peakKib,
    });
  }
  if (sampling !== undefined) {
    const { n, exact, sampled } = sampling;
    const [carried] = sampled;
    const share = (r: RecordingFigures) => r.cpu / r.wall;
    verdicts.push({
      target:
        `recording at 1 s, N = ${n}, every process walked (\`--refresh 0\`): under 10 % of one core (issue 7)`,
      measured: `${(100 * share(exact)).toFixed(1)} %`,
      met: share(exact) < 0.1,
    });
    if (carried !== undefined) {
      verdicts.push({
        target: `recording at 1 s, N = ${n}, the defaults: at most 10 % of one core (issue 13)`,
        measured: `${(100 * share(carried)).toFixed(1)} %`,
        met: share(carried) <= 0.1,
      });
      verdicts.push({
        target:
          `the defaults: every snapshot's total PSS (the workload's) within 0.5 % of an exact read (issue 13)`,
        measured: `${(100 * carried.maxError).toFixed(3)} % at most`,
        met: carried.maxError <= 0.005,
      });
    }
    for (const r of [exact, ...sampled]) {
      verdicts.push({
        target: `recording \`${modeName(r.args)}\`: every snapshot on schedule`,
        measured: `${r.onSchedule} of ${r.snapshots}`,
        met: r.onSchedule === r.snapshots,
      });
    }
  }
  return [
    "Targets (issues 7 and 13), from the figures above:",
    "",
    "| target | measured | met |",
    "|---|--:|---|",
    ...verdicts.map((v) => `| ${v.target} | ${v.measured} | ${v.met ? "yes" : "**no**"} |`),
    "",
  ].join("\n");
}
