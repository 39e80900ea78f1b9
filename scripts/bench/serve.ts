/**
 * What serving costs (docs/serve.md): memsnap serve (dist/memsnap) beside
 * the 1000-process workload, scraped from here on loopback, twice: sampling
 * the live system, and serving a capture of it (-S: the samples never
 * change, so what its RSS does is the server's own, not the samples' or
 * the garbage collector's swing with them). Prints, for each: scrape
 * latency p50/p99 one at a time and with 50 concurrent scrapers (bursts of
 * 30 s); RSS after 10 scrapes, at each 10 000 up to 40 000, and after each
 * burst; and, live, the CPU of sampling at a 15 s interval with no scrapes.
 * About ten minutes; `deno run -A scripts/bench/serve.ts [MEMSNAP]`.
 *
 * @module
 */

import { serve } from "../../test/_helpers/serve.ts";
import { startWorkload } from "./workload.ts";

const BURSTS = 4;
const memsnap = Deno.args[0] ?? new URL("../../dist/memsnap", import.meta.url).pathname;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** VmRSS of a process, KiB. */
function rssKib(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))![1]);
}

/** utime + stime of a process, clock ticks (100 a second on Linux). */
function cpuTicks(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

async function scrape(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`scrape: ${response.status}`);
  return performance.now() - started;
}

/** memsnap serve with these arguments, once it says where it listens. */
const startServe = (args: readonly string[]) => serve(args, "127.0.0.1:0", [memsnap]);

interface Scraped {
  sequential: number[];
  concurrent: number[];
  /** RSS, KiB, by what had been served: "10", "1000", ..., "burst 1", ... */
  rss: Map<string, number>;
  bytes: number;
}

/** Scrapes one at a time, then 10 at a time to 40 000, then in bursts of 50. */
async function scrapeHard(pid: number, url: string): Promise<Scraped> {
  const rss = new Map<string, number>();
  const sequential: number[] = [];
  for (let i = 0; i < 200; i++) {
    sequential.push(await scrape(url));
    if (i === 9) rss.set("10", rssKib(pid));
  }
  let total = 200;
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (total < 40_000) {
      const n = ++total;
      await scrape(url);
      if (n === 1_000 || n % 10_000 === 0) rss.set(String(n), rssKib(pid));
    }
  }));
  // A leak grows again with each burst; a high-water mark does not.
  const concurrent: number[] = [];
  for (let burst = 1; burst <= BURSTS; burst++) {
    const until = performance.now() + 30_000;
    await Promise.all(Array.from({ length: 50 }, async () => {
      while (performance.now() < until) concurrent.push(await scrape(url));
    }));
    rss.set(`burst ${burst}`, rssKib(pid));
  }
  const bytes = (await (await fetch(url)).text()).length;
  return { sequential, concurrent, rss, bytes };
}

function print(title: string, scraped: Scraped) {
  const s = [...scraped.sequential].sort((a, b) => a - b);
  const c = [...scraped.concurrent].sort((a, b) => a - b);
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const mib = (kib: number) => `${(kib / 1024).toFixed(1)}`;
  console.log(`\n${title}; /metrics ${scraped.bytes} bytes`);
  console.log(`| measure | figure |`);
  console.log(`| --- | --- |`);
  console.log(
    `| scrape latency, one at a time (${s.length} scrapes) | p50 ${ms(percentile(s, 0.5))}, p99 ${
      ms(percentile(s, 0.99))
    } |`,
  );
  console.log(
    `| scrape latency, 50 concurrent scrapers, ${BURSTS} bursts of 30 s (${c.length} scrapes, ${
      (c.length / 30 / BURSTS).toFixed(0)
    }/s) | p50 ${ms(percentile(c, 0.5))}, p99 ${ms(percentile(c, 0.99))} |`,
  );
  console.log(
    `| RSS, MiB, after ${[...scraped.rss.keys()].join(" / ")} | ${
      [...scraped.rss.values()].map(mib).join(" / ")
    } |`,
  );
}

async function main() {
  const workload = await startWorkload(1000);
  const dir = await Deno.makeTempDir({ prefix: "memsnap-bench-serve-" });
  try {
    const live = await startServe(["--interval", "15s"]);
    try {
      const health = async () => JSON.parse(await (await fetch(`${live.url}/healthz`)).text());
      print(
        `memsnap serve, live, 1000-process workload (${Deno.args[0] ?? "dist/memsnap"})`,
        await scrapeHard(live.child.pid, `${live.url}/metrics`),
      );
      // CPU while sampling at 15 s with no scrapes: 60 s, four samples (five at the edges).
      const before = cpuTicks(live.child.pid);
      const indexBefore = (await health()).sampleIndex;
      await new Promise((resolve) => setTimeout(resolve, 60_000));
      const cpu = (cpuTicks(live.child.pid) - before) / 100 / 60;
      const indexAfter = (await health()).sampleIndex;
      console.log(
        `| CPU sampling every 15 s, no scrapes, 60 s (${indexAfter - indexBefore} samples) | ${
          (cpu * 100).toFixed(2)
        } % of one core |`,
      );
    } finally {
      await live.stop();
    }
    const capture = `${dir}/workload.tar.gz`;
    const captured = await new Deno.Command(memsnap, {
      args: ["capture", "-o", capture],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!captured.success) throw new Error("memsnap capture failed");
    const still = await startServe(["-S", capture, "--interval", "15s"]);
    try {
      print(
        "memsnap serve -S, a capture of the same workload (every sample the same)",
        await scrapeHard(still.child.pid, `${still.url}/metrics`),
      );
    } finally {
      await still.stop();
    }
  } finally {
    await workload.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await main();
