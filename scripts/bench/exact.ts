/**
 * What `--exact` costs (docs/exact.md): `memsnap -u` beside `memsnap -u
 * --exact` on the 1000-process workload, and a process of 4 GiB resident
 * read with and without `--exact`; wall time, CPU time and peak RSS, by
 * hyperfine and GNU time; and on both, what `capture --pages` adds: its
 * time, and its bytes per GiB resident. Prints Markdown for
 * docs/PERFORMANCE.md.
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
import { decodePages, PAGES_MEMBER } from "../../src/snapshot/pages_member.ts";

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

/**
 * `capture` beside `capture --pages` (to standard output, timed), and the
 * sizes of one of each: the archive, the pages member before the archive's
 * gzip, and both per GiB of the resident pages it lists.
 */
async function pagesRows(): Promise<string> {
  const plain = await measure("memsnap capture -o -", [...memsnap, "capture", "-o", "-"], runs);
  const paged = await measure("memsnap capture --pages -o -", [
    ...memsnap,
    "capture",
    "--pages",
    "-o",
    "-",
  ], runs);
  const dir = await Deno.makeTempDir({ prefix: "memsnap-bench-pages-" });
  try {
    const size = async (file: string, extra: string[]) => {
      const { success } = await new Deno.Command(memsnap[0]!, {
        args: [...memsnap.slice(1), "capture", ...extra, "-o", file],
        stderr: "null",
      }).output();
      if (!success) throw new Error(`capture ${extra.join(" ")} failed`);
      return (await Deno.stat(file)).size;
    };
    const without = await size(`${dir}/plain.tar.gz`, []);
    const withPages = await size(`${dir}/pages.tar.gz`, ["--pages"]);
    const member = await new Deno.Command("tar", {
      args: ["-xzOf", `${dir}/pages.tar.gz`, PAGES_MEMBER],
      stdout: "piped",
    }).output();
    const stored = decodePages(member.stdout, PAGES_MEMBER);
    let frames = 0;
    for (const pages of stored.processes.values()) frames += pages.frames.length;
    const gib = (frames * stored.pages.pageSize) / 2 ** 30;
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
    return [
      rows(plain, paged),
      "",
      `Resident pages listed: ${
        gib.toFixed(2)
      } GiB (${frames} pages, counted once per process that maps them).`,
      "",
      "| capture | archive | added by --pages | per GiB resident |",
      "| --- | ---: | ---: | ---: |",
      `| without --pages | ${mib(without)} | | |`,
      `| with --pages | ${mib(withPages)} | ${mib(withPages - without)} | ${
        mib((withPages - without) / gib)
      } |`,
      `| the member, before gzip | ${mib(member.stdout.length)} | | ${
        mib(member.stdout.length / gib)
      } |`,
    ].join("\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const out: string[] = [];
const n = Number(values.processes);
console.error(`bench: ${n} processes`);
const workload = await startWorkload(n);
try {
  const plain = await measure("memsnap -u", [...memsnap, "-u"], runs);
  const exact = await measure("memsnap -u --exact", [...memsnap, "-u", "--exact"], runs);
  out.push(`### \`-u --exact\` on the ${n}-process workload\n\n${rows(plain, exact)}`);
  out.push(`### \`capture --pages\` on the ${n}-process workload\n\n${await pagesRows()}`);
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
  out.push(`### \`capture --pages\` beside a process of ${gib} GiB\n\n${await pagesRows()}`);
} finally {
  await child.stop();
}
console.log(out.join("\n\n"));
