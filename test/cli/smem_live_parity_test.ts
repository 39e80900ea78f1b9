/**
 * Parity with Debian's smem run now, on the same directory mirrors: the two
 * captures in fixtures/captures unpacked into DIR/proc, and a copy of this
 * machine's /proc made by the test. For every command line below, memsnap
 * prints what smem prints, line for line. (smem's own bugs and documented
 * differences are left out here and pinned elsewhere: in the copy,
 * mappings are named by their first word, as smem names them, and the
 * control characters memsnap shows visibly are "?", so that what else runs
 * on the machine cannot tell the two apart.)
 */

import { deepStrictEqual } from "node:assert/strict";
import { memsnap } from "../_helpers/memsnap.ts";
import {
  capturePath,
  copyLiveProc,
  mapFileWithSpaces,
  smemComparable,
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

// While this machine's /proc is copied, processes of the test's own map a file named with
// spaces and run a script whose command line holds a newline: the copy always has both,
// whatever else runs here.
const spaced = await mapFileWithSpaces();
// The script waits in the shell's own `read` (no child left behind) until its input closes.
const script = new Deno.Command("/bin/sh", { args: ["-c", "read line\ntrue"], stdin: "piped" })
  .spawn();
const live = await copyLiveProc(smemComparable);
const spacedSmaps = {
  live: await Deno.readTextFile(`/proc/${spaced.pid}/smaps`),
  copy: await Deno.readTextFile(`${live}/proc/${spaced.pid}/smaps`),
};
const scriptCmdline = await Deno.readTextFile(`${live}/proc/${script.pid}/cmdline`);
await spaced.stop();
await script.stdin.close();
await script.status;

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

Deno.test("the copy of this machine holds a command line's newline as ?, which both tools print as it is", () => {
  deepStrictEqual(scriptCmdline, "/bin/sh\0-c\0read line?true\0");
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
