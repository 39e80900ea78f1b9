/**
 * Files written whole or not at all: into a temporary name beside the
 * file, every byte checked, flushed to disk, then moved into place. A
 * failure at any step (a full disk, a name too long, an interruption)
 * removes the temporary file and names the file the user asked for.
 *
 * @module
 */

import { rmSync } from "node:fs";
import { type FileHandle, link, lstat, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { describeFsError, errorCode, SourceError } from "../errors/source_error.ts";

/** Writes a chunk to the file being made; resolves once it is written. */
export type WriteChunk = (chunk: Uint8Array) => Promise<void>;

/** How a file is written. */
export interface WriteOptions {
  /** Replace the file if it exists (a regular file only). */
  readonly force: boolean;
}

/** The temporary files being written now: removed on every way out. */
const temporaries = new Set<string>();

/**
 * Removes the temporary files being written, at once: for a front end that
 * exits on a signal in the middle of a write.
 */
export function removeTemporaries(): void {
  for (const path of temporaries) rmSync(path, { force: true });
  temporaries.clear();
}

/**
 * Writes a file whole or not at all. Without `force`, an existing file is
 * never replaced; with it, only a regular file is.
 *
 * @throws {SourceError} When the file exists (without force), is not a
 *   regular file, or cannot be written whole.
 */
export async function writeWhole(
  path: string,
  bytes: Uint8Array,
  options: WriteOptions,
): Promise<void> {
  await writeStreamed(path, options, (write) => write(bytes));
}

/**
 * Writes a file as `produce` makes it, chunk by chunk, whole or not at all:
 * into a temporary name beside it, flushed to disk and moved into place
 * once `produce` has finished; on any failure (`produce`'s own too) the
 * temporary file is removed and nothing is left behind.
 *
 * @returns What `produce` returns.
 * @throws {SourceError} As writeWhole; `produce`'s own error as it is.
 */
export async function writeStreamed<T>(
  path: string,
  options: WriteOptions,
  produce: (write: WriteChunk) => Promise<T>,
): Promise<T> {
  const failed = (error: unknown) => {
    if (errorCode(error) === "EEXIST" && !options.force) {
      return new SourceError(
        `Cannot write "${path}": it already exists (use --force to replace it)`,
      );
    }
    return new SourceError(`Cannot write "${path}": ${describeFsError(error)}`);
  };
  await refuseSpecialFile(path, options);
  const temporary = temporaryName(path);
  let file: FileHandle | undefined;
  try {
    // Known before it exists: a signal may come while open() creates it.
    temporaries.add(temporary);
    file = await open(temporary, "wx").catch((error) => {
      throw failed(error);
    });
    const handle = file;
    const result = await produce((chunk) =>
      writeAll(handle, chunk).catch((error) => {
        throw failed(error);
      })
    );
    // On disk before it has its name: a crash never leaves a short file under it.
    await handle.datasync().catch((error) => {
      throw failed(error);
    });
    file = undefined;
    await handle.close().catch((error) => {
      throw failed(error);
    });
    try {
      if (options.force) await rename(temporary, path);
      // link(2) fails when the name exists: no window to overwrite it.
      else await link(temporary, path);
    } catch (error) {
      throw failed(error);
    }
    return result;
  } finally {
    await file?.close().catch(() => {});
    await rm(temporary, { force: true });
    // Only once it is gone: a signal until then still removes it.
    temporaries.delete(temporary);
  }
}

/**
 * Writes every byte of a chunk: a write may take fewer bytes than given
 * (a disk that fills up takes what fits), and the next one then fails.
 */
export async function writeAll(file: FileHandle, chunk: Uint8Array): Promise<void> {
  for (let at = 0; at < chunk.length;) {
    const { bytesWritten } = await file.write(chunk, at, chunk.length - at);
    if (bytesWritten <= 0) throw Object.assign(new Error("short write"), { code: "ENOSPC" });
    at += bytesWritten;
  }
}

/**
 * With --force, only a regular file is replaced: a device (/dev/null), a
 * link or a directory under the name is refused, whatever it points at.
 */
async function refuseSpecialFile(path: string, options: WriteOptions): Promise<void> {
  if (!options.force) return;
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined || info.isFile()) return;
  const what = info.isSymbolicLink()
    ? "a symbolic link"
    : info.isDirectory()
    ? "a directory"
    : info.isCharacterDevice() || info.isBlockDevice()
    ? "a device"
    : "not a regular file";
  throw new SourceError(
    `Cannot write "${path}": it is ${what}, and --force replaces only a regular file`,
  );
}

/**
 * `.NAME.PID.tmp` beside the file, the name cut so that the temporary
 * name is no longer than a file system takes (255 bytes).
 */
function temporaryName(path: string): string {
  const name = basename(path);
  const suffix = `.${process.pid}.tmp`;
  const room = 255 - 1 - suffix.length;
  const bytes = new TextEncoder().encode(name);
  const kept = bytes.length <= room
    ? name
    : new TextDecoder().decode(bytes.slice(0, room)).replace(/\uFFFD+$/, "");
  return join(dirname(path), `.${kept}${suffix}`);
}
