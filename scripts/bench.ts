/**
 * `deno task bench`: memsnap side by side with smem, smemstat and the
 * kernel's own floor (cat of every smaps_rollup, every smaps), on a
 * synthetic workload of N processes; then a scale run on generated
 * mirrors and a one-minute recording. Prints one table and writes it into
 * docs/PERFORMANCE.md (between the bench markers) with the machine and date.
 *
 *     deno task bench                full run (about 15 minutes)
 *     deno task bench -- --quick     short run, printed only
 *
 * Options: --quick, --sizes 200,1000, --runs 5, --warmup 1,
 * --scale 1000,10000, --record-seconds 60, --large-gib 8, --no-write.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { measure, type Measurement, type Runs } from "./bench/measure.ts";
import { makeScaleMirror } from "./bench/mirror.ts";
import { machineLines, renderMain, renderScale, renderTargets } from "./bench/report.ts";
import { largeProcessRun, renderSampling, samplingRuns } from "./bench/sampling.ts";
import { startWorkload, type Workload } from "./bench/workload.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const MEMSNAP = `${ROOT}dist/memsnap`;
const DOC = `${ROOT}docs/PERFORMANCE.md`;

const { values } = parseArgs({
  // `deno task bench -- --quick` passes the "--" on.
  args: Deno.args[0] === "--" ? Deno.args.slice(1) : Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    sizes: { type: "string" },
    runs: { type: "string" },
    warmup: { type: "string" },
    scale: { type: "string" },
    "record-seconds": { type: "string" },
    "large-gib": { type: "string" },
    "no-write": { type: "boolean", default: false },
  },
});
const list = (text: string | undefined, quick: string, full: string) =>
  (text ?? (values.quick ? quick : full)).split(",").filter(Boolean).map(Number);
const sizes = list(values.sizes, "200", "200,1000");
const scale = list(values.scale, "1000,2000", "1000,10000");
const runs: Runs = {
  warmup: Number(values.warmup ?? 1),
  runs: Number(values.runs ?? (values.quick ? 2 : 5)),
};
const recordSeconds = Number(values["record-seconds"] ?? (values.quick ? 10 : 60));
const largeGib = Number(values["large-gib"] ?? (values.quick ? 1 : 8));
const write = !values.quick && !values["no-write"];

/** One timed command; `compare` names the rows its ratios are taken against. */
export interface Case {
  readonly name: string;
  readonly argv: readonly string[];
  readonly smem?: string;
  readonly floor?: string;
  readonly smemstat?: boolean;
}

function cases(tmp: string): Case[] {
  const capture = (detail: string) => [
    MEMSNAP,
    "capture",
    "--detail",
    detail,
    "--force",
    "-o",
    `${tmp}/capture.tar.gz`,
  ];
  const sh = (script: string) => ["sh", "-c", script];
  return [
    { name: "memsnap", argv: [MEMSNAP], smem: "smem", floor: "rollup", smemstat: true },
    { name: "memsnap -u", argv: [MEMSNAP, "-u"], smem: "smem -u", floor: "rollup" },
    { name: "memsnap -m", argv: [MEMSNAP, "-m"], smem: "smem -m", floor: "smaps", smemstat: true },
    { name: "memsnap capture --detail rollup", argv: capture("rollup"), floor: "rollup" },
    { name: "memsnap capture --detail full", argv: capture("full"), floor: "smaps" },
    {
      name: "deno run main.ts (reference)",
      argv: ["deno", "run", "-A", `${ROOT}main.ts`],
      smem: "smem",
      floor: "rollup",
    },
    { name: "memsnap --version (start-up alone)", argv: [MEMSNAP, "--version"] },
    { name: "smem", argv: ["smem"] },
    { name: "smem -u", argv: ["smem", "-u"] },
    { name: "smem -m", argv: ["smem", "-m"] },
    { name: "smemstat", argv: ["smemstat"] },
    { name: "rollup", argv: sh("cat /proc/[0-9]*/smaps_rollup >/dev/null 2>&1; true") },
    { name: "smaps", argv: sh("cat /proc/[0-9]*/smaps >/dev/null 2>&1; true") },
  ];
}

async function ensureTools(): Promise<void> {
  const wanted = [
    ["/usr/bin/hyperfine", "hyperfine"],
    ["/usr/bin/smem", "smem"],
    ["/usr/bin/smemstat", "smemstat"],
    ["/usr/bin/time", "time"],
  ];
  const missing = [];
  for (const [path, pkg] of wanted) {
    if (!await Deno.stat(path!).then(() => true, () => false)) missing.push(pkg!);
  }
  if (missing.length > 0) {
    console.error(`bench: installing ${missing.join(", ")} from Debian`);
    const sudo = Deno.uid() === 0 ? [] : ["sudo"];
    await run([...sudo, "apt-get", "update", "-qq"]);
    await run([...sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", ...missing]);
  }
  if (!await Deno.stat(MEMSNAP).then(() => true, () => false)) {
    await run(["deno", "task", "compile"]);
  }
}

async function run(argv: readonly string[]): Promise<string> {
  const { success, stdout } = await new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    stdout: "piped",
    stderr: "inherit",
    env: { DEBIAN_FRONTEND: "noninteractive" },
  }).output();
  if (!success) throw new Error(`${argv.join(" ")} failed`);
  return new TextDecoder().decode(stdout);
}

async function withWorkload<T>(n: number, body: (w: Workload) => Promise<T>): Promise<T> {
  console.error(`bench: starting ${n} processes`);
  const workload = await startWorkload(n);
  const stop = () => {
    workload.stop().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  try {
    return await body(workload);
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    Deno.removeSignalListener("SIGTERM", stop);
    await workload.stop();
  }
}

async function timeCases(tmp: string, n: number): Promise<Measurement[]> {
  const results = [];
  for (const c of cases(tmp)) {
    console.error(`bench: N=${n} ${c.name}`);
    results.push(await measure(c.name, c.argv, runs));
  }
  return results;
}

async function scaleRun(tmp: string) {
  const rows = [];
  for (const n of scale) {
    console.error(`bench: scale mirror of ${n} processes`);
    const dir = await makeScaleMirror(n, `${tmp}/mirror-${n}`);
    for (const [name, flag] of [["memsnap", []], ["memsnap -u", ["-u"]], ["memsnap -m", ["-m"]]]) {
      const m = await measure(name as string, [MEMSNAP, "-S", dir, ...flag!], {
        warmup: 1,
        runs: Math.min(runs.runs, 3),
      });
      rows.push({ processes: n, ...m });
    }
    await Deno.remove(dir, { recursive: true });
  }
  return rows;
}

async function main() {
  await ensureTools();
  const tmp = await Deno.makeTempDir({ prefix: "memsnap-bench-" });
  try {
    const machine = await machineLines();
    const main: { n: number; results: Measurement[] }[] = [];
    let sampling: Awaited<ReturnType<typeof samplingRuns>> | undefined;
    const largest = Math.max(...sizes);
    for (const n of sizes) {
      await withWorkload(n, async () => {
        main.push({ n, results: await timeCases(tmp, n) });
        if (n === largest) {
          sampling = await samplingRuns(MEMSNAP, tmp, recordSeconds, [[], ["--refresh", "30s"]]);
        }
      });
    }
    const large = largeGib > 0 ? await largeProcessRun(MEMSNAP, largeGib, runs) : undefined;
    const scaleRows = await scaleRun(tmp);
    const text = [
      ...machine,
      "",
      renderMain(main, cases(tmp)),
      renderScale(scaleRows),
      sampling === undefined ? "" : renderSampling(largest, sampling, large),
      renderTargets(main, sampling === undefined ? undefined : { n: largest, ...sampling }),
    ].join("\n");
    console.log(text);
    if (write) await writeDoc(text);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

const START = "<!-- bench:start (written by deno task bench) -->";
const END = "<!-- bench:end -->";

async function writeDoc(text: string): Promise<void> {
  const doc = await Deno.readTextFile(DOC).catch(() => `# Performance\n\n${START}\n${END}\n`);
  const [before, rest] = doc.split(START);
  const after = rest?.split(END)[1] ?? "\n";
  await Deno.writeTextFile(DOC, `${before}${START}\n\n${text}\n${END}${after}`);
  // As deno fmt --check (the check task) wants the tables.
  await run([Deno.execPath(), "fmt", DOC]);
  console.error(`bench: wrote ${DOC}`);
}

if (import.meta.main) await main();
