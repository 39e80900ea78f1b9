/**
 * `memsnap capture` stores /proc's bytes unchanged: a command line and a
 * mapping name that are not UTF-8 keep their bytes in the archive, so that
 * memsnap and smem read the archive as they read the mirror it came from.
 */

import { deepStrictEqual, ok } from "node:assert/strict";
import { archiveMembers } from "../_helpers/archive.ts";
import { captureInto, withoutSource } from "../_helpers/capture.ts";
import { memsnap } from "../_helpers/memsnap.ts";
import { capturePath, unpackCapture } from "../_helpers/mirror.ts";
import { smem } from "../_helpers/smem.ts";

const tmp = await Deno.makeTempDir({ prefix: "memsnap-bytes-" });
const mirrors: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const dir of [tmp, ...mirrors]) Deno.removeSync(dir, { recursive: true });
});

/** Not UTF-8: 0xff and 0xfe never occur in it. */
const INVALID = [0xff, 0xfe];

/** Replaces the first occurrence of `from` in `bytes` with `to`. */
function replaceBytes(bytes: Uint8Array, from: string, to: Uint8Array): Uint8Array {
  const text = new TextDecoder("latin1").decode(bytes);
  const at = text.indexOf(from);
  ok(at >= 0, `"${from}" not found`);
  const target = new TextEncoder().encode(from);
  return new Uint8Array([...bytes.subarray(0, at), ...to, ...bytes.subarray(at + target.length)]);
}

/**
 * A mirror of capture n8 where one process's command line and (when
 * `mapping`) another's first mapping name hold bytes that are not UTF-8.
 */
async function oddMirror(options: { readonly mapping: boolean }): Promise<string> {
  const dir = await unpackCapture(capturePath("n8.tar.gz"));
  mirrors.push(dir);
  const cmdline = `${dir}/proc/18844/cmdline`;
  await Deno.writeFile(
    cmdline,
    new Uint8Array([...new TextEncoder().encode("caf"), ...INVALID, 0, 0x2d, 0x78, 0]),
  );
  if (options.mapping) {
    const smaps = `${dir}/proc/18845/smaps`;
    const name = new Uint8Array([...new TextEncoder().encode("/usr/bin/py"), ...INVALID]);
    await Deno.writeFile(smaps, replaceBytes(await Deno.readFile(smaps), "/usr/bin/python3", name));
  }
  return dir;
}

function capture(dir: string): Promise<string> {
  return captureInto(tmp, ["-S", dir]);
}

Deno.test("memsnap capture stores every file byte for byte, UTF-8 or not", async () => {
  const dir = await oddMirror({ mapping: true });
  const members = await archiveMembers(await Deno.readFile(await capture(dir)));
  const files = members.filter((m) => m.type === "file" && m.name !== "memsnap.json");
  // meminfo, version and, for each of n8's eight processes, smaps,
  // smaps_rollup, cmdline, stat, status and cgroup.
  deepStrictEqual(files.length, 2 + 8 * 6);
  for (const member of files) {
    deepStrictEqual(
      new Uint8Array(member.data),
      await Deno.readFile(`${dir}/proc/${member.name}`),
      member.name,
    );
  }
  const cmdline = files.find((m) => m.name === "18844/cmdline")!;
  deepStrictEqual([...cmdline.data.subarray(3, 5)], INVALID);
});

Deno.test("memsnap reports on a capture of non-UTF-8 text what it reports on the mirror", async () => {
  const dir = await oddMirror({ mapping: true });
  const captured = await capture(dir);
  for (
    const args of [
      ["-c", "pid user command swap uss pss rss vss", "-t"],
      ["-m", "-c", "map count pids swap uss pss rss vss", "-t"],
      ["--format", "json", "-m"],
      ["--format", "json", "-c", "pid command pss"],
    ]
  ) {
    const mirror = await memsnap(["-S", dir, ...args]);
    const archive = await memsnap(["-S", captured, ...args]);
    deepStrictEqual(archive.code, 0, archive.stderr);
    deepStrictEqual(withoutSource(archive.stdout), withoutSource(mirror.stdout), args.join(" "));
  }
});

Deno.test("smem reads the unpacked capture of a non-UTF-8 command line as it reads the mirror", async () => {
  const dir = await oddMirror({ mapping: false });
  const unpacked = await unpackCapture(await capture(dir));
  try {
    for (
      const args of [
        ["-c", "pid user command swap uss pss rss vss", "-t"],
        ["-u", "-t"],
        ["-m", "-c", "map count pids swap uss pss rss vss", "-t"],
      ]
    ) {
      const theirs = await smem(["-S", dir, ...args]);
      deepStrictEqual(theirs.code, 0, theirs.stderr);
      deepStrictEqual(
        (await smem(["-S", unpacked, ...args])).stdout,
        theirs.stdout,
        args.join(" "),
      );
    }
  } finally {
    await Deno.remove(unpacked, { recursive: true });
  }
});

Deno.test("smem fails alike on the mirror and on the capture of a non-UTF-8 mapping name", async () => {
  // smem 1.5 opens smaps as UTF-8 text under Python 3 and stops at the
  // first byte that is not: the capture must make it stop at the same byte.
  const dir = await oddMirror({ mapping: true });
  const unpacked = await unpackCapture(await capture(dir));
  try {
    const theirs = await smem(["-S", dir, "-m"]);
    const fromCapture = await smem(["-S", unpacked, "-m"]);
    ok(theirs.code !== 0 && /UnicodeDecodeError/.test(theirs.stderr), theirs.stderr);
    deepStrictEqual(
      fromCapture.stderr.split("\n").at(-2),
      theirs.stderr.split("\n").at(-2),
    );
    deepStrictEqual(fromCapture.code, theirs.code);
  } finally {
    await Deno.remove(unpacked, { recursive: true });
  }
});
