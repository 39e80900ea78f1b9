/**
 * Exact memory of groups of processes, counted by page frames: what the
 * kernel would free if every process of a group exited at once.
 *
 * The rule, per distinct frame a group maps: let n be the number of times
 * the group's processes map it (pagemap entries that name it) and c the
 * kernel's count of mappings of it (/proc/kpagecount). The frame is the
 * group's own (group USS) when n ≥ c, shared with others when n < c; a
 * frame with c = 0 is not counted at all (the shared zero page and device
 * memory: the kernel keeps no count of them, and smaps' Rss leaves them out
 * too). n > c happens only when a mapping went away between the two reads.
 * Swap entries have no kernel count: an entry is the group's own when no
 * other process of the snapshot holds it.
 *
 * Caveats: kpagecount is read after pagemap, so a page mapped or unmapped
 * meanwhile is misjudged; a transparent huge page is judged per 4 KiB
 * frame (kpagecount gives each subpage its own count); pages in the page
 * cache that nobody maps, and memory only the kernel holds for the group
 * (page tables, kernel stacks, a memfd no one maps), are not there at all.
 *
 * @module
 */

import {
  eachRun,
  type FrameCounts,
  mapCountOf,
  merged,
  type ProcessPages,
} from "../snapshot/pages.ts";

/** A group's pages, counted exactly. */
export interface ExactPages {
  /** Resident pages mapped only by the group's processes. */
  readonly uss: number;
  /** Distinct resident pages the group maps. */
  readonly rss: number;
  /** Resident pages the group maps that others map too (rss − uss). */
  readonly shared: number;
  /** Swap entries only the group's processes hold. */
  readonly swapUss: number;
  /** Distinct swap entries the group holds. */
  readonly swap: number;
}

/**
 * The exact pages of each group.
 *
 * @param processes Every process read, the group's and the others': the
 *   others' swap entries decide what is shared.
 * @param keyOf A process's group; undefined for a process in none.
 */
export function exactGroups<T extends { readonly pages?: ProcessPages }, K>(
  processes: readonly T[],
  keyOf: (process: T) => K | undefined,
  frameCounts: FrameCounts,
): Map<K, ExactPages> {
  const members = new Map<K, ProcessPages[]>();
  for (const process of processes) {
    const pages = process.pages;
    if (pages === undefined) continue;
    const key = keyOf(process);
    if (key === undefined) continue;
    const list = members.get(key);
    if (list === undefined) members.set(key, [pages]);
    else list.push(pages);
  }
  return exactOfMembers(processes, members, frameCounts);
}

/**
 * The exact pages of groups given by their members, which may overlap
 * (the process tree's subtrees nest).
 *
 * @param processes Every process read: their swap entries decide what is shared.
 */
export function exactOfMembers<K>(
  processes: readonly { readonly pages?: ProcessPages }[],
  members: ReadonlyMap<K, readonly ProcessPages[]>,
  frameCounts: FrameCounts,
): Map<K, ExactPages> {
  const swapHolders = new Map<number, number>();
  for (const { pages } of processes) {
    for (const entry of pages?.swap ?? []) {
      swapHolders.set(entry, (swapHolders.get(entry) ?? 0) + 1);
    }
  }
  const mapCount = mapCountOf(frameCounts);
  const groups = new Map<K, ExactPages>();
  for (const [key, list] of members) {
    let uss = 0;
    let rss = 0;
    eachRun(merged(list.map((pages) => pages.frames)), (frame, n) => {
      const c = mapCount(frame);
      if (c === 0) return;
      rss++;
      if (n >= c) uss++;
    });
    let swapUss = 0;
    let swap = 0;
    eachRun(merged(list.map((pages) => pages.swap)), (entry, n) => {
      swap++;
      if (n >= swapHolders.get(entry)!) swapUss++;
    });
    groups.set(key, { uss, rss, shared: rss - uss, swapUss, swap });
  }
  return groups;
}

/**
 * A lower bound of each group's USS without frame numbers: the pages
 * pagemap flags as exclusively mapped (mapped once, so by that process
 * alone). It leaves out what the group's processes share only among
 * themselves, so it never exceeds the exact group USS.
 */
export function lowerBoundGroups<T extends { readonly pages?: ProcessPages }, K>(
  processes: readonly T[],
  keyOf: (process: T) => K | undefined,
): Map<K, number> {
  const groups = new Map<K, number>();
  for (const process of processes) {
    if (process.pages === undefined) continue;
    const key = keyOf(process);
    if (key === undefined) continue;
    groups.set(key, (groups.get(key) ?? 0) + process.pages.exclusive);
  }
  return groups;
}
