/// <reference lib="dom" />
/**
 * What the web UI costs (docs/ui.md): `memsnap ui` (dist/memsnap) opened in
 * Debian's headless chromium (puppeteer-core). Prints, as Markdown:
 *
 * - time to first render of the overview (from navigation to the parts
 *   table drawn) for a capture of the 1000-process workload and for a
 *   600-snapshot recording (taken beside the same workload), median of 5;
 *   the recording's timeline (users) drawn after a click on its tab;
 * - the page's payload: the document, and the API answers of the first render;
 * - the tab's JS heap (after a forced garbage collection) every minute of
 *   live refresh (memsnap ui on the live system, a sample every 2 s), and
 *   memsnap's own RSS beside it.
 *
 * `deno run -A scripts/bench/ui.ts [--minutes N] [MEMSNAP]` (N: 10 by default).
 *
 * @module
 */

import { parseArgs } from "node:util";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { startWorkload } from "./workload.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: { minutes: { type: "string", default: "10" } },
  allowPositionals: true,
});
const memsnap = positionals[0] ?? new URL("../../dist/memsnap", import.meta.url).pathname;
const minutes = Number(values.minutes);

interface Ui {
  readonly url: string;
  /** ms from start to the link printed (the sources read). */
  readonly startMs: number;
  readonly pid: number;
  stop(): Promise<void>;
}

async function startUi(args: readonly string[]): Promise<Ui> {
  const started = performance.now();
  const child = new Deno.Command(memsnap, {
    args: ["ui", "--no-open", ...args],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`memsnap ui ended: ${seen}`);
    seen += value;
  }
  return {
    url: seen.split("\n")[0]!,
    startMs: performance.now() - started,
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      await reader.cancel().catch(() => {});
      await child.status;
    },
  };
}

function run(args: string[]): Promise<Deno.CommandOutput> {
  return new Deno.Command(memsnap, { args, stdout: "null", stderr: "piped" }).output();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** ms from navigation to the overview's parts drawn; bytes of the document and of the API answers. */
async function firstRender(browser: Browser, url: string) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  let documentBytes = 0;
  let apiBytes = 0;
  page.on("response", (response) => {
    response.buffer().then((body) => {
      if (new URL(response.url()).pathname === "/") documentBytes += body.length;
      else apiBytes += body.length;
    }, () => {});
  });
  const started = performance.now();
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await page.waitForSelector("#children tbody tr", { timeout: 120_000 });
  const ms = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { ms, documentBytes, apiBytes, page };
}

async function timelineRender(page: Page): Promise<number> {
  const started = performance.now();
  await page.click("#tab-timeline");
  await page.waitForSelector("#timeline-chart svg .mark-rect.role-mark path", { timeout: 300_000 });
  return performance.now() - started;
}

function rssKib(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))![1]);
}

async function main() {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-bench-ui-" });
  const capture = `${dir}/workload-1000.tar.gz`;
  const recording = `${dir}/workload-600.rec`;
  console.error("bench ui: starting the 1000-process workload");
  const workload = await startWorkload(1000);
  try {
    let out = await run(["capture", "-o", capture]);
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    console.error("bench ui: recording 600 snapshots beside it");
    out = await run([
      "record",
      "-q",
      "-o",
      recording,
      "--interval",
      "200ms",
      "--count",
      "600",
      "--detail",
      "rollup",
      "--budget",
      "100ms",
    ]);
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  } finally {
    await workload.stop();
  }
  const browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--headless=new", "--disable-gpu"],
  });
  const rows: string[] = [];
  try {
    for (
      const [name, source] of [["capture, 1000 processes", capture], [
        "recording, 600 snapshots",
        recording,
      ]]
    ) {
      const times: number[] = [];
      const starts: number[] = [];
      const timelines: number[] = [];
      let bytes = { documentBytes: 0, apiBytes: 0 };
      for (let i = 0; i < 5; i++) {
        const ui = await startUi([source!]);
        try {
          const render = await firstRender(browser, ui.url);
          times.push(render.ms);
          starts.push(ui.startMs);
          bytes = render;
          if (source === recording && i < 3) timelines.push(await timelineRender(render.page));
          await render.page.close();
        } finally {
          await ui.stop();
        }
      }
      rows.push(
        `| ${name} | ${median(starts).toFixed(0)} ms | ${median(times).toFixed(0)} ms (${
          times.map((t) => t.toFixed(0)).join(", ")
        }) | ${(bytes.documentBytes / 1024).toFixed(0)} KiB document, ${
          (bytes.apiBytes / 1024).toFixed(1)
        } KiB API | ${timelines.length ? `${median(timelines).toFixed(0)} ms` : "-"} |`,
      );
      console.error(rows.at(-1));
    }
    console.log(
      `| source | start to link printed, median of 5 | first render of the overview, median of 5 | payload | timeline drawn (users), median of 3 |`,
    );
    console.log(`| --- | --- | --- | --- | --- |`);
    for (const row of rows) console.log(row);

    console.error(`bench ui: ${minutes} minutes of live refresh`);
    const ui = await startUi(["--interval", "2s"]);
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 800 });
      await page.goto(ui.url);
      await page.waitForSelector("#children tbody tr");
      // Drilled into userspace, as a user would sit.
      await page.click('#children tr[data-id="MemTotal/userspace"] button');
      const cdp = await page.createCDPSession();
      const heap = async () => {
        await cdp.send("HeapProfiler.collectGarbage");
        const metrics = await page.metrics();
        return { heap: metrics.JSHeapUsedSize! / 1024 / 1024, nodes: metrics.Nodes! };
      };
      console.log(
        `\n| minute | tab JS heap after GC (MiB) | DOM nodes | draws | memsnap RSS (MiB) |`,
      );
      console.log(`| --- | --- | --- | --- | --- |`);
      for (let minute = 0; minute <= minutes; minute++) {
        if (minute > 0) await new Promise((resolve) => setTimeout(resolve, 60_000));
        const { heap: mib, nodes } = await heap();
        const draws = await page.evaluate(() => document.body.dataset.ready);
        const line = `| ${minute} | ${mib.toFixed(2)} | ${nodes} | ${draws} | ${
          (rssKib(ui.pid) / 1024).toFixed(1)
        } |`;
        console.log(line);
      }
    } finally {
      await ui.stop();
    }
  } finally {
    await browser.close();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await main();
