/**
 * Reading a recording past damage. Each of a recording's snapshots is its
 * own gzip member (docs/FORMAT.md), so a damaged one need not hide those
 * after it: the reader stops where zlib or the tar reader refuses the data,
 * finds the next gzip member header after that point in the compressed
 * bytes, and reads on from there with a fresh decoder. A header found
 * inside compressed data by chance fails to decode and is passed over.
 *
 * The compressed bytes are fed to zlib in pieces that end where a member
 * header may begin, so that what zlib decoded of one member reaches the
 * reader before the next member is decoded (a failure drops the output of
 * the piece it happens in).
 *
 * @module
 */

import { DamagedArchiveError } from "./damage.ts";
import { MEMBER_LIMIT } from "./limits.ts";
import { type ArchiveEnd, type Member, readMembers } from "./read_tar.ts";
import type { GzipEnd } from "./gunzip_chunks.ts";
import { RawTape } from "./raw_tape.ts";

/** Where a reader stopped on damage, before it read on. */
export interface Damage {
  readonly damage: DamagedArchiveError;
  /**
   * The gzip member that held the last member read ended, and zlib checked
   * it whole (its CRC), before the damage: that member and those before it
   * in the same gzip member are sound.
   */
  readonly afterWholeMember: boolean;
}

/** A member, or the damage a recording's reading passed over. */
export type ResumableItem = Member | Damage;

/** Tells a Damage from a Member. */
export function isDamage(item: ResumableItem): item is Damage {
  return "damage" in item;
}

/** Members read with the option to read on past damage. */
export interface ResumableMembers {
  readonly items: AsyncGenerator<ResumableItem, ArchiveEnd>;
  /**
   * From now on, damage is yielded and passed over instead of thrown (a
   * recording, known once its first member is read).
   */
  resumeOnDamage(): void;
}

/**
 * Reads an archive's members as readMembers does; once resumeOnDamage()
 * was called, a gzip stream's damage is yielded as a Damage and reading
 * goes on at the next gzip member. A plain tar cannot resume: its reading
 * ends at its damage.
 *
 * @throws {DamagedArchiveError} Before resumeOnDamage().
 * @throws {SourceError} As readMembers (limits, names).
 */
export function resumableMembers(
  input: AsyncIterable<Uint8Array>,
  label: string,
  memberLimit: number = MEMBER_LIMIT,
): ResumableMembers {
  let resume = false;
  const tape = new RawTape(input);
  async function* items(): AsyncGenerator<ResumableItem, ArchiveEnd> {
    try {
      const gzipped = await tape.gzipped();
      // Read a byte at a time: where zlib failed at a header it reached in
      // the middle of a piece (it drops what it decoded of that piece).
      let bytewise: { from: number; to: number } | undefined;
      for (let start = 0;;) {
        const gzip: GzipEnd = { complete: false, consumed: () => 0 };
        const consumed = () => start + gzip.consumed();
        // What a rewind may need: from the member header before where zlib
        // is, on. A capture (one gzip member: no header after its first)
        // keeps nothing behind zlib; a plain tar cannot rewind.
        const keepFrom = gzipped
          ? () => {
            const header = tape.cutAtOrBefore(consumed(), start);
            return header > 0 ? header : consumed();
          }
          : () => Infinity;
        // Where zlib was when the last member was read.
        let lastRead = start;
        const members = readMembers(tape.from(start, keepFrom, bytewise), label, {
          memberLimit,
          gzip,
        });
        try {
          while (true) {
            const next = await members.next();
            if (next.done) return next.value;
            lastRead = consumed();
            yield next.value;
          }
        } catch (error) {
          if (!(error instanceof DamagedArchiveError)) throw error;
          if (!gzipped) {
            // A plain tar has no member to resume at: its reading ends here.
            if (!resume) throw error;
            yield { damage: error, afterWholeMember: false };
            return { gzipComplete: null, tarEnded: false, last: "" };
          }
          const stopped = consumed();
          const atHeader = error.inGzip && HEADER_ERROR.test(error.what);
          const exact = bytewise !== undefined && stopped >= bytewise.from && stopped < bytewise.to;
          bytewise = undefined;
          if (atHeader && !exact) {
            // zlib ended a member, then refused the next one's header, in
            // one piece, and dropped what it decoded of the piece: read it
            // again, from its member's header, a byte at a time there.
            const header = keepFrom();
            bytewise = { from: stopped, to: stopped + BYTEWISE_LIMIT };
            start = header;
            continue;
          }
          if (!resume) throw error;
          // The gzip member before ended whole, checked by zlib, when zlib
          // then failed after a header it reached once that member was
          // read, or at a header (read a byte at a time).
          const whole = tape.cutBetween(lastRead, stopped) || (exact && atHeader);
          yield { damage: error, afterWholeMember: whole };
          // The next member begins at the header of the piece zlib failed in
          // (a member cut short runs on into the next, which fails), or
          // after: each header is tried once. A piece members were read from
          // is not read again: zlib failed in its last bytes (a file cut in
          // a member's end, or its trailer), after its members were whole.
          const failedIn = keepFrom();
          const from = lastRead > failedIn ? failedIn + 1 : failedIn;
          const next = await tape.nextHeader(Math.max(from, start + 1));
          if (next === undefined) return { gzipComplete: false, tarEnded: false, last: "" };
          start = next;
        } finally {
          await members.return(NO_END);
        }
      }
    } finally {
      await tape.close();
    }
  }
  return { items: items(), resumeOnDamage: () => (resume = true) };
}

/** zlib's refusals of a member header (RFC 1952's ID, method, flags). */
const HEADER_ERROR = /header|unknown compression method|invalid window size/;

/** The most bytes read a byte at a time (a piece is at most a chunk: 64 kB). */
const BYTEWISE_LIMIT = 65536;

/** What a reader stopped early returns: its end was not seen. */
const NO_END: ArchiveEnd = { gzipComplete: null, tarEnded: false, last: "" };

/** Iterates members, keeping how the archive ended in `out.end`. */
export async function* keepEnd<T>(
  members: AsyncGenerator<T, ArchiveEnd>,
  out: { end?: ArchiveEnd },
): AsyncGenerator<T> {
  out.end = yield* members;
}
