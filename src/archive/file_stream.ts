import { createReadStream, type ReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { describeFsError, SourceError } from "../errors/source_error.ts";

/**
 * Opens a file to be streamed (an archive), so that a file that cannot be
 * opened fails here, named, before any reading starts.
 *
 * @param name Names the file in the message: `"rec.tar.gz"` by default.
 * @throws {SourceError} When the file cannot be opened, or is a directory.
 */
export async function openFileStream(path: string, name = `"${path}"`): Promise<ReadStream> {
  const info = await stat(path).catch(() => undefined);
  // A directory opens, then fails at the first read with EISDIR: say so now.
  if (info?.isDirectory()) throw new SourceError(`Cannot open ${name}: it is a directory`);
  const stream = createReadStream(path);
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once(
      "error",
      (error) => reject(new SourceError(`Cannot open ${name}: ${describeFsError(error)}`)),
    );
  });
  return stream;
}
