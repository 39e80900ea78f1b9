/**
 * The recording schedule: snapshots at start + k × interval, never shifted
 * by the time a snapshot takes. Pure.
 *
 * @module
 */

/** When to stop: after so many snapshots, or past a duration. */
export interface ScheduleLimits {
  readonly intervalMs: number;
  readonly count?: number;
  readonly durationMs?: number;
}

/** The next snapshot to take, or why there is none. */
export type Next =
  | { readonly kind: "take"; readonly slot: number; readonly at: number }
  | { readonly kind: "stop"; readonly reason: "count" | "duration" };

/**
 * The next slot after `previous` (-1 before the first), at `now`: the slot
 * after the previous one, or, when the recording has fallen behind by more
 * than an interval, the latest slot already due (the ones missed entirely
 * are skipped, not crammed in).
 *
 * @param taken Snapshots taken so far.
 */
export function nextSlot(
  limits: ScheduleLimits,
  state: {
    readonly start: number;
    readonly previous: number;
    readonly taken: number;
    readonly now: number;
  },
): Next {
  const { intervalMs } = limits;
  if (limits.count !== undefined && state.taken >= limits.count) {
    return { kind: "stop", reason: "count" };
  }
  const due = Math.floor((state.now - state.start) / intervalMs);
  const slot = Math.max(state.previous + 1, due);
  const at = state.start + slot * intervalMs;
  // Slots strictly inside the duration: 10s at 1s are slots 0 to 9.
  if (limits.durationMs !== undefined && slot * intervalMs >= limits.durationMs) {
    return { kind: "stop", reason: "duration" };
  }
  return { kind: "take", slot, at };
}
