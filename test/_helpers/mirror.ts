/**
 * Directory mirrors of /proc (DIR/proc/PID/...) for smem -S DIR: unpacked
 * from a capture, or copied from this machine's /proc.
 */

import { ROOT } from "./memsnap.ts";

/** A capture kept in fixtures/captures. */
export function capturePath(name: string): string {
  return `${ROOT}fixtures/captures/${name}`;
}

/**
 * Unpacks a tar.gz capture into a new DIR/proc with GNU tar, which keeps the
 * owners when run as root (smem and memsnap then read them from the disk).
 *
 * @param options.under Makes DIR inside this directory (one the test
 *   removes), instead of in the system's temporary directory.
 * @returns DIR; the caller removes it (or the directory it is under).
 */
export async function unpackCapture(
  archive: string,
  options: { under?: string } = {},
): Promise<string> {
  const dir = await Deno.makeTempDir({
    prefix: "memsnap-mirror-",
    ...(options.under !== undefined && { dir: options.under }),
  });
  await Deno.mkdir(`${dir}/proc`);
  const { success, stderr } = await new Deno.Command("tar", {
    args: ["-xzf", archive, "-C", `${dir}/proc`],
    stderr: "piped",
  }).output();
  if (!success) throw new Error(`tar failed: ${new TextDecoder().decode(stderr)}`);
  return dir;
}

// What smem reads must be there; the rest is copied where readable (a
// kernel thread has no smaps_rollup to read).
const REQUIRED = ["smaps", "cmdline", "stat"];
const OPTIONAL = ["smaps_rollup", "status", "cgroup"];

/**
 * Copies this machine's /proc into a new DIR/proc: meminfo, version and,
 * for every process, the files smem and memsnap read, the PID directory
 * owned like /proc/PID (when run as root). A process that exits or refuses
 * while copied is left out whole.
 *
 * @param normalise Rewrites each process's files before they are written.
 * @returns DIR.
 */
export async function copyLiveProc(
  normalise: (files: Map<string, Uint8Array>) => void = () => {},
): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-live-" });
  const proc = `${dir}/proc`;
  await Deno.mkdir(proc);
  for (const file of ["meminfo", "version"]) {
    await Deno.writeFile(`${proc}/${file}`, await Deno.readFile(`/proc/${file}`));
  }
  const root = Deno.uid() === 0;
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const files = new Map<string, Uint8Array>();
    let owner: Deno.FileInfo;
    try {
      owner = await Deno.stat(`/proc/${entry.name}`);
      for (const file of REQUIRED) {
        files.set(file, await Deno.readFile(`/proc/${entry.name}/${file}`));
      }
    } catch {
      continue; // Exited, or not readable (smem would skip it too).
    }
    for (const file of OPTIONAL) {
      await Deno.readFile(`/proc/${entry.name}/${file}`).then(
        (bytes) => files.set(file, bytes),
        () => {},
      );
    }
    normalise(files);
    await Deno.mkdir(`${proc}/${entry.name}`);
    for (const [file, bytes] of files) {
      await Deno.writeFile(`${proc}/${entry.name}/${file}`, bytes);
    }
    if (root) await Deno.chown(`${proc}/${entry.name}`, owner.uid, owner.gid);
  }
  return dir;
}
