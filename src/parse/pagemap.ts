/**
 * Parsers for the kernel's binary page files: /proc/PID/pagemap (one 64-bit
 * entry per virtual page) and /proc/kpagecount (one 64-bit count per page
 * frame). Both are little-endian u64 arrays on every architecture Linux
 * runs memsnap on; Documentation/admin-guide/mm/pagemap.rst defines them.
 *
 * @module
 */

import { ParseError } from "./parse_error.ts";

/** One pagemap entry, decoded. */
export type PagemapEntry =
  /** Nothing there (never touched, or dropped). */
  | { readonly kind: "none"; readonly exclusive: boolean }
  /**
   * A resident page. `frame` is its page frame number; 0 when the reader
   * lacks CAP_SYS_ADMIN (the kernel hides frame numbers since Linux 4.2).
   */
  | { readonly kind: "present"; readonly frame: number; readonly exclusive: boolean }
  /** A swapped-out page: its swap entry, type (bits 0-4) and offset (bits 5-54) as one number. */
  | { readonly kind: "swapped"; readonly entry: number; readonly exclusive: boolean };

const PRESENT = 1 << 31; // bit 63, in the high word
const SWAPPED = 1 << 30; // bit 62
const EXCLUSIVE = 1 << 24; // bit 56
const LOW_MASK_HIGH_WORD = (1 << 23) - 1; // bits 32-54 of the 55-bit field

/**
 * Decodes one entry from its two 32-bit halves (bit 63 present, bit 62
 * swapped, bit 56 "exclusively mapped", bits 0-54 the frame number or swap
 * entry). A 55-bit field fits a JavaScript number exactly.
 */
export function decodePagemapEntry(low: number, high: number): PagemapEntry {
  const exclusive = (high & EXCLUSIVE) !== 0;
  const field = (high & LOW_MASK_HIGH_WORD) * 2 ** 32 + (low >>> 0);
  if ((high & PRESENT) !== 0) return { kind: "present", frame: field, exclusive };
  if ((high & SWAPPED) !== 0) return { kind: "swapped", entry: field, exclusive };
  return { kind: "none", exclusive };
}

/** What a run of pagemap entries holds, as the exact accounting needs it. */
export interface PagemapRun {
  /** Frame numbers of the present pages, in address order (0: hidden). */
  readonly frames: number[];
  /** Swap entries of the swapped pages, in address order. */
  readonly swap: number[];
  /** Present pages the kernel flags as mapped once (bit 56). */
  readonly exclusive: number;
}

/**
 * Decodes a run of pagemap entries (what one read at offset 8 × page
 * gives), appending to `into` when given.
 *
 * @param file For the error message (`1234/pagemap`).
 * @throws {ParseError} When the length is not a whole number of entries.
 */
export function parsePagemap(
  bytes: Uint8Array,
  file: string,
  into: PagemapRun = { frames: [], swap: [], exclusive: 0 },
): PagemapRun {
  if (bytes.length % 8 !== 0) {
    throw new ParseError(file, 0, `${bytes.length} bytes is not a whole number of 8-byte entries`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let exclusive = into.exclusive;
  // decodePagemapEntry()'s rule, inlined: no object per page (a GiB is 262,144 pages).
  for (let at = 0; at < bytes.length; at += 8) {
    const high = view.getUint32(at + 4, true);
    if ((high & (PRESENT | SWAPPED)) === 0) continue;
    const field = (high & LOW_MASK_HIGH_WORD) * 2 ** 32 + view.getUint32(at, true);
    if ((high & PRESENT) !== 0) {
      into.frames.push(field);
      if ((high & EXCLUSIVE) !== 0) exclusive++;
    } else {
      into.swap.push(field);
    }
  }
  return { frames: into.frames, swap: into.swap, exclusive };
}

/**
 * Decodes /proc/kpagecount entries: how many times each frame is mapped
 * (page tables pointing at it); 0 for a frame no process maps, or one the
 * kernel does not count (the shared zero page, device memory).
 *
 * @throws {ParseError} When the length is not a whole number of entries.
 */
export function parseKpagecount(bytes: Uint8Array, file = "kpagecount"): number[] {
  if (bytes.length % 8 !== 0) {
    throw new ParseError(file, 0, `${bytes.length} bytes is not a whole number of 8-byte entries`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const counts: number[] = [];
  for (let at = 0; at < bytes.length; at += 8) {
    counts.push(view.getUint32(at + 4, true) * 2 ** 32 + view.getUint32(at, true));
  }
  return counts;
}
