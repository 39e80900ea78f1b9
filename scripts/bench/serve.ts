/**
 * What serving costs (docs/serve.md): memsnap serve (dist/memsnap) sampling
 * the live system beside the 1000-process workload, scraped from here on
 * loopback. Prints: scrape latency p50/p99 one at a time, and with 50
 * concurrent scrapers for 30 s; memsnap's RSS after 10 scrapes and after
 * 10 000; its CPU while sampling at a 15 s interval with no scrapes.
 * A few minutes; `deno run -A scripts/bench/serve.ts [MEMSNAP]`.
 *
 * @module
 */

import { startWorkload } from "./workload.ts";

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

async function main() {
  const workload = await startWorkload(1000);
  const child = new Deno.Command(memsnap, {
    args: ["serve", "--listen", "127.0.0.1:0", "--interval", "15s"],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let said = "";
    while (!/listening on (\S+)\/\n/.test(said)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`serve ended: ${said}`);
      said += value;
    }
    (async () => {
      while (!(await reader.read()).done);
    })().catch(() => {});
    let rss10 = 0;
    let rss1k = 0;
    const base = /listening on (\S+)\/\n/.exec(said)![1]!;
    const url = `${base}/metrics`;
    const health = async () => JSON.parse(await (await fetch(`${base}/healthz`)).text());

    // One at a time: 200 scrapes; RSS after the first 10.
    const sequential: number[] = [];
    for (let i = 0; i < 200; i++) {
      sequential.push(await scrape(url));
      if (i === 9) rss10 = rssKib(child.pid);
    }
    // To 10 000 scrapes in all, 10 at a time; then RSS.
    let total = 200;
    await Promise.all(Array.from({ length: 10 }, async () => {
      while (total < 10_000) {
        total++;
        await scrape(url);
        if (total === 1_000) rss1k = rssKib(child.pid);
      }
    }));
    const rss10k = rssKib(child.pid);
    // 50 concurrent scrapers for 30 s.
    const concurrent: number[] = [];
    const until = performance.now() + 30_000;
    await Promise.all(Array.from({ length: 50 }, async () => {
      while (performance.now() < until) concurrent.push(await scrape(url));
    }));
    const rssAfter = rssKib(child.pid);
    const bytes = (await (await fetch(url)).text()).length;
    // CPU while sampling at 15 s with no scrapes: 60 s, four samples.
    const before = cpuTicks(child.pid);
    const indexBefore = (await health()).sampleIndex;
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    const cpu = (cpuTicks(child.pid) - before) / 100 / 60;
    const indexAfter = (await health()).sampleIndex;
    // The sampler's own count: slots due in 60 s at 15 s are 4 (or 5 at the edges).
    const s = [...sequential].sort((a, b) => a - b);
    const c = [...concurrent].sort((a, b) => a - b);
    const ms = (x: number) => `${x.toFixed(2)} ms`;
    console.log(
      `memsnap serve, live, 1000-process workload (${
        Deno.args[0] ?? "dist/memsnap"
      }); /metrics ${bytes} bytes`,
    );
    console.log(`| measure | figure |`);
    console.log(`| --- | --- |`);
    console.log(
      `| scrape latency, one at a time (${s.length} scrapes) | p50 ${ms(percentile(s, 0.5))}, p99 ${
        ms(percentile(s, 0.99))
      } |`,
    );
    console.log(
      `| scrape latency, 50 concurrent scrapers for 30 s (${c.length} scrapes, ${
        (c.length / 30).toFixed(0)
      }/s) | p50 ${ms(percentile(c, 0.5))}, p99 ${ms(percentile(c, 0.99))} |`,
    );
    console.log(
      `| RSS after 10 / 1 000 / ${total} scrapes; after the 50 concurrent scrapers too | ${
        [rss10, rss1k, rss10k, rssAfter].map((kib) => `${(kib / 1024).toFixed(1)} MiB`).join(" / ")
      } |`,
    );
    console.log(
      `| CPU sampling every 15 s, no scrapes, 60 s (${indexAfter - indexBefore} samples) | ${
        (cpu * 100).toFixed(2)
      } % of one core |`,
    );
  } finally {
    try {
      child.kill("SIGTERM");
    } catch { /* ended */ }
    await child.status;
    await workload.stop();
  }
}

if (import.meta.main) await main();
