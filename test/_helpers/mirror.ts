/**
 * Directory mirrors of /proc (DIR/proc/PID/...) for smem -S DIR: unpacked
 * from a capture, or copied from this machine's /proc.
 */

import { Buffer } from "node:buffer";
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

/** An smaps header: range, perms, offset, device, inode, then the padded name. */
const SMAPS_HEADER = /^([0-9a-f]+-[0-9a-f]+ \S+ [0-9a-f]+ \S+ \d+ +)(\S+)[^\S\n].*$/gm;

/**
 * smaps with every mapping named as smem names it, by its first word:
 * smem splits the header on white space, memsnap keeps the whole name (a
 * documented difference, docs/differences-from-smem.md). A parity test on
 * this machine's data applies it to the copy both tools read, so that a
 * file whose name holds a space (Chromium's "Network Action Predictor")
 * does not tell them apart. Byte for byte otherwise (latin1 round trip).
 */
export function smemMappingNames(smaps: Uint8Array): Uint8Array {
  const text = Buffer.from(smaps).toString("latin1");
  return Uint8Array.from(Buffer.from(text.replace(SMAPS_HEADER, "$1$2"), "latin1"));
}

/**
 * Characters memsnap writes in a visible form on a terminal (`\n`, `\x1b`,
 * `\u202e`: docs/security.md) and smem prints raw.
 */
const TERMINAL_UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** The text with every character memsnap would show visibly, NULs aside, as "?". */
function plainText(bytes: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(bytes);
  return new TextEncoder().encode(
    text.replace(TERMINAL_UNSAFE, (char) => char === "\0" ? char : "?"),
  );
}

/**
 * Rewrites one process's files (name to bytes) so that smem reads them as
 * memsnap does: its known bugs and documented differences are pinned in
 * smem_differences_test.ts and security tests, and a live test must not
 * meet them by chance in whatever else runs on the machine (a `bash -c`
 * script whose command line holds a newline, a process named with ")").
 */
export function smemComparable(files: Map<string, Uint8Array>): void {
  // A file whose name holds a space ("Network Action Predictor"): smem
  // keeps "Network", memsnap the whole name (docs/differences-from-smem.md).
  const smaps = files.get("smaps");
  if (smaps !== undefined) files.set("smaps", smemMappingNames(smaps));
  // smem drops the last byte of a cmdline, NUL or not.
  const cmdline = files.get("cmdline");
  if (cmdline !== undefined && cmdline.length > 0 && cmdline.at(-1) !== 0) {
    files.set("cmdline", Uint8Array.of(...cmdline, 0));
  }
  // smem takes the name up to the first ")", memsnap to the last.
  const statBytes = files.get("stat");
  if (statBytes !== undefined) {
    const stat = new TextDecoder().decode(statBytes);
    const open = stat.indexOf("(");
    const close = stat.lastIndexOf(")");
    const name = stat.slice(open + 1, close).replaceAll(")", "]");
    files.set("stat", new TextEncoder().encode(stat.slice(0, open + 1) + name + stat.slice(close)));
  }
  // smem reads text as strict UTF-8 and drops a process that is not.
  for (const [file, bytes] of files) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      files.set(file, new TextEncoder().encode(new TextDecoder().decode(bytes)));
    }
  }
  // smem prints control characters raw; memsnap shows them visibly.
  for (const file of ["cmdline", "stat"]) {
    const bytes = files.get(file);
    if (bytes !== undefined) files.set(file, plainText(bytes));
  }
}

/** Rewrites every DIR/proc/PID with {@link smemComparable}, in place. */
export async function useSmemComparable(dir: string): Promise<void> {
  for await (const entry of Deno.readDir(`${dir}/proc`)) {
    if (!entry.isDirectory) continue;
    const files = new Map<string, Uint8Array>();
    for await (const file of Deno.readDir(`${dir}/proc/${entry.name}`)) {
      if (file.isFile) {
        files.set(file.name, await Deno.readFile(`${dir}/proc/${entry.name}/${file.name}`));
      }
    }
    smemComparable(files);
    for (const [file, bytes] of files) {
      await Deno.writeFile(`${dir}/proc/${entry.name}/${file}`, bytes);
    }
  }
}

/** A process of the test's own that maps a file whose name holds spaces. */
export interface SpacedMapping {
  readonly pid: number;
  /** The file it maps: `DIR/x y z.bin`. */
  readonly file: string;
  /** Ends the process and removes the file. */
  stop(): Promise<void>;
}

/**
 * Starts a python3 that maps (shared, every page touched) a 64 kB file
 * named `x y z.bin`, as Chromium maps its "Network Action Predictor": a
 * live test then meets such a name whatever else runs on the machine.
 * Resolves once the mapping is in place.
 */
export async function mapFileWithSpaces(): Promise<SpacedMapping> {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-spaced-" });
  const file = `${dir}/x y z.bin`;
  const child = new Deno.Command("python3", {
    args: [
      "-c",
      `import mmap, sys
f = open(sys.argv[1], "wb+")
f.write(b"x" * 65536)
f.flush()
m = mmap.mmap(f.fileno(), 65536)
m[:] = b"y" * 65536
print("ready", flush=True)
sys.stdin.read()`,
      file,
    ],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const { value } = await reader.read();
  if (value?.trim() !== "ready") throw new Error(`python3 did not map "${file}": ${value}`);
  return {
    pid: child.pid,
    file,
    async stop() {
      await child.stdin.close();
      await reader.cancel();
      await child.status;
      await Deno.remove(dir, { recursive: true });
    },
  };
}
