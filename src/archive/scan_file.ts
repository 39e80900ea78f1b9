/**
 * Scans an archive file from start to end once: what `list` and `chart`
 * read a recording with.
 *
 * @module
 */

import { openFileStream } from "./file_stream.ts";
import { scanArchive, type ScanResult, type ScanVisitor } from "./scan_archive.ts";

/**
 * Opens the file (so that one that cannot be opened is named before any
 * reading), scans it with the visitor, and closes it whatever happens.
 *
 * @throws {SourceError} As openFileStream and scanArchive.
 */
export async function scanArchiveFile(path: string, visitor: ScanVisitor): Promise<ScanResult> {
  const stream = await openFileStream(path);
  try {
    return await scanArchive(stream, `"${path}"`, visitor);
  } finally {
    stream.destroy();
  }
}
