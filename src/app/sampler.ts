/**
 * Snapshots on a schedule: slots at start + k × interval, never shifted by
 * the time a snapshot takes; a slot taken late is marked late, slots missed
 * entirely are skipped. Every use case that samples (record, and the
 * coming exporter, `top` and remote capture) takes its slots from here.
 *
 * @module
 */

import { nextSlot, type ScheduleLimits } from "../capture/schedule.ts";

/** A slot to take a sample in. */
export interface Tick {
  /** 0-based count of ticks so far. */
  readonly index: number;
  /** The slot's number: start + slot × interval is when it was due. */
  readonly slot: number;
  /** When it was due, ms since the epoch. */
  readonly scheduledAt: number;
  /** When it began, ms since the epoch. */
  readonly startedAt: number;
  /** startedAt - scheduledAt, ≥ 0. */
  readonly lateMs: number;
}

/** Why a schedule ended. */
export type ScheduleEnd = "count" | "duration" | "aborted";

/** The clock, for tests. */
export interface Clock {
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The longest delay a timer takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The real clock: a timer, woken early by the signal. */
export const REAL_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      // A timer takes at most 2^31 - 1 ms (24.8 days): longer sleeps are a chain of them.
      const until = Date.now() + Math.max(0, ms);
      let timer = setTimeout(tick, Math.min(Math.max(0, ms), MAX_TIMER_MS));
      signal.addEventListener("abort", done, { once: true });
      function tick() {
        const left = until - Date.now();
        if (left > 0) timer = setTimeout(tick, Math.min(left, MAX_TIMER_MS));
        else done();
      }
      function done() {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
    }),
};

/**
 * Yields each slot when it is due, until the schedule's count or duration
 * is reached or the signal aborts; returns why it ended. The caller takes
 * its sample between one tick and asking for the next.
 */
export async function* ticks(
  limits: ScheduleLimits,
  options: { readonly signal: AbortSignal; readonly clock?: Clock },
): AsyncGenerator<Tick, ScheduleEnd> {
  const clock = options.clock ?? REAL_CLOCK;
  const start = clock.now();
  let previous = -1;
  for (let index = 0;; index++) {
    if (options.signal.aborted) return "aborted";
    const next = nextSlot(limits, { start, previous, taken: index, now: clock.now() });
    if (next.kind === "stop") return next.reason;
    await clock.sleep(next.at - clock.now(), options.signal);
    if (options.signal.aborted) return "aborted";
    const startedAt = clock.now();
    yield {
      index,
      slot: next.slot,
      scheduledAt: next.at,
      startedAt,
      lateMs: Math.max(0, startedAt - next.at),
    };
    previous = next.slot;
  }
}
