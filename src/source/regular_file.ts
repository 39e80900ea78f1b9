/**
 * Opening files that are not the kernel's own (a mirror of /proc, an
 * archive, a kernel image) as untrusted input: only regular files, never
 * through a symbolic link that leaves the tree they belong to, and never
 * more than a size cap. A FIFO would block the read forever, /dev/zero or
 * /dev/urandom would never end, a link to /etc/shadow would print it.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { constants, type Stats } from "node:fs";
import { type FileHandle, open, realpath } from "node:fs/promises";
import type { BytesResult } from "./proc_source.ts";
import { describeFileType } from "../archive/file_stream.ts";
import { MEMBER_LIMIT, MEMBER_LIMIT_OPTION, mib } from "../archive/limits.ts";
import {
  DENIED_CODES,
  describeFsError,
  errorCode,
  MISSING_CODES,
  SourceError,
} from "../errors/source_error.ts";

/**
 * The largest file memsnap reads from a stored copy of /proc: 64 MiB, the
 * same cap as an archive's member (smaps of a process at the default
 * vm.max_map_count, 65,530 mappings of about 760 bytes, is about 50 MB).
 * `--max-file-size` raises it.
 */
export const FILE_LIMIT = MEMBER_LIMIT;

/** Bytes asked of each read past the size the file gave. */
const READ_SIZE = 65536;

// O_NONBLOCK: opening a FIFO without a writer returns at once, so that its
// type is seen (it has no effect on a regular file's reads).
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/**
 * Opens a regular file for reading, without blocking on a FIFO.
 *
 * @param path Followed if it is a symbolic link when `follow` (a path the
 *   user named); else a link is refused (ELOOP).
 * @param what Begins a refusal's message: `Cannot open source "x"`.
 * @throws {SourceError} When it is not a regular file ("...: not a regular
 *   file (a FIFO)"); fs errors are thrown as they are.
 */
export async function openRegular(
  path: string,
  what: string,
  options: { readonly follow: boolean },
): Promise<{ readonly handle: FileHandle; readonly info: Stats }> {
  const handle = await open(path, options.follow ? OPEN_FLAGS & ~constants.O_NOFOLLOW : OPEN_FLAGS);
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new SourceError(`${what}: not a regular file (${describeFileType(info)})`);
    }
    return { handle, info };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** How to read a file of a stored tree. */
export interface TreeFileOptions {
  /** The tree's directory, resolved (realpath): the file must lie in it. */
  readonly root: string;
  /** The most bytes read (FILE_LIMIT by default). */
  readonly maxBytes: number;
  /** Begins messages: `Cannot read "1234/smaps" in "DIR"`. */
  readonly what: string;
}

/**
 * Reads a file of a stored tree (a mirror's DIR/proc) as /proc reads go:
 * missing and denied are answers, not errors. A symbolic link is followed
 * only while it stays in the tree.
 *
 * @throws {SourceError} For a file that is not a regular file, that leads
 *   out of the tree, or that is larger than `maxBytes`.
 */
export async function readTreeFile(path: string, options: TreeFileOptions): Promise<BytesResult> {
  const { root, what } = options;
  let real: string;
  let opened: { handle: FileHandle; info: Stats };
  try {
    real = await realpath(path);
    if (real !== root && !real.startsWith(root.endsWith("/") ? root : `${root}/`)) {
      throw new SourceError(`${what}: it leads out of "${root}" (a symbolic link to "${real}")`);
    }
    opened = await openRegular(real, what, { follow: false });
  } catch (error) {
    if (error instanceof SourceError) throw error;
    const code = errorCode(error) ?? "";
    if (MISSING_CODES.has(code)) return { status: "missing" };
    if (DENIED_CODES.has(code)) return { status: "denied" };
    throw new SourceError(`${what}: ${describeFsError(error)}`);
  }
  try {
    return { status: "ok", bytes: await readAtMost(opened, options) };
  } finally {
    await opened.handle.close();
  }
}

/**
 * Reads an open file whole, refusing one larger than `maxBytes` (checked on
 * its size, then on what the reads give: a file may grow while read).
 */
async function readAtMost(
  { handle, info }: { handle: FileHandle; info: Stats },
  { maxBytes, what }: TreeFileOptions,
): Promise<Uint8Array> {
  const tooLarge = () =>
    new SourceError(
      `${what}: larger than ${
        mib(maxBytes)
      }, the most memsnap reads from a file (${MEMBER_LIMIT_OPTION} raises it)`,
    );
  if (info.size > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let total = 0;
  // One read past the cap tells a file that grew beyond it.
  let size = Math.min(info.size + 1, maxBytes + 1);
  while (true) {
    const buffer = new Uint8Array(size);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    chunks.push(buffer.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) throw tooLarge();
    size = Math.min(READ_SIZE, maxBytes + 1 - total);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
