/**
 * The memory counters the kernel reports per mapping (/proc/PID/smaps) and
 * per process (/proc/PID/smaps_rollup), in kB.
 *
 * One constant lists them: the parser's key table, the snapshot model and the
 * report columns all derive from it.
 *
 * @module
 */

/** Each counter: the model's key and the kernel's name for it. */
export const COUNTER_FIELDS = [
  ["size", "Size"],
  ["rss", "Rss"],
  ["pss", "Pss"],
  ["pssAnon", "Pss_Anon"],
  ["pssFile", "Pss_File"],
  ["pssShmem", "Pss_Shmem"],
  ["pssDirty", "Pss_Dirty"],
  ["sharedClean", "Shared_Clean"],
  ["sharedDirty", "Shared_Dirty"],
  ["privateClean", "Private_Clean"],
  ["privateDirty", "Private_Dirty"],
  ["referenced", "Referenced"],
  ["anonymous", "Anonymous"],
  ["anonHugePages", "AnonHugePages"],
  ["swap", "Swap"],
  ["swapPss", "SwapPss"],
  ["locked", "Locked"],
] as const;

/** A counter's key in the model, e.g. `privateDirty`. */
export type CounterKey = typeof COUNTER_FIELDS[number][0];

/**
 * Counters in kB. A key is absent when the kernel did not report it (older
 * kernels lack SwapPss, Pss_Dirty, ...; per-mapping smaps has no Pss_Anon):
 * absent means unknown, never zero.
 */
export type Counters = { readonly [K in CounterKey]?: number };

/** Counters being summed. */
export type MutableCounters = { -readonly [K in CounterKey]?: number };

/** The counters that only smaps_rollup reports, never per mapping. */
export const ROLLUP_ONLY_KEYS: readonly CounterKey[] = [
  "pssAnon",
  "pssFile",
  "pssShmem",
];

/** Kernel name (as in smaps) → model key. */
export const COUNTER_KEY_BY_KERNEL_NAME: ReadonlyMap<string, CounterKey> = new Map(
  COUNTER_FIELDS.map(([key, kernel]) => [kernel, key]),
);

const KEYS: readonly CounterKey[] = COUNTER_FIELDS.map(([key]) => key);

/** Adds `more` into the mutable accumulator `into`; absent stays absent. */
export function addCountersInto(
  into: MutableCounters,
  more: Counters,
): void {
  for (const key of KEYS) {
    const value = more[key];
    if (value !== undefined) into[key] = (into[key] ?? 0) + value;
  }
}

/** Sums counters; a key is present in the sum when any input has it. */
export function sumCounters(all: Iterable<Counters>): Counters {
  const sum: MutableCounters = {};
  for (const counters of all) addCountersInto(sum, counters);
  return sum;
}

/** Unique set size: memory freed if the process exited (Private_*). */
export function ussOf(counters: Counters): number | undefined {
  return sumOfKnown(counters.privateClean, counters.privateDirty);
}

/** Dirty pages, shared or not: Private_Dirty + Shared_Dirty. */
export function dirtyOf(counters: Counters): number | undefined {
  return sumOfKnown(counters.privateDirty, counters.sharedDirty);
}

/** The sum of the values the kernel reported; unknown when it reported none. */
function sumOfKnown(...values: (number | undefined)[]): number | undefined {
  const known = values.filter((v) => v !== undefined);
  return known.length === 0 ? undefined : known.reduce((a, b) => a + b, 0);
}
