/**
 * Parity with Debian's smem run now, on the same directory mirrors: the two
 * captures in fixtures/captures unpacked into DIR/proc, and a copy of this
 * machine's /proc made by the test. For every command line below, memsnap
 * prints what smem prints, line for line. (smem's own bugs are left out
 * here and pinned in smem_differences_test.ts; in the copy, mappings are
 * named by their first word, as smem names them, so that what else runs
 * on the machine cannot tell the two apart.)
 */

import { deepStrictEqual } from "node:assert/strict";
import { memsnap } from "../_helpers/memsnap.ts";
import {
  capturePath,
  copyLiveProc,
  mapFileWithSpaces,
  smemMappingNames,
  unpackCapture,
} from "../_helpers/mirror.ts";
import { smem } from "../_helpers/smem.ts";

const MATRIX: string[][] = [
  // The process view.
  [],
  ["-c", "pid user command swap uss pss rss vss maps"],
  ["-c", "pid user name", "-s", "name"],
  ["-n", "-r"],
  ["-t"],
  ["-t", "-k"],
  ["-t", "-p"],
  ["-H", "-t"],
  ["-a"],
  ["-a", "-k", "-t"],
  ["-a", "-p", "-c", "pid name command pss"],
  ["-s", "uss", "-r"],
  ["-s", "user"],
  ["-s", "command", "-r"],
  ["-s", "pid", "-c", "pid maps vss"],
  ["-s", "maps", "-r", "-c", "pid name maps"],
  ["-s", "vss", "-t", "-k", "-c", "pid name vss"],
  ["-P", "python|bash", "-t"],
  ["-P", "^wl-(cow|memfd)"],
  ["-U", "9|root", "-t"],
  ["-M", "\\[heap\\]", "-t"],
  ["-M", "lib", "-c", "pid name maps uss pss rss"],
  ["-M", "anon", "-k", "-t"],
  ["-t", "-P", "^no such process$"],
  // The user view.
  ["-u"],
  ["-u", "-t"],
  ["-u", "-k", "-t"],
  ["-u", "-p", "-t"],
  ["-u", "-n", "-s", "user"],
  ["-u", "-r", "-s", "count"],
  ["-u", "-c", "user count swap uss pss rss", "-H"],
  ["-u", "-M", "libc", "-t"],
  ["-u", "-P", "python", "-a"],
  ["-u", "-t", "-p", "-U", "^no such user$"],
  // The mapping view.
  ["-m"],
  ["-m", "-t"],
  ["-m", "-k", "-t"],
  ["-m", "-p"],
  ["-m", "-c", "map count pids swap uss pss rss vss avgpss avgrss", "-s", "count", "-r"],
  ["-m", "-a", "-t"],
  ["-m", "-P", "cow|bash"],
  ["-m", "-U", "9|root", "-s", "map"],
  ["-m", "-M", "lib", "-t", "-k"],
  ["-m", "-H", "-s", "rss", "-r"],
  ["-m", "-t", "-k", "-M", "^no such map$"],
  // The system view.
  ["-w"],
  ["-w", "-t"],
  ["-w", "-k", "-t"],
  ["-w", "-p"],
  ["-w", "-s", "used", "-r"],
  ["-w", "-c", "order area used cache noncache", "-t"],
  ["-w", "-a"],
];

/**
 * smem's known bugs, kept out of the live copy (pinned elsewhere), and its
 * documented difference: mappings named by their first word.
 */
function avoidSmemBugs(files: Map<string, Uint8Array>): void {
  // A file whose name holds a space ("Network Action Predictor"): smem
  // keeps "Network", memsnap the whole name (docs/differences-from-smem.md).
  files.set("smaps", smemMappingNames(files.get("smaps")!));
  const cmdline = files.get("cmdline")!;
  // smem drops the last byte of a cmdline, NUL or not.
  if (cmdline.length > 0 && cmdline.at(-1) !== 0) {
    files.set("cmdline", Uint8Array.of(...cmdline, 0));
  }
  // smem takes the name up to the first ")", memsnap to the last.
  const stat = new TextDecoder().decode(files.get("stat"));
  const open = stat.indexOf("(");
  const close = stat.lastIndexOf(")");
  const name = stat.slice(open + 1, close).replaceAll(")", "]");
  files.set("stat", new TextEncoder().encode(stat.slice(0, open + 1) + name + stat.slice(close)));
  // smem reads text as strict UTF-8 and drops a process that is not.
  for (const [file, bytes] of files) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      files.set(file, new TextEncoder().encode(new TextDecoder().decode(bytes)));
    }
  }
}

// While this machine's /proc is copied, a process of the test's own maps a file named with
// spaces: the copy always has such a name, whatever else runs here.
const spaced = await mapFileWithSpaces();
const live = await copyLiveProc(avoidSmemBugs);
const spacedSmaps = {
  live: await Deno.readTextFile(`/proc/${spaced.pid}/smaps`),
  copy: await Deno.readTextFile(`${live}/proc/${spaced.pid}/smaps`),
};
await spaced.stop();

const mirrors: Record<string, string> = {
  n8: await unpackCapture(capturePath("n8.tar.gz")),
  n60: await unpackCapture(capturePath("n60.tar.gz")),
  // smaps holds the [heap] mapping twice: it grew while the file was read.
  "a heap that grew while read": await unpackCapture(capturePath("heap-grew.tar.gz")),
  "this machine": live,
};
globalThis.addEventListener("unload", () => {
  for (const dir of Object.values(mirrors)) Deno.removeSync(dir, { recursive: true });
});

Deno.test("the copy of this machine names a mapping by its first word, as smem does: x y z.bin is x", () => {
  const headers = (smaps: string) =>
    smaps.split("\n").filter((line) =>
      /^[0-9a-f]+-[0-9a-f]+ /.test(line) && line.includes("/memsnap-spaced-")
    )
      .map((line) => line.replace(/^.* \d+ +/, ""));
  deepStrictEqual(headers(spacedSmaps.live), [spaced.file]);
  deepStrictEqual(headers(spacedSmaps.copy), [spaced.file.replace(/ y z\.bin$/, "")]);
});

for (const [name, dir] of Object.entries(mirrors)) {
  for (const args of MATRIX) {
    Deno.test(`memsnap -S DIR ${args.join(" ")} prints what smem prints, on ${name}`, async () => {
      const expected = await smem(["-S", dir, ...args]);
      const actual = await memsnap(["-S", dir, ...args]);
      deepStrictEqual(expected.code, 0, expected.stderr);
      deepStrictEqual(actual.stderr, "");
      deepStrictEqual(actual.stdout.split("\n"), expected.stdout.split("\n"));
    });
  }
}
