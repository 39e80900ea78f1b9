/**
 * `memsnap-pages.bin`, the member of a capture taken with `--pages`: each
 * process's resident frame numbers and swap entries, and the mapping count
 * of every distinct frame, as `--exact` needs them (docs/FORMAT.md, version
 * 3). Numbers are unsigned LEB128 varints; sorted lists are stored as the
 * first value and then the differences, so that a list of nearby frames
 * takes about a byte per page before the archive's gzip.
 *
 * @module
 */

import { SourceError } from "../errors/source_error.ts";
import type { FrameCounts, ProcessPages, SnapshotPages } from "./pages.ts";

/** The member's name, beside memsnap.json. */
export const PAGES_MEMBER = "memsnap-pages.bin";

/** The member's first bytes: "MSPG", then its own layout version, 1. */
const MAGIC = [0x4d, 0x53, 0x50, 0x47];
const LAYOUT = 1;

/** What the member holds. */
export interface StoredPages {
  readonly pages: SnapshotPages;
  /** Each process's pages, by pid. */
  readonly processes: ReadonlyMap<number, ProcessPages>;
}

/** Encodes the member (frames mode: counts and frame numbers; lower-bound: exclusive counts). */
export function encodePages(stored: StoredPages): Uint8Array {
  const out = new Writer();
  for (const byte of MAGIC) out.byte(byte);
  out.uint(LAYOUT);
  out.uint(stored.pages.mode === "frames" ? 0 : 1);
  out.uint(stored.pages.pageSize);
  out.sorted(stored.pages.frameCounts.frames);
  for (const count of stored.pages.frameCounts.counts) out.uint(count);
  out.uint(stored.processes.size);
  for (const [pid, pages] of [...stored.processes].sort(([a], [b]) => a - b)) {
    out.uint(pid);
    out.uint(pages.exclusive);
    out.sorted(pages.frames);
    out.sorted(pages.swap);
  }
  return out.bytes();
}

/**
 * Decodes the member. Untrusted input: every count is checked against the
 * bytes left, every list against its order, every number against 2^53.
 *
 * @throws {SourceError} Naming the member and the byte where it is wrong.
 */
export function decodePages(bytes: Uint8Array, member: string): StoredPages {
  const input = new Reader(bytes, member);
  for (const byte of MAGIC) {
    if (input.byte() !== byte) input.fail("it does not begin with MSPG");
  }
  const layout = input.uint();
  if (layout !== LAYOUT) input.fail(`its layout ${layout} is not known (this memsnap reads 1)`);
  const modeCode = input.uint();
  if (modeCode > 1) input.fail(`mode ${modeCode} is not known`);
  const pageSize = input.uint();
  if (pageSize < 512 || pageSize > 2 ** 24 || (pageSize & (pageSize - 1)) !== 0) {
    input.fail(`a page size of ${pageSize} bytes is not a power of two a kernel uses`);
  }
  const frames = input.sorted(true);
  const counts = input.list(frames.length, () => input.uint());
  const frameCounts: FrameCounts = { frames, counts };
  const processes = new Map<number, ProcessPages>();
  const many = input.count();
  let previous = -1;
  for (let i = 0; i < many; i++) {
    const pid = input.uint();
    if (pid <= previous) input.fail(`pid ${pid} is out of order`);
    previous = pid;
    const exclusive = input.uint();
    processes.set(pid, { exclusive, frames: input.sorted(false), swap: input.sorted(false) });
  }
  if (!input.ended()) input.fail("it has bytes after its last process");
  return {
    pages: { mode: modeCode === 0 ? "frames" : "lower-bound", pageSize, frameCounts },
    processes,
  };
}

/** Appends varints to growing bytes. */
class Writer {
  #bytes = new Uint8Array(1024);
  #length = 0;

  byte(value: number): void {
    if (this.#length === this.#bytes.length) {
      const grown = new Uint8Array(this.#bytes.length * 2);
      grown.set(this.#bytes);
      this.#bytes = grown;
    }
    this.#bytes[this.#length++] = value;
  }

  /** An unsigned integer below 2^53, seven bits a byte, low first (arithmetic: past 2^32). */
  uint(value: number): void {
    let rest = value;
    while (rest >= 0x80) {
      this.byte((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.byte(rest);
  }

  /** A sorted list: its length, its first value, then each one's difference from the one before. */
  sorted(values: readonly number[]): void {
    this.uint(values.length);
    let previous = 0;
    for (const value of values) {
      this.uint(value - previous);
      previous = value;
    }
  }

  bytes(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }
}

/** Reads varints, failing with the member's name and the offset. */
class Reader {
  #at = 0;
  constructor(readonly input: Uint8Array, readonly member: string) {}

  fail(what: string): never {
    throw new SourceError(`Cannot read "${this.member}" at byte ${this.#at}: ${what}`);
  }

  byte(): number {
    if (this.#at >= this.input.length) this.fail("it ends too soon");
    return this.input[this.#at++]!;
  }

  uint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.byte();
      value += (byte & 0x7f) * scale;
      if (value > Number.MAX_SAFE_INTEGER) this.fail("a number is larger than 2^53");
      if ((byte & 0x80) === 0) return value;
      scale *= 0x80;
    }
  }

  /** A count of items that take a byte or more each: never more than the bytes left. */
  count(): number {
    const count = this.uint();
    if (count > this.input.length - this.#at) {
      this.fail(
        `it counts ${count} items, more than its ${this.input.length - this.#at} bytes left`,
      );
    }
    return count;
  }

  list(length: number, item: () => number): number[] {
    if (length > this.input.length - this.#at) this.fail("it ends too soon");
    const values = new Array<number>(length);
    for (let i = 0; i < length; i++) values[i] = item();
    return values;
  }

  /** A sorted list; `distinct`: strictly ascending (no difference of 0 but the first). */
  sorted(distinct: boolean): number[] {
    const length = this.count();
    let previous = 0;
    let first = true;
    return this.list(length, () => {
      const gap = this.uint();
      if (distinct && gap === 0 && !first) this.fail("a frame is listed twice");
      first = false;
      previous += gap;
      if (previous > Number.MAX_SAFE_INTEGER) this.fail("a number is larger than 2^53");
      return previous;
    });
  }

  ended(): boolean {
    return this.#at === this.input.length;
  }
}
