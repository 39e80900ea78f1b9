import { existsSync } from "node:fs";
import { openFileStream } from "../archive/file_stream.ts";
import { stat, statfs } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { directorySource } from "./directory_source.ts";
import type { ProcSource } from "./proc_source.ts";
import { describeFsError, SourceError } from "../errors/source_error.ts";

/** Where the live system's /proc is. */
export const LIVE_PROC = "/proc";
/** Where the live system's cgroup filesystem is. */
export const LIVE_CGROUP = "/sys/fs/cgroup";

/** The filesystem type statfs(2) gives a kernel procfs (PROC_SUPER_MAGIC). */
const PROC_SUPER_MAGIC = 0x9fa0;

/** How to open a source. */
export interface SourceOptions {
  readonly warn?: (message: string) => void;
  readonly previous?: boolean;
  /**
   * The largest file read from a mirror, or member from an archive, in
   * bytes: FILE_LIMIT (64 MiB) by default.
   */
  readonly maxFileBytes?: number;
}

/**
 * Opens what `-S SOURCE` names, as smem reads it: no source is the live
 * /proc; a directory is a mirror holding `proc/` (or a /proc tree itself);
 * a file is a tar or tar.gz archive; `-` is an archive on standard input.
 * `FILE@WHICH` picks one snapshot of a recording (docs/sources.md).
 *
 * @param options.warn Receives warnings (a recording cut short).
 * @param options.previous Keeps the snapshot before a recording's chosen one
 *   as the source's `previous` (CPU % between snapshots).
 * @param options.maxFileBytes The most read of one file or member.
 * @throws {SourceError} When the source is missing, unreadable, or neither
 *   a directory nor a regular file (a FIFO, a device).
 */
export async function openSource(
  spec: string | undefined,
  options: SourceOptions = {},
): Promise<ProcSource> {
  const warn = options.warn ?? (() => {});
  if (spec === undefined) {
    return directorySource(LIVE_PROC, { live: true, label: "live /proc", cgroupRoot: LIVE_CGROUP });
  }
  const { splitSourceSpec } = await import("../archive/pick.ts");
  const { path, pick, pickText } = splitSourceSpec(spec, existsSync);
  const chosen = pick && pickText !== undefined ? { pick, text: pickText } : undefined;
  if (path === "-") {
    return openArchive(process.stdin, "standard input", { pick: chosen, warn, options });
  }
  const info = await stat(path).catch((error) => {
    throw new SourceError(
      `Cannot open source "${path}": ${describeFsError(error)}`,
    );
  });
  if (info.isDirectory()) {
    if (chosen) {
      throw new SourceError(`Cannot open source "${spec}": a directory holds one snapshot, no @`);
    }
    return openDirectory(path, options.maxFileBytes);
  }
  // Opened now, so that an unreadable file is named as the source.
  const stream = await openFileStream(path, `source "${path}"`);
  return openArchive(stream, `"${path}"`, { pick: chosen, warn, options });
}

/** The archive reader (tar, gzip) is loaded only when an archive is read. */
async function openArchive(
  input: AsyncIterable<Uint8Array>,
  label: string,
  { pick, warn, options }: {
    pick: Parameters<typeof import("./open_archive.ts").openArchiveSnapshot>[2];
    warn: (message: string) => void;
    options: SourceOptions;
  },
): Promise<ProcSource> {
  const { openArchiveSnapshot } = await import("./open_archive.ts");
  try {
    const { source, warnings } = await openArchiveSnapshot(input, label, pick, {
      previous: options.previous === true,
      ...(options.maxFileBytes !== undefined && { maxMemberBytes: options.maxFileBytes }),
    });
    for (const warning of warnings) warn(warning);
    return source;
  } finally {
    if ("destroy" in input && typeof input.destroy === "function") input.destroy();
  }
}

async function openDirectory(dir: string, maxFileBytes: number | undefined): Promise<ProcSource> {
  for (const procDir of [join(dir, "proc"), dir]) {
    if (!await isProcTree(procDir)) continue;
    // Only a kernel's procfs is live (a copy could hold a "self" link too):
    // anything else is read as untrusted files.
    const live = await statfs(procDir).then(
      (info) => info.type === PROC_SUPER_MAGIC,
      () => false,
    );
    // A mirror's DIR/sys/fs/cgroup holds its cgroups' charges.
    const cgroupRoot = join(dir, "sys/fs/cgroup");
    const hasCgroups = procDir !== dir &&
      await stat(cgroupRoot).then((info) => info.isDirectory(), () => false);
    return directorySource(procDir, {
      live,
      label: live ? `live ${procDir}` : `"${dir}"`,
      ...(hasCgroups && { cgroupRoot }),
      ...(maxFileBytes !== undefined && { maxFileBytes }),
    });
  }
  throw new SourceError(
    `Cannot open source "${dir}": no proc/meminfo in it (smem -S DIR reads DIR/proc)`,
  );
}

async function isProcTree(dir: string): Promise<boolean> {
  return await stat(join(dir, "meminfo")).then(() => true, () => false);
}
