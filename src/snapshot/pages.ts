/**
 * What `--exact` reads beside smaps: each process's resident page frames and
 * swap entries (from /proc/PID/pagemap), and how many mappings hold each
 * frame (from /proc/kpagecount). Plain data, as the rest of a Snapshot.
 *
 * @module
 */

/** One process's pages, as pagemap gives them for its resident ranges. */
export interface ProcessPages {
  /**
   * Frame numbers of its resident pages, sorted ascending; a frame the
   * process maps twice is there twice. Empty in lower-bound mode.
   */
  readonly frames: readonly number[];
  /** Swap entries of its swapped-out pages, sorted ascending. */
  readonly swap: readonly number[];
  /** Resident pages pagemap flags "exclusively mapped" (mapped once, by it). */
  readonly exclusive: number;
}

/**
 * How the pages were read: `frames` with frame numbers (root), or
 * `lower-bound` with pagemap's exclusive bit only (any user, own processes).
 */
export type PagesMode = "frames" | "lower-bound";

/** The frames' mapping counts: distinct frames, sorted, and kpagecount's count for each. */
export interface FrameCounts {
  readonly frames: readonly number[];
  readonly counts: readonly number[];
}

/** A snapshot's page data: the mode, the page size, and the frames' counts. */
export interface SnapshotPages {
  readonly mode: PagesMode;
  /** Bytes per page. */
  readonly pageSize: number;
  /** Empty in lower-bound mode. */
  readonly frameCounts: FrameCounts;
}

/** A frame's mapping count from sorted counts; 0 when the frame is not there. */
export function mapCountOf(counts: FrameCounts): (frame: number) => number {
  const { frames } = counts;
  return (frame) => {
    let low = 0;
    let high = frames.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = frames[middle]!;
      if (at === frame) return counts.counts[middle]!;
      if (at < frame) low = middle + 1;
      else high = middle - 1;
    }
    return 0;
  };
}

/** The sorted lists as one sorted array. */
export function merged(lists: readonly (readonly number[])[]): Float64Array {
  let length = 0;
  for (const list of lists) length += list.length;
  const all = new Float64Array(length);
  let at = 0;
  for (const list of lists) {
    all.set(list, at);
    at += list.length;
  }
  // One list is sorted already; several are sorted together (numerically: a typed array).
  return lists.length > 1 ? all.sort() : all;
}

/** Calls `each` once per distinct value of a sorted array, with how often it occurs. */
export function eachRun(values: Float64Array, each: (value: number, n: number) => void): void {
  let at = 0;
  while (at < values.length) {
    const value = values[at]!;
    let end = at + 1;
    while (end < values.length && values[end] === value) end++;
    each(value, end - at);
    at = end;
  }
}
