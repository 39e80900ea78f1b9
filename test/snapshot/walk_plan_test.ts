import { deepStrictEqual } from "node:assert/strict";
import type { StatusMemory } from "../../src/parse/status.ts";
import { type CheapReading, type Kept, planWalks, unwalked } from "../../src/snapshot/walk_plan.ts";

function memory(rss: number, more: Partial<StatusMemory> = {}): StatusMemory {
  return { rss, rssAnon: rss, rssFile: 0, rssShmem: 0, swap: 0, size: rss * 2, ...more };
}

function reading(
  pid: number,
  ppid: number,
  rss: number,
  more?: Partial<StatusMemory>,
): CheapReading {
  return { pid, key: `${pid}@100`, ppid, memory: memory(rss, more) };
}

/** What a walk of every process at `readAt` keeps. */
function keptAll(cheap: CheapReading[], readAt: number): Map<string, Kept<string>> {
  const plan = planWalks(cheap, new Map(), {}, readAt);
  return new Map(cheap.map((p) => [p.key, { readAt, ...plan.signatures.get(p.pid)!, value: "x" }]));
}

// A daemon under init, and a server (10) with two workers it forked (11, 12).
const SYSTEM = [
  reading(5, 1, 3000),
  reading(10, 1, 5000),
  reading(11, 10, 8000),
  reading(12, 10, 2000),
];

Deno.test("planWalks() walks every process, new ones largest first, without earlier walks", () => {
  const plan = planWalks(SYSTEM, new Map(), { refreshMs: 5000 }, 0);
  deepStrictEqual(plan.walk, [11, 10, 5, 12]);
  deepStrictEqual([...plan.instead], []);
});

Deno.test("planWalks() carries a process whose counters and family's have not moved, until refreshMs", () => {
  const kept = keptAll(SYSTEM, 1000);
  const soon = planWalks(SYSTEM, kept, { refreshMs: 5000 }, 5999);
  deepStrictEqual(soon.walk, []);
  deepStrictEqual(soon.instead.get(11), { kind: "carried", ageMs: 4999 });
  // Then every one is walked again, the oldest first (all of an age: largest first).
  deepStrictEqual(planWalks(SYSTEM, kept, { refreshMs: 5000 }, 6000).walk, [11, 10, 5, 12]);
  // Without refreshMs nothing is carried.
  deepStrictEqual(planWalks(SYSTEM, kept, {}, 1001).walk.length, 4);
});

Deno.test("planWalks() walks again a process whose counters moved, and its family, first", () => {
  const kept = keptAll(SYSTEM, 0);
  const grown = SYSTEM.map((p) => p.pid === 12 ? reading(12, 10, 2000, { rssFile: 4 }) : p);
  const plan = planWalks(grown, kept, { refreshMs: 60_000 }, 1000);
  // 12 moved; 10 (its parent) and 11 (its sibling) share what 10 forked; 5 is unrelated.
  deepStrictEqual(plan.walk, [12, 11, 10]);
  deepStrictEqual(plan.instead.get(5), { kind: "carried", ageMs: 1000 });
});

Deno.test("planWalks() walks again the family of a process that exits or starts, not init's other children", () => {
  const kept = keptAll(SYSTEM, 0);
  const exited = planWalks(SYSTEM.filter((p) => p.pid !== 12), kept, { refreshMs: 60_000 }, 1);
  deepStrictEqual(exited.walk, [11, 10]);
  const started = planWalks([...SYSTEM, reading(7, 1, 100)], kept, { refreshMs: 60_000 }, 1);
  deepStrictEqual(started.walk, [7]);
  // A reused pid is another process: walked as new.
  const reused = SYSTEM.map((p) => p.pid === 5 ? { ...p, key: "5@999" } : p);
  deepStrictEqual(planWalks(reused, kept, { refreshMs: 60_000 }, 1).walk, [5]);
});

Deno.test("planWalks() leaves a process above maxRssKb unwalked, rss-only, and none with 0", () => {
  const plan = planWalks(SYSTEM, new Map(), { maxRssKb: 4096 }, 0);
  deepStrictEqual(plan.walk, [5, 12]);
  deepStrictEqual(plan.instead.get(11), { kind: "rss-only", reason: "over-ceiling" });
  deepStrictEqual(plan.instead.get(10), { kind: "rss-only", reason: "over-ceiling" });
  deepStrictEqual(planWalks(SYSTEM, new Map(), { maxRssKb: 0 }, 0).walk.length, 4);
});

Deno.test("unwalked(): carried when its own counters have not moved since its walk, else rss-only", () => {
  const kept = keptAll(SYSTEM, 1000);
  const plan = planWalks(SYSTEM, kept, {}, 3000);
  deepStrictEqual(unwalked(kept.get("11@100"), plan.signatures.get(11)!, 3000), {
    kind: "carried",
    ageMs: 2000,
  });
  const grown = planWalks([reading(11, 10, 9000)], kept, {}, 3000);
  deepStrictEqual(unwalked(kept.get("11@100"), grown.signatures.get(11)!, 3000), {
    kind: "rss-only",
    reason: "over-budget",
  });
  deepStrictEqual(unwalked(undefined, plan.signatures.get(11)!, 3000), {
    kind: "rss-only",
    reason: "over-budget",
  });
});

Deno.test("planWalks() signs a family the same whatever order the cheap pass gave its processes in", () => {
  const forward = planWalks(SYSTEM, new Map(), {}, 0).signatures;
  const backward = planWalks([...SYSTEM].reverse(), new Map(), {}, 0).signatures;
  deepStrictEqual(
    new Map([...backward].sort(([a], [b]) => a - b)),
    new Map([...forward].sort(([a], [b]) => a - b)),
  );
});
