import assert from "node:assert/strict";
import type { FrameCounts, ProcessPages } from "../../src/snapshot/pages.ts";
import { exactGroups, lowerBoundGroups } from "../../src/view/exact_groups.ts";

interface P {
  readonly group: string | undefined;
  readonly pages?: ProcessPages;
}

/** Frames 1-99 as the kernel counts their mappings. */
function countsOf(counts: Record<number, number>): FrameCounts {
  const frames = Object.keys(counts).map(Number).sort((a, b) => a - b);
  return { frames, counts: frames.map((frame) => counts[frame]!) };
}

const pages = (frames: number[], swap: number[] = [], exclusive = 0): ProcessPages => ({
  frames: frames.sort((a, b) => a - b),
  swap: swap.sort((a, b) => a - b),
  exclusive,
});

// a1 and a2 (group A) share frames 10-11 between themselves; each has private frames;
// b (group B) and both of A's map frame 20 (a shared file); a1 maps frame 30 twice
// (two mappings of one page); frame 0 is the zero page (count 0); c is in no group
// and shares frame 40 with a1 and swap entry 500 with b.
const PROCESSES: P[] = [
  { group: "A", pages: pages([1, 2, 10, 11, 20, 30, 30, 0, 40], [100, 101], 2) },
  { group: "A", pages: pages([3, 10, 11, 20], [101], 1) },
  { group: "B", pages: pages([5, 20], [500], 1) },
  { group: undefined, pages: pages([40, 41], [500], 1) },
  { group: "B" }, // read without pages: nothing to count
];
const COUNTS = countsOf({ 0: 0, 1: 1, 2: 1, 3: 1, 5: 1, 10: 2, 11: 2, 20: 3, 30: 2, 40: 2, 41: 1 });

Deno.test("exactGroups() counts a frame as the group's when its mappings are all the group's", () => {
  const groups = exactGroups(PROCESSES, (p) => p.group, COUNTS);
  assert.deepEqual(groups.get("A"), {
    // 1, 2, 3 private; 10, 11 shared inside A; 30 mapped twice by a1 alone.
    uss: 6,
    // … and 20 (with B) and 40 (with c); the zero page is not counted.
    rss: 8,
    shared: 2,
    // 100 is a1's; 101 is held by a1 and a2 only.
    swapUss: 2,
    swap: 2,
  });
  assert.deepEqual(groups.get("B"), { uss: 1, rss: 2, shared: 1, swapUss: 0, swap: 1 });
  assert.equal(groups.has(undefined as unknown as string), false);
  assert.deepEqual([...groups.keys()], ["A", "B"]);
});

Deno.test("exactGroups() of one process each: its own frames, beside what per-process USS sees", () => {
  const each = exactGroups(PROCESSES, (p) => (p.pages === undefined ? undefined : p), COUNTS);
  // a1 alone: 1, 2, 30 (twice its own); 10 and 11 are shared with a2 now.
  assert.deepEqual(each.get(PROCESSES[0]!), { uss: 3, rss: 7, shared: 4, swapUss: 1, swap: 2 });
  assert.deepEqual(each.get(PROCESSES[1]!), { uss: 1, rss: 4, shared: 3, swapUss: 0, swap: 1 });
  // Summed per-process "unique" under-counts the group: 3 + 1 < 6.
  assert.ok(3 + 1 < exactGroups(PROCESSES, (p) => p.group, COUNTS).get("A")!.uss);
});

Deno.test("exactGroups() takes a frame unmapped between the reads (n > count) as the group's", () => {
  const groups = exactGroups(
    [{ group: "A", pages: pages([7, 7, 8]) }],
    (p) => p.group,
    countsOf({ 7: 1, 8: 1 }),
  );
  assert.deepEqual(groups.get("A"), { uss: 2, rss: 2, shared: 0, swapUss: 0, swap: 0 });
});

Deno.test("lowerBoundGroups() sums the exclusive pages and never exceeds the exact USS", () => {
  const lower = lowerBoundGroups(PROCESSES, (p) => p.group);
  assert.deepEqual([...lower], [["A", 3], ["B", 1]]);
  const exact = exactGroups(PROCESSES, (p) => p.group, COUNTS);
  for (const [key, pages] of lower) assert.ok(pages <= exact.get(key)!.uss);
});
