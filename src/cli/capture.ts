/**
 * `memsnap capture`: one snapshot into a single-snapshot archive.
 *
 * @module
 */

import type { SnapshotMeta } from "../archive/format.ts";
import { planCapture, streamCapture } from "../capture/stream_capture.ts";
import { openSource } from "../source/open_source.ts";
import { EXIT } from "./errors.ts";
import type { Io } from "./io.ts";
import type { CaptureRequest } from "./snap_args.ts";
import { VERSION } from "./version.ts";
import { type WriteChunk, writeStreamed } from "../sink/write_file.ts";

/** Captures a snapshot and writes it; returns the exit code. */
export async function runCapture(request: CaptureRequest, io: Io): Promise<number> {
  const warn = (message: string) => io.err(`memsnap: ${message}\n`);
  const source = await openSource(request.source, { warn });
  const options = { detail: request.detail, producer: `memsnap ${VERSION}` };
  // The head and metadata first: the default file name needs the time taken.
  const plan = await planCapture(source, options);
  let size = 0;
  const capture = async (write: WriteChunk) =>
    await streamCapture(source, options, plan, async (chunk) => {
      size += chunk.length;
      await write(chunk);
    });
  const path = request.output === "-" ? null : request.output ?? defaultArchiveName(plan.meta);
  const counts = path === null
    ? await capture((chunk) => io.outBytes(chunk))
    : await writeStreamed(path, { force: request.force }, capture);
  const count = `${counts.processes} process${counts.processes === 1 ? "" : "es"}`;
  if (counts.unreadable > 0) {
    warn(
      `${counts.unreadable} process${
        counts.unreadable === 1 ? "" : "es"
      } left out: permission denied reading their memory maps (reading other users' processes needs root or CAP_SYS_PTRACE)`,
    );
  }
  warn(
    path === null
      ? `captured ${count} (${request.detail} detail) to standard output`
      : `captured ${count} (${request.detail} detail) into ${path} (${Math.ceil(size / 1024)} kB)`,
  );
  return EXIT.ok;
}

/** `memsnap-HOST-YYYYMMDDTHHMMSSZ.tar.gz`, from the snapshot's host and time. */
export function defaultArchiveName(meta: SnapshotMeta): string {
  const host = (meta.hostname ?? "unknown").replace(/[^A-Za-z0-9._-]/g, "_");
  const time = (meta.takenAt ?? new Date().toISOString()).replace(/[-:]/g, "").replace(
    /\.\d+/,
    "",
  );
  return `memsnap-${host}-${time}.tar.gz`;
}
