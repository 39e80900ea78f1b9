/**
 * What `--exact` costs (docs/exact.md): `memsnap -u` beside `memsnap -u
 * --exact` on the 1000-process workload, and a process of 4 GiB resident
 * read with and without `--exact`; wall time, CPU time and peak RSS, by
 * hyperfine and GNU time. Prints Markdown for docs/PERFORMANCE.md.
 *
 *     deno run -A scripts/bench/exact.ts [--memsnap dist/memsnap] [--processes 1000] [--gib 4] [--runs 3]
 *
 * Needs root (frame numbers), hyperfine and /usr/bin/time.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { measure, type Measurement } from "./measure.ts";
import { startResidentProcess, startWorkload } from "./workload.ts";

const { values } = parseArgs({
  options: {
    memsnap: { type: "string", default: "dist/memsnap" },
    processes: { type: "string", default: "1000" },
    gib: { type: "string", default: "4" },
    runs: { type: "string", default: "3" },
  },
});
const memsnap = values.memsnap.split(" ");
const runs = { warmup: 1, runs: Number(values.runs) };

/** Two measurements, as a Markdown table's rows with the ratio of the second to the first. */
function rows(plain: Measurement, exact: Measurement): string {
  const line = (m: Measurement) =>
    `| \`${m.name}\` | ${m.wall.toFixed(2)} s | ${m.cpu.toFixed(2)} s | ${
      (m.peakKib / 1024).toFixed(0)
    } MiB |`;
  return [
    "| command | wall | CPU | peak RSS |",
    "| --- | ---: | ---: | ---: |",
    line(plain),
    line(exact),
    `| ratio | ${(exact.wall / plain.wall).toFixed(1)}× | ${
      (exact.cpu / plain.cpu).toFixed(1)
    }× | ${(exact.peakKib / plain.peakKib).toFixed(1)}× |`,
  ].join("\n");
}

const out: string[] = [];
const n = Number(values.processes);
console.error(`bench: ${n} processes`);
const workload = await startWorkload(n);
try {
  const plain = await measure("memsnap -u", [...memsnap, "-u"], runs);
  const exact = await measure("memsnap -u --exact", [...memsnap, "-u", "--exact"], runs);
  out.push(`### \`-u --exact\` on the ${n}-process workload\n\n${rows(plain, exact)}`);
} finally {
  await workload.stop();
}

const gib = Number(values.gib);
console.error(`bench: a process of ${gib} GiB`);
const child = await startResidentProcess(gib);
try {
  // "[b]": the pattern matches the process's command line, not memsnap's own.
  const report = ["-c", "pid name uss pss rss", "-P", "[b]ytearray"];
  const plain = await measure("memsnap -P …", [...memsnap, ...report], runs);
  const exact = await measure("memsnap -P … --exact", [...memsnap, ...report, "--exact"], runs);
  out.push(`### A process of ${gib} GiB resident\n\n${rows(plain, exact)}`);
} finally {
  await child.stop();
}
console.log(out.join("\n\n"));
