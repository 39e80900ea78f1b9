import { link, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { describeFsError, errorCode, SourceError } from "../errors/source_error.ts";

/** Writes a chunk to the file being made; resolves once it is written. */
export type WriteChunk = (chunk: Uint8Array) => Promise<void>;

/**
 * Writes a file whole or not at all: to a temporary name beside it, then
 * moved into place. Without `force`, an existing file is never replaced.
 *
 * @throws {SourceError} When the file exists (without force) or cannot be written.
 */
export async function writeWhole(
  path: string,
  bytes: Uint8Array,
  options: { readonly force: boolean },
): Promise<void> {
  await writeStreamed(path, options, (write) => write(bytes));
}

/**
 * Writes a file as `produce` makes it, chunk by chunk, whole or not at all:
 * into a temporary name beside it, moved into place once `produce` has
 * finished; on any failure (`produce`'s own too) the temporary file is
 * removed and nothing is left behind.
 *
 * @returns What `produce` returns.
 * @throws {SourceError} When the file exists (without force) or cannot be
 *   written; `produce`'s own error as it is.
 */
export async function writeStreamed<T>(
  path: string,
  options: { readonly force: boolean },
  produce: (write: WriteChunk) => Promise<T>,
): Promise<T> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const failed = (error: unknown) => {
    if (errorCode(error) === "EEXIST" && !options.force) {
      return new SourceError(
        `Cannot write "${path}": it already exists (use --force to replace it)`,
      );
    }
    return new SourceError(`Cannot write "${path}": ${describeFsError(error)}`);
  };
  try {
    let result: T;
    const file = await open(temporary, "wx").catch((error) => {
      throw failed(error);
    });
    try {
      result = await produce(async (chunk) => {
        await file.write(chunk).catch((error) => {
          throw failed(error);
        });
      });
    } finally {
      await file.close();
    }
    try {
      if (options.force) await rename(temporary, path);
      // link(2) fails when the name exists: no window to overwrite it.
      else await link(temporary, path);
    } catch (error) {
      throw failed(error);
    }
    return result;
  } finally {
    await rm(temporary, { force: true });
  }
}
