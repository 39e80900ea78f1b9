import { deepStrictEqual } from "node:assert/strict";
import { nextSlot } from "../../src/capture/schedule.ts";
import { descendants } from "../../src/capture/tree.ts";

const limits = { intervalMs: 1000 };
const at = (previous: number, now: number, taken = previous + 1) =>
  nextSlot(limits, { start: 0, previous, taken, now });

Deno.test("nextSlot() keeps deadlines at start + k × interval, whatever a snapshot took", () => {
  deepStrictEqual(at(-1, 0), { kind: "take", slot: 0, at: 0 });
  deepStrictEqual(at(0, 420), { kind: "take", slot: 1, at: 1000 });
  // Late, but within an interval: the next slot, taken at once (marked late).
  deepStrictEqual(at(1, 2300), { kind: "take", slot: 2, at: 2000 });
  // More than an interval behind: slots 3 and 4 are skipped, 5 is due.
  deepStrictEqual(at(2, 5100), { kind: "take", slot: 5, at: 5000 });
});

Deno.test("nextSlot() stops after --count snapshots, and at the end of --duration", () => {
  deepStrictEqual(
    nextSlot({ ...limits, count: 3 }, { start: 0, previous: 2, taken: 3, now: 2500 }),
    { kind: "stop", reason: "count" },
  );
  const duration = { ...limits, durationMs: 3000 };
  deepStrictEqual(nextSlot(duration, { start: 0, previous: 1, taken: 2, now: 1500 }).kind, "take");
  deepStrictEqual(
    nextSlot(duration, { start: 0, previous: 2, taken: 3, now: 2500 }),
    { kind: "stop", reason: "duration" },
  );
});

Deno.test("descendants() keeps a process and every process below it", () => {
  const parents = new Map([[1, 0], [10, 1], [11, 10], [12, 10], [13, 12], [20, 1], [21, 20]]);
  deepStrictEqual([...descendants(parents, 10)].sort((a, b) => a - b), [10, 11, 12, 13]);
  deepStrictEqual([...descendants(parents, 13)], [13]);
  deepStrictEqual([...descendants(parents, 99)], [99]);
});
