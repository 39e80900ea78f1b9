import { lstat, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import process from "node:process";
import { directorySource } from "./directory_source.ts";
import type { ProcSource } from "./proc_source.ts";
import { describeFsError, SourceError } from "./source_error.ts";

/** Where the live system's /proc is. */
export const LIVE_PROC = "/proc";
/** Where the live system's cgroup filesystem is. */
export const LIVE_CGROUP = "/sys/fs/cgroup";

/**
 * Opens what `-S SOURCE` names, as smem reads it: no source is the live
 * /proc; a directory is a mirror holding `proc/` (or a /proc tree itself);
 * a file is a tar or tar.gz archive; `-` is an archive on standard input.
 *
 * @throws {SourceError} When the source is missing, unreadable or neither.
 */
export async function openSource(spec: string | undefined): Promise<ProcSource> {
  if (spec === undefined) {
    return directorySource(LIVE_PROC, { live: true, label: "live /proc", cgroupRoot: LIVE_CGROUP });
  }
  if (spec === "-") return openArchive(await readStdin(), "standard input");
  const info = await stat(spec).catch((error) => {
    throw new SourceError(
      `Cannot open source "${spec}": ${describeFsError(error)}`,
    );
  });
  if (info.isDirectory()) return openDirectory(spec);
  const bytes = await readFile(spec).catch((error) => {
    throw new SourceError(
      `Cannot open source "${spec}": ${describeFsError(error)}`,
    );
  });
  return openArchive(bytes, `"${spec}"`);
}

/** The archive reader (tar, gzip) is loaded only when an archive is read. */
async function openArchive(bytes: Uint8Array, label: string): Promise<ProcSource> {
  const { archiveSource } = await import("./archive_source.ts");
  return archiveSource(bytes, label);
}

async function openDirectory(dir: string): Promise<ProcSource> {
  for (const procDir of [join(dir, "proc"), dir]) {
    if (!await isProcTree(procDir)) continue;
    // A procfs has the "self" link; a copied tree has not.
    const live = await lstat(join(procDir, "self")).then(
      (info) => info.isSymbolicLink(),
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
    });
  }
  throw new SourceError(
    `Cannot open source "${dir}": no proc/meminfo in it (smem -S DIR reads DIR/proc)`,
  );
}

async function isProcTree(dir: string): Promise<boolean> {
  return await stat(join(dir, "meminfo")).then(() => true, () => false);
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
