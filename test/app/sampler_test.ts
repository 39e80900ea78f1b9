/** The sampler: slots at start + k × interval, late marked, missed skipped, stopped by a signal. */

import { deepStrictEqual } from "node:assert/strict";
import { type Clock, type Tick, ticks } from "../../src/app/sampler.ts";

/**
 * A clock that moves only when slept on, or when a sample "takes" time:
 * `work` gives each tick's sampling time, in ms.
 */
function fakeClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  return {
    now: () => now,
    sleep: (ms) => {
      now += Math.max(0, ms);
      return Promise.resolve();
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** The ticks of a schedule, each sample taking work[i] ms; and how it ended. */
async function run(
  limits: Parameters<typeof ticks>[0],
  work: readonly number[],
  signal = new AbortController().signal,
): Promise<[Omit<Tick, "scheduledAt" | "startedAt">[], string]> {
  const clock = fakeClock();
  const seen: Omit<Tick, "scheduledAt" | "startedAt">[] = [];
  const schedule = ticks(limits, { signal, clock });
  for (let next = await schedule.next();; next = await schedule.next()) {
    if (next.done) return [seen, next.value];
    const { scheduledAt: _, startedAt: __, ...tick } = next.value;
    seen.push(tick);
    clock.advance(work[tick.index] ?? 0);
  }
}

Deno.test("ticks() keeps slots at start + k × interval, whatever a sample takes", async () => {
  const [seen, end] = await run({ intervalMs: 1000, count: 3 }, [400, 900, 10]);
  deepStrictEqual(end, "count");
  deepStrictEqual(seen, [
    { index: 0, slot: 0, lateMs: 0 },
    { index: 1, slot: 1, lateMs: 0 },
    { index: 2, slot: 2, lateMs: 0 },
  ]);
});

Deno.test("ticks() marks a slot taken late, and skips the slots missed entirely", async () => {
  // The second sample takes 2.5 intervals: slot 2 is missed, slot 3 is taken
  // at 3.5 s (late), and its 1.3 s make slot 4 start at 4.8 s.
  const [seen, end] = await run({ intervalMs: 1000, durationMs: 5000 }, [100, 2500, 1300]);
  deepStrictEqual(end, "duration");
  deepStrictEqual(seen, [
    { index: 0, slot: 0, lateMs: 0 },
    { index: 1, slot: 1, lateMs: 0 },
    { index: 2, slot: 3, lateMs: 500 },
    { index: 3, slot: 4, lateMs: 800 },
  ]);
});

Deno.test("ticks() ends when its signal aborts, at once", async () => {
  const stop = new AbortController();
  const clock = fakeClock();
  const schedule = ticks({ intervalMs: 1000 }, { signal: stop.signal, clock });
  deepStrictEqual((await schedule.next()).done, false);
  stop.abort();
  deepStrictEqual(await schedule.next(), { done: true, value: "aborted" });
});
