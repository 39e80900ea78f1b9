/**
 * `memsnap capture`: one snapshot into a single-snapshot archive.
 *
 * @module
 */

import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { SnapshotMeta } from "../source/archive/format.ts";
import { collectSnapshot } from "../capture/collect.ts";
import { packSnapshot } from "../capture/pack.ts";
import { openSource } from "../source/open_source.ts";
import { EXIT } from "./errors.ts";
import type { Io } from "./io.ts";
import type { CaptureRequest } from "./snap_args.ts";
import { VERSION } from "./version.ts";
import { writeWhole } from "./write_file.ts";

const gzipAsync = promisify(gzip);

/** Captures a snapshot and writes it; returns the exit code. */
export async function runCapture(request: CaptureRequest, io: Io): Promise<number> {
  const warn = (message: string) => io.err(`memsnap: ${message}\n`);
  const source = await openSource(request.source, { warn });
  const raw = await collectSnapshot(source, {
    detail: request.detail,
    producer: `memsnap ${VERSION}`,
  });
  const bytes = await gzipAsync(await packSnapshot(raw, { prefix: "" }));
  const count = `${raw.processes.length} process${raw.processes.length === 1 ? "" : "es"}`;
  if (raw.unreadable > 0) {
    warn(
      `${raw.unreadable} process${
        raw.unreadable === 1 ? "" : "es"
      } left out: permission denied reading their memory maps (reading other users' processes needs root or CAP_SYS_PTRACE)`,
    );
  }
  if (request.output === "-") {
    await io.outBytes(bytes);
    warn(`captured ${count} (${request.detail} detail) to standard output`);
    return EXIT.ok;
  }
  const path = request.output ?? defaultArchiveName(raw.meta);
  await writeWhole(path, bytes, { force: request.force });
  warn(
    `captured ${count} (${request.detail} detail) into ${path} (${
      Math.ceil(bytes.length / 1024)
    } kB)`,
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
