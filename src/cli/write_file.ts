import { link, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { describeFsError, errorCode, SourceError } from "../source/source_error.ts";

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
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, bytes, { flag: "wx" });
    if (options.force) await rename(temporary, path);
    else {
      // link(2) fails when the name exists: no window to overwrite it.
      await link(temporary, path);
    }
  } catch (error) {
    if (errorCode(error) === "EEXIST" && !options.force) {
      throw new SourceError(
        `Cannot write "${path}": it already exists (use --force to replace it)`,
      );
    }
    throw new SourceError(`Cannot write "${path}": ${describeFsError(error)}`);
  } finally {
    await rm(temporary, { force: true });
  }
}
