/**
 * Sampling in two passes on a live source held in memory: which processes
 * are walked, which keep an earlier walk (carried) and for how long, what
 * a budget and a ceiling leave RSS-only, and how wrong a carried PSS can
 * be when another process starts sharing its pages.
 */

import { deepStrictEqual } from "node:assert/strict";
import type { Memory } from "../../src/snapshot/process_outcome.ts";
import { loadSnapshot } from "../../src/snapshot/load_snapshot.ts";
import type { WalkCache } from "../../src/snapshot/costed_pass.ts";
import type { CostLimits } from "../../src/snapshot/walk_plan.ts";
import type { Provenance } from "../../src/snapshot/provenance.ts";
import { memorySource } from "../../src/source/memory_source.ts";

const MEMINFO = "MemTotal:    1000000 kB\nMemFree:      400000 kB\nSwapTotal:         0 kB\n";

/** A process's files: its rollup's Pss and Rss, its status's counters. */
interface Shape {
  readonly ppid: number;
  readonly pss: number;
  readonly rss: number;
  readonly rssFile?: number;
  /** The rollup is another user's. */
  readonly denied?: boolean;
}

function files(pid: number, shape: Shape): Record<string, string | null> {
  const anon = shape.rss - (shape.rssFile ?? 0);
  return {
    [`${pid}/cmdline`]: `proc${pid}\0`,
    [`${pid}/stat`]:
      // vsize (bytes) and rss (pages) move with status's counters, as the kernel's do.
      `${pid} (proc${pid}) S ${shape.ppid} ${pid} ${pid} 0 -1 0 0 0 0 0 3 2 0 0 20 0 1 0 777 ${
        shape.rss * 4096
      } ${shape.rss / 4} 0\n`,
    [`${pid}/status`]:
      `Name:\tproc${pid}\nPPid:\t${shape.ppid}\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nVmSize:\t${
        shape.rss * 4
      } kB\nVmRSS:\t${shape.rss} kB\nRssAnon:\t${anon} kB\nRssFile:\t${
        shape.rssFile ?? 0
      } kB\nRssShmem:\t0 kB\nVmSwap:\t0 kB\n`,
    [`${pid}/smaps_rollup`]: shape.denied ? null : [
      "00400000-7ffc600c0000 ---p 00000000 00:00 0                  [rollup]",
      `Rss:            ${shape.rss} kB`,
      `Pss:            ${shape.pss} kB`,
      `Private_Clean:  0 kB`,
      `Private_Dirty:  ${anon} kB`,
      "",
    ].join("\n"),
  };
}

/** One sample of a live system of these processes, at `now` ms, with the cache given. */
async function sample(
  processes: Record<number, Shape>,
  options: { limits: CostLimits; cache: WalkCache<Memory>; now: number; tick?: number },
) {
  const tree = {
    live: true,
    files: {
      meminfo: MEMINFO,
      ...Object.fromEntries(
        Object.entries(processes).flatMap(([pid, shape]) => Object.entries(files(+pid, shape))),
      ),
    },
  };
  // Each reading of the clock moves it on by `tick` ms: reads that take time.
  let now = options.now;
  const snapshot = await loadSnapshot(memorySource(tree, "live"), {
    processes: true,
    mappings: false,
    rollupCounters: false,
    concurrency: 1,
    cost: {
      limits: options.limits,
      cache: options.cache,
      clock: () => (now += options.tick ?? 0) - (options.tick ?? 0),
    },
  });
  return Object.fromEntries(
    snapshot.processes.map((p) => [p.pid, [p.totals.pss ?? null, p.provenance ?? "exact"]]),
  ) as Record<number, [number | null, Provenance | "exact"]>;
}

// A process mapping an 8 MiB file, alone (16 is its parent: init's other child, a shell).
const ALONE = { 10: { ppid: 1, pss: 8192 + 100, rss: 8192 + 100, rssFile: 8192 } };

Deno.test("a carried PSS is refreshed within refreshMs after another process shares its pages; its error is at most its shared RSS", async () => {
  const cache: WalkCache<Memory> = { kept: new Map() };
  const limits = { refreshMs: 5000 };
  deepStrictEqual(await sample(ALONE, { limits, cache, now: 0 }), {
    10: [8292, "exact"],
  });
  // At 1 s an unrelated process (under init) maps the same file: 10's PSS halves, its status
  // does not move.
  const shared = {
    10: { ...ALONE[10], pss: 4096 + 100 },
    30: { ppid: 1, pss: 4096 + 50, rss: 8192 + 50, rssFile: 8192 },
  };
  const at1s = await sample(shared, { limits, cache, now: 1000 });
  deepStrictEqual(at1s, {
    10: [8292, { kind: "carried", ageMs: 1000 }],
    30: [4146, "exact"],
  });
  // The bound: what the carried PSS misses is at most what the process maps shared (RssFile +
  // RssShmem): here the whole file's half.
  const error = Math.abs((at1s[10]![0] as number) - shared[10].pss);
  deepStrictEqual([error, error <= shared[10].rssFile], [4096, true]);
  deepStrictEqual((await sample(shared, { limits, cache, now: 4999 }))[10]![1], {
    kind: "carried",
    ageMs: 4999,
  });
  // At refreshMs it is walked again: exact.
  deepStrictEqual((await sample(shared, { limits, cache, now: 5000 }))[10], [4196, "exact"]);
});

Deno.test("a process whose status moves, or whose family's does, is walked at once", async () => {
  const cache: WalkCache<Memory> = { kept: new Map() };
  const limits = { refreshMs: 60_000 };
  const family = {
    10: { ppid: 1, pss: 5000, rss: 9000, rssFile: 8000 },
    11: { ppid: 10, pss: 3000, rss: 9000, rssFile: 8000 },
    20: { ppid: 1, pss: 700, rss: 700 },
  };
  await sample(family, { limits, cache, now: 0 });
  // 11 grows: it and its parent are walked; 20, unrelated, is carried.
  const grown = { ...family, 11: { ...family[11], pss: 3500, rss: 9500 } };
  deepStrictEqual(await sample(grown, { limits, cache, now: 1000 }), {
    10: [5000, "exact"],
    11: [3500, "exact"],
    20: [700, { kind: "carried", ageMs: 1000 }],
  });
  // A child forked: its parent and sibling share with it, walked again.
  const forked = {
    ...grown,
    12: { ppid: 10, pss: 2000, rss: 9000, rssFile: 8000 },
    10: { ...family[10], pss: 4000 },
  };
  deepStrictEqual(await sample(forked, { limits, cache, now: 2000 }), {
    10: [4000, "exact"],
    11: [3500, "exact"],
    12: [2000, "exact"],
    20: [700, { kind: "carried", ageMs: 2000 }],
  });
});

Deno.test("a process idle since its last read (the same stat) is not read again: its status is kept", async () => {
  const cache: WalkCache<Memory> = { kept: new Map() };
  const limits = { refreshMs: 60_000 };
  const idle = { 20: { ppid: 1, pss: 700, rss: 700, rssFile: 100 } };
  await sample(idle, { limits, cache, now: 0 });
  // Only status's split moves, stat does not (no tick, no fault, the same rss): a kernel never
  // does this, so the status kept shows the status was not read again, and the walk is carried.
  const split = { 20: { ...idle[20], rssFile: 200 } };
  deepStrictEqual(await sample(split, { limits, cache, now: 1000 }), {
    20: [700, { kind: "carried", ageMs: 1000 }],
  });
  // Its stat moves (rss): status is read, the process walked.
  const grown = { 20: { ...split[20], pss: 800, rss: 800 } };
  deepStrictEqual(await sample(grown, { limits, cache, now: 2000 }), { 20: [800, "exact"] });
});

Deno.test("--max-rss leaves a larger process RSS-only; --budget walks the largest first, then carries or gives RSS only", async () => {
  const system = {
    10: { ppid: 1, pss: 90_000, rss: 100_000 },
    20: { ppid: 1, pss: 40_000, rss: 50_000 },
    30: { ppid: 1, pss: 5_000, rss: 6_000 },
    40: { ppid: 1, pss: 900, rss: 1_000 },
  };
  const none = () => ({ kept: new Map() });
  deepStrictEqual(await sample(system, { limits: { maxRssKb: 60_000 }, cache: none(), now: 0 }), {
    10: [null, { kind: "rss-only", reason: "over-ceiling" }],
    20: [40_000, "exact"],
    30: [5_000, "exact"],
    40: [900, "exact"],
  });
  // Every clock reading takes 10 ms: a 25 ms budget walks the two largest.
  const cache: WalkCache<Memory> = { kept: new Map() };
  deepStrictEqual(
    await sample(system, { limits: { budgetMs: 25 }, cache, now: 0, tick: 10 }),
    {
      10: [90_000, "exact"],
      20: [40_000, "exact"],
      30: [null, { kind: "rss-only", reason: "over-budget" }],
      40: [null, { kind: "rss-only", reason: "over-budget" }],
    },
  );
  // Next time the never-walked go first; the two walked before keep their numbers.
  const next = await sample(system, { limits: { budgetMs: 25 }, cache, now: 1000, tick: 10 });
  deepStrictEqual(
    Object.values(next).map(([, how]: [number | null, Provenance | "exact"]) =>
      typeof how === "string" ? how : how.kind
    ),
    [
      "carried",
      "carried",
      "exact",
      "exact",
    ],
  );
});

Deno.test("a process whose memory maps are denied is RSS-only with --all's rssOnly, else counted", async () => {
  const system = {
    10: { ppid: 1, pss: 500, rss: 800, denied: true },
    20: { ppid: 1, pss: 70, rss: 90 },
  };
  deepStrictEqual(await sample(system, { limits: {}, cache: { kept: new Map() }, now: 0 }), {
    20: [70, "exact"],
  });
});

Deno.test("a process seen before is read from stat and status; its command line is read again when it is walked", async () => {
  const cache: WalkCache<Memory> = { kept: new Map() };
  const limits = { refreshMs: 5000 };
  const commands = async (title: string, now: number) => {
    const tree = {
      live: true,
      files: {
        meminfo: MEMINFO,
        ...files(10, { ppid: 1, pss: 500, rss: 800 }),
        // A process that retitles itself (setproctitle), its memory unchanged.
        "10/cmdline": `${title}\0`,
      },
    };
    const snapshot = await loadSnapshot(memorySource(tree, "live"), {
      processes: true,
      mappings: false,
      rollupCounters: false,
      cost: { limits, cache, clock: () => now },
    });
    return snapshot.processes.map((p) => [p.cmdline?.join(" "), p.provenance?.kind ?? "exact"]);
  };
  deepStrictEqual(await commands("postgres: idle", 0), [["postgres: idle", "exact"]]);
  deepStrictEqual(await commands("postgres: SELECT", 1000), [["postgres: idle", "carried"]]);
  deepStrictEqual(await commands("postgres: SELECT", 5000), [["postgres: SELECT", "exact"]]);
  deepStrictEqual(await commands("postgres: SELECT", 6000), [["postgres: SELECT", "carried"]]);
});
