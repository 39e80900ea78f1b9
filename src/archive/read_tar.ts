/**
 * Streams the members of a tar or tar.gz archive, one at a time, with the
 * checks that make reading an untrusted archive safe: no member name that
 * leaves the archive, no member or run of padding beyond a size cap (a
 * decompression bomb stops with a message, not with the memory full).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { extract } from "tar-stream";
import { SourceError } from "../errors/source_error.ts";
import { drained, gunzipChunks, type GzipEnd } from "./gunzip_chunks.ts";
import { DamagedArchiveError, describeStreamError, where } from "./damage.ts";
import { MEMBER_LIMIT, MEMBER_LIMIT_OPTION, mib } from "./limits.ts";

/** One member, read whole. */
export interface Member {
  /** Normalised: no `./`, no trailing `/`. */
  readonly name: string;
  readonly type: "file" | "directory" | "other";
  readonly data: Uint8Array;
  readonly uid: number;
  readonly gid: number;
  /** Owner names; "" when the archive has none. */
  readonly user: string;
  readonly group: string;
}

/** What reading an archive's members may be given. */
export interface ReadOptions {
  /** The largest member read (MEMBER_LIMIT; tests lower it). */
  readonly memberLimit?: number;
  /**
   * Filled as a gzip stream is decoded: how it ended, and how much of it
   * zlib has consumed (where a recording resumes after damage).
   */
  readonly gzip?: GzipEnd;
}

/** How an archive read to its end ended: known once every member is read. */
export interface ArchiveEnd {
  /** Whether its gzip stream ended with its trailer; null for a plain tar. */
  readonly gzipComplete: boolean | null;
  /** Whether the tar ends with its end-of-archive blocks (zeros). */
  readonly tarEnded: boolean;
  /** The last member's name; "" for none. */
  readonly last: string;
}

/** A tar block: a header, or a piece of a member's data. */
const BLOCK = 512;
/** The size of tar's end-of-archive marker: two blocks of zeros. */
const TAR_END = 2 * BLOCK;

/**
 * Reads the members of an archive as they come: the stream is read once,
 * and only the current member is held. Stopping early (`break`) closes it.
 * Read to its end, it returns how the archive ended: a cut between two
 * members, or inside the gzip trailer, loses no member but shows there.
 *
 * @param input The archive's bytes, gzip-compressed or not.
 * @param label Names the archive in messages.
 * @throws {DamagedArchiveError} For a truncated or damaged archive, after
 *   every member decoded before the damage.
 * @throws {SourceError} For a member whose name is absolute or climbs out
 *   with `..`, a member larger than memberLimit, or more padding than a
 *   member could hold.
 */
export async function* readMembers(
  input: AsyncIterable<Uint8Array>,
  label: string,
  options: ReadOptions = {},
): AsyncGenerator<Member, ArchiveEnd> {
  const memberLimit = options.memberLimit ?? MEMBER_LIMIT;
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new SourceError(`Cannot read ${label}: it is empty`);
  const head = first.value;
  refuseOtherCompression(head, label);
  const gzipped = head[0] === 0x1f && head[1] === 0x8b;
  const raw = (async function* () {
    yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield next.value;
    }
  })();

  const tar = extract();
  let last = "";
  // Bytes fed to the tar reader since the last member began: zero blocks
  // are skipped silently, so a bomb of zeros is caught here.
  let sinceMember = 0;
  let failure: SourceError | undefined;
  // What zlib refused: thrown once the members decoded before it are read.
  let streamFailure: unknown;
  const damaged = () =>
    new DamagedArchiveError(
      label,
      describeStreamError(streamFailure, { gzipped, last }),
      last,
      gzipped,
    );
  // A truncated gzip stream gives all it holds (not an error that drops
  // what was decoded last); the tar reader then says where it ends.
  const gzip: GzipEnd = options.gzip ?? { complete: false, consumed: () => 0 };
  // The last bytes fed to the tar reader, to see its end-of-archive blocks.
  let tail: Uint8Array = new Uint8Array(0);
  // The first bytes fed, to tell a tar cut short from what is no tar at all.
  let start: Uint8Array = new Uint8Array(0);
  const feed = async () => {
    try {
      const chunks = gzipped ? gunzipChunks(raw, gzip) : raw;
      for await (const chunk of chunks) {
        tail = lastBytes(tail, chunk, TAR_END);
        if (start.length < BLOCK) start = firstBytes(start, chunk, BLOCK);
        sinceMember += chunk.length;
        if (sinceMember > memberLimit + 2 ** 20) {
          throw new SourceError(
            `Cannot read ${label}: more than ${mib(memberLimit)} of data${
              where(last)
            } that belongs to no member (a decompression bomb?)`,
          );
        }
        if (tar.destroyed) return; // The reader stopped early.
        if (!tar.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
          await drained(tar);
        }
      }
      if (!tar.destroyed) tar.end(null);
    } catch (error) {
      if (error instanceof SourceError) {
        failure = error;
        tar.destroy(failure);
      } else {
        streamFailure = error;
        // The members decoded before the damage are still read; then this.
        if (!tar.destroyed) tar.end(null);
      }
    } finally {
      await iterator.return?.();
    }
  };
  const feeding = feed();

  try {
    for await (const entry of tar) {
      const { header } = entry;
      const name = normalise(header.name);
      last = name;
      sinceMember = 0;
      checkName(header.name, label);
      const size = header.size ?? 0;
      if (size > memberLimit) {
        throw new SourceError(
          `Cannot read ${label}: member "${name}" is ${mib(size)} uncompressed, more than the ${
            mib(memberLimit)
          } memsnap reads (${MEMBER_LIMIT_OPTION} raises it)`,
        );
      }
      const chunks: Uint8Array[] = [];
      for await (const chunk of entry) chunks.push(chunk as Uint8Array);
      yield {
        name,
        type: header.type === "file" || header.type === "contiguous-file"
          ? "file"
          : header.type === "directory"
          ? "directory"
          : "other",
        data: Buffer.concat(chunks),
        uid: header.uid ?? -1,
        gid: header.gid ?? -1,
        user: header.uname ?? "",
        group: header.gname ?? "",
      };
    }
  } catch (error) {
    if (failure) throw failure;
    if (streamFailure !== undefined) throw damaged();
    if (error instanceof SourceError) throw error;
    throw new DamagedArchiveError(
      label,
      describeStreamError(error, {
        gzipped: false,
        last,
        // Ended inside its first block: a tar cut short, or no tar at all?
        ...(last === "" && !(gzipped && !gzip.complete) && { start, contentOf: gzipped }),
      }),
      last,
      false,
    );
  } finally {
    tar.destroy();
    await feeding;
  }
  if (failure) throw failure;
  if (streamFailure !== undefined) throw damaged();
  return {
    gzipComplete: gzipped ? gzip.complete : null,
    tarEnded: tail.length === TAR_END && tail.every((byte) => byte === 0),
    last,
  };
}

/** The last `count` bytes of `before` followed by `chunk`. */
function lastBytes(before: Uint8Array, chunk: Uint8Array, count: number): Uint8Array {
  if (chunk.length >= count) return chunk.slice(chunk.length - count);
  const joined = new Uint8Array(Math.min(count, before.length + chunk.length));
  const kept = joined.length - chunk.length;
  joined.set(before.subarray(before.length - kept), 0);
  joined.set(chunk, kept);
  return joined;
}

/** The first `count` bytes of `before` followed by `chunk`. */
function firstBytes(before: Uint8Array, chunk: Uint8Array, count: number): Uint8Array {
  const joined = new Uint8Array(Math.min(count, before.length + chunk.length));
  joined.set(before, 0);
  joined.set(chunk.subarray(0, joined.length - before.length), before.length);
  return joined;
}

function refuseOtherCompression(head: Uint8Array, label: string): void {
  const magic = new TextDecoder().decode(head.subarray(0, 6));
  if (magic.startsWith("BZh") || magic === "\xfd7zXZ\0") {
    throw new SourceError(
      `Cannot read ${label}: compressed with ${
        magic.startsWith("BZh") ? "bzip2" : "xz"
      }; decompress it first, or use tar or tar.gz`,
    );
  }
}

function checkName(name: string, label: string): void {
  if (name.startsWith("/") || name.split("/").includes("..")) {
    throw new SourceError(
      `Cannot read ${label}: member "${name}" ${
        name.startsWith("/") ? "has an absolute name" : 'climbs out of the archive with ".."'
      }`,
    );
  }
}

/** `./123/smaps`, `proc/123/smaps` and `123/smaps` name the same member. */
export function normalise(name: string): string {
  return name.replace(/^(\.\/)+/, "").replace(/^proc\//, "").replace(/\/+$/, "");
}
