/**
 * What a damaged or cut archive is called in messages, and the error that
 * says so (read_tar.ts raises it; a recording reads on past it).
 *
 * @module
 */

import { SourceError } from "../errors/source_error.ts";

/**
 * An archive that is damaged or cut short where it is read: a gzip stream
 * that zlib refuses, a tar header that is invalid, data that ends early. A
 * recording reads on past it, at its next gzip member (see resync.ts); a
 * limit or a name that climbs out is a plain SourceError, and stops.
 */
export class DamagedArchiveError extends SourceError {
  // Named as any SourceError: to a user, it is one.

  /**
   * @param what What was wrong: `its gzip stream is damaged (incorrect data check)`.
   * @param last The last member the tar reader began before it ("" for
   *   none), which the message names.
   * @param inGzip zlib refused the stream (else the tar reader refused what it gave).
   */
  constructor(
    label: string,
    readonly what: string,
    readonly last: string,
    readonly inGzip: boolean,
  ) {
    super(`Cannot read ${label}: ${what}${where(last)}`);
  }

  /** The input ended inside a member (a file cut short), with no damage seen. */
  get cut(): boolean {
    return !this.inGzip && /truncated/.test(this.what);
  }
}

/** ` after member "NAME"`: where in an archive trouble began; "" before any. */
export function where(last: string): string {
  return last === "" ? "" : ` after member "${last}"`;
}

/** A tar header's magic ("ustar", POSIX and GNU alike) and where it sits. */
const USTAR = "ustar";
const USTAR_AT = 257;

/**
 * Whether an input that ended before its first member began like a tar:
 * zeros (an empty tar), or a header with tar's magic. A text file is neither.
 */
function beganLikeTar(start: Uint8Array): boolean {
  if (start.every((byte) => byte === 0)) return true;
  const magic = start.subarray(USTAR_AT, USTAR_AT + USTAR.length);
  return new TextDecoder().decode(magic) === USTAR;
}

/** Describes what a zlib or tar-stream error means for the archive being read. */
export function describeStreamError(
  error: unknown,
  { gzipped, last, start, contentOf }: {
    readonly gzipped: boolean;
    readonly last: string;
    /** The first bytes, when the tar ended before its first member. */
    readonly start?: Uint8Array;
    /** The tar was inside a gzip stream (for the message). */
    readonly contentOf?: boolean;
  },
): string {
  const reason = error instanceof Error ? error.message : String(error);
  if (start !== undefined && /unexpected end/i.test(reason) && !beganLikeTar(start)) {
    return contentOf ? "its content is not a tar archive" : "not a tar or tar.gz archive";
  }
  if (/unexpected end/i.test(reason)) {
    return `the archive is truncated${gzipped ? " (its gzip stream ends early)" : ""}`;
  }
  if (/invalid tar header|unknown format/i.test(reason)) {
    // After a member, a bad header is damage (a damaged gzip stream decodes
    // to garbage before its checksum can tell); before any, another format.
    if (last !== "") return "it is damaged (a member's tar header is invalid)";
    return gzipped ? "its content is not a tar archive" : "not a tar or tar.gz archive";
  }
  if (gzipped) return `its gzip stream is damaged (${reason})`;
  return reason;
}
