import { constants, type ReadStream, type Stats } from "node:fs";
import { open } from "node:fs/promises";
import { describeFsError, SourceError } from "../errors/source_error.ts";

/**
 * Opens a file to be streamed (an archive), so that a file that cannot be
 * opened fails here, named, before any reading starts. Only a regular file
 * is read: a FIFO would block forever, /dev/zero would never end (a
 * symbolic link the user named is followed to what it names).
 *
 * @param name Names the file in the message: `"rec.tar.gz"` by default.
 * @throws {SourceError} When the file cannot be opened, or is not a regular file.
 */
export async function openFileStream(path: string, name = `"${path}"`): Promise<ReadStream> {
  // O_NONBLOCK: a FIFO without a writer opens at once, and is refused below.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((error) => {
    throw new SourceError(`Cannot open ${name}: ${describeFsError(error)}`);
  });
  const info = await handle.stat().catch(async (error) => {
    await handle.close();
    throw new SourceError(`Cannot open ${name}: ${describeFsError(error)}`);
  });
  if (!info.isFile()) {
    await handle.close();
    throw new SourceError(`Cannot open ${name}: not a regular file (${describeFileType(info)})`);
  }
  // The stream owns the handle from here, and closes it.
  return handle.createReadStream();
}

/** What a file that is not a regular one is, for messages: "a FIFO". */
export function describeFileType(info: Stats): string {
  if (info.isFIFO()) return "a FIFO";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isSocket()) return "a socket";
  if (info.isDirectory()) return "a directory";
  if (info.isSymbolicLink()) return "a symbolic link";
  return "an unknown kind of file";
}
