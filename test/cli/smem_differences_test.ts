/**
 * Where smem 1.5 is wrong, memsnap is right: each difference, pinned
 * against smem run now on the same mirror (the n8 capture unpacked, with a
 * few files rewritten so that each bug shows). docs/differences-from-smem.md
 * explains them.
 */

import { deepStrictEqual, match, notDeepStrictEqual } from "node:assert/strict";
import { memsnap } from "../_helpers/memsnap.ts";
import { capturePath, unpackCapture } from "../_helpers/mirror.ts";
import { smem } from "../_helpers/smem.ts";

const dir = await unpackCapture(capturePath("n8.tar.gz"));
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
const proc = `${dir}/proc`;
// A command line rewritten without its final NUL, as sshd and nginx do.
await Deno.writeTextFile(`${proc}/18844/cmdline`, "sshd: root@pts/0");
// A command name holding a ")".
const stat = await Deno.readTextFile(`${proc}/18845/stat`);
await Deno.writeTextFile(`${proc}/18845/stat`, stat.replace("(wl-filemap0-0)", "(wl-file)map0-0)"));
// A `sh -c` script's command line: a newline, and escape sequences that retitle a terminal.
await Deno.writeTextFile(`${proc}/18850/cmdline`, "sh\0-c\0read x\ntrue\x1b]0;pwned\x07\0");
// A mapped file whose name holds a space.
const smaps = await Deno.readTextFile(`${proc}/18845/smaps`);
await Deno.writeTextFile(
  `${proc}/18845/smaps`,
  smaps.replace("/tmp/memwork-run/shared-file-0.bin", "/tmp/memwork-run/shared file-0.bin"),
);

// Its own mirror: a command line and a mapped file name that are not UTF-8
// (which would crash smem's user and mapping views in the others' tests).
const latin1Dir = await unpackCapture(capturePath("n8.tar.gz"));
globalThis.addEventListener("unload", () => Deno.removeSync(latin1Dir, { recursive: true }));
await Deno.writeFile(
  `${latin1Dir}/proc/18846/cmdline`,
  Uint8Array.of(0x63, 0x61, 0x66, 0xe9, 0, 0x78, 0),
);
const latin1 = await Deno.readFile(`${latin1Dir}/proc/18847/smaps`);
latin1[new TextDecoder().decode(latin1).indexOf("C.utf8/LC_CTYPE")] = 0xe9;
await Deno.writeFile(`${latin1Dir}/proc/18847/smaps`, latin1);

/** Both tools' stdout lines for the same arguments (smem must succeed). */
async function both(
  args: string[],
  on = dir,
): Promise<{ smem: string[]; memsnap: string[] }> {
  const expected = await smem(["-S", on, ...args]);
  const actual = await memsnap(["-S", on, ...args]);
  deepStrictEqual([expected.code, actual.code, actual.stderr], [0, 0, ""], expected.stderr);
  return { smem: expected.stdout.split("\n"), memsnap: actual.stdout.split("\n") };
}

/** Rows of a table as arrays of cells (split on spaces: no cell has one). */
function cells(lines: string[]): string[][] {
  return lines.filter((l) => l !== "").map((l) => l.trim().split(/ +/));
}

Deno.test("memsnap keeps the last character of a command line without a final NUL (smem drops it)", async () => {
  const { smem, memsnap } = await both(["-c", "pid command", "-P", "sshd"]);
  deepStrictEqual(smem[1], "18844 sshd: root@pts/             ");
  deepStrictEqual(memsnap[1], "18844 sshd: root@pts/0            ");
  deepStrictEqual(memsnap.filter((_, i) => i !== 1), smem.filter((_, i) => i !== 1));
});

Deno.test("memsnap takes the command name up to the last parenthesis (smem to the first)", async () => {
  const { smem, memsnap } = await both(["-c", "pid name", "-s", "pid"]);
  const row = (lines: string[]) => lines.find((l) => l.startsWith("18845"));
  deepStrictEqual(row(smem), "18845 wl-file                  ");
  deepStrictEqual(row(memsnap), "18845 wl-file)map0-0           ");
});

Deno.test("memsnap shows a command line's control characters visibly (smem prints them raw)", async () => {
  const { smem, memsnap } = await both(["-c", "pid command", "-P", "^sh"]);
  // smem's row is broken in two by the newline and carries the escape sequence to the terminal.
  deepStrictEqual(smem.slice(1), ["18850 sh -c read x", "true\x1b]0;pwned\x07 ", ""]);
  deepStrictEqual(memsnap.slice(1), ["18850 sh -c read x\\ntrue\\x1b]0;pw ", ""]);
  deepStrictEqual(memsnap[0], smem[0]);
});

Deno.test("memsnap names a mapping by its whole path, spaces included (smem by its first word)", async () => {
  const { smem, memsnap } = await both(["-m", "-c", "map pids pss", "-s", "map"]);
  const names = (lines: string[]) => cells(lines).map((c) => c.slice(0, -2).join(" "));
  deepStrictEqual(names(smem).includes("/tmp/memwork-run/shared"), true);
  deepStrictEqual(names(memsnap).includes("/tmp/memwork-run/shared file-0.bin"), true);
  // Everything else is the same.
  const others = (lines: string[]) => lines.filter((l) => !l.startsWith("/tmp/memwork-run/shared"));
  deepStrictEqual(others(memsnap), others(smem));
});

Deno.test("memsnap -u shows the real VSS (smem shows PSS under that heading)", async () => {
  const users = await both(["-u", "-c", "user pss vss", "-s", "user"]);
  const processes = await smem(["-S", dir, "-c", "user vss", "-H"]);
  const vssByUser = new Map<string, number>();
  for (const [user, vss] of cells(processes.stdout.split("\n"))) {
    vssByUser.set(user!, (vssByUser.get(user!) ?? 0) + Number(vss));
  }
  for (const [user, pss, vss] of cells(users.smem).slice(1)) {
    deepStrictEqual(vss, pss, `user ${user}`);
  }
  const memsnapRows = cells(users.memsnap).slice(1);
  deepStrictEqual(memsnapRows.length, vssByUser.size);
  for (const [user, pss, vss] of memsnapRows) {
    deepStrictEqual(Number(vss), vssByUser.get(user!));
    notDeepStrictEqual(vss, pss);
  }
});

Deno.test("memsnap -m -c avguss shows USS per process (smem crashes)", async () => {
  const crash = await smem(["-S", dir, "-m", "-c", "map avguss"]);
  notDeepStrictEqual(crash.code, 0);
  match(crash.stderr, /KeyError: 'uss'/);
  const sums = await both(["-m", "-c", "map pids uss", "-s", "map"]);
  const averages = await memsnap(["-S", dir, "-m", "-c", "map avguss", "-s", "map"]);
  const expected = cells(sums.smem).slice(1).map((c) => {
    const [uss, pids] = [Number(c.at(-1)), Number(c.at(-2))];
    return String(Math.trunc(uss / pids));
  });
  deepStrictEqual(cells(averages.stdout.split("\n")).slice(1).map((c) => c.at(-1)), expected);
});

Deno.test("memsnap -w -R prints whole kB (smem prints floats)", async () => {
  const { smem, memsnap } = await both(["-w", "-R", "32G"]);
  deepStrictEqual(smem[1], "firmware/hardware         8870336.0          0  8870336.0 ");
  deepStrictEqual(memsnap[1], "firmware/hardware           8870336          0    8870336 ");
  deepStrictEqual(memsnap.slice(2), smem.slice(2));
});

Deno.test("memsnap -w -K counts the kernel image in whole kB (smem prints a float)", async () => {
  // Any ELF file does: `size` measures it as it would a kernel.
  const { smem, memsnap } = await both(["-w", "-K", "/bin/true", "-c", "area used"]);
  const smemKb = Number(cells(smem).find((c) => c[0] === "kernel")!.at(-1));
  const memsnapKb = cells(memsnap).find((c) => c[0] === "kernel")!.at(-1);
  deepStrictEqual(Number.isInteger(smemKb), false);
  deepStrictEqual(memsnapKb, String(Math.floor(smemKb)));
});

Deno.test("memsnap decodes text that is not UTF-8 (smem shows ? or drops the process)", async () => {
  const { smem, memsnap } = await both(["-c", "pid command", "-s", "pid"], latin1Dir);
  const row = (lines: string[], pid: string) => lines.find((l) => l.startsWith(pid));
  deepStrictEqual(row(smem, "18846"), "18846 ?                           ");
  deepStrictEqual(row(memsnap, "18846"), "18846 caf\ufffd x                      ");
  deepStrictEqual(row(smem, "18847"), undefined);
  deepStrictEqual(row(memsnap, "18847"), "18847 /usr/bin/python3 /opt/memwo ");
});

Deno.test("memsnap refuses an unknown column on stderr with exit code 2 (smem: stdout, 255)", async () => {
  const expected = await smem(["-S", dir, "-c", "pid bogus"]);
  deepStrictEqual([expected.code, expected.stdout.split("\n")[0]], [255, "unknown fields: bogus"]);
  const actual = await memsnap(["-S", dir, "-c", "pid bogus"]);
  deepStrictEqual([actual.code, actual.stdout], [2, ""]);
  match(actual.stderr, /^memsnap: Unknown column "bogus" for the processes view\nknown fields:\n/);
});
