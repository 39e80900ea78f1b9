/**
 * The capture script (busybox sh, busybox applets only, no getconf) on this
 * machine's live /proc: its metadata, its owners, and smem reading the
 * unpacked archive with the numbers memsnap reads from the archive itself.
 */

import { deepStrictEqual, match, ok } from "node:assert/strict";
import {
  busyboxPath,
  type Member,
  members,
  printedScript,
  runScript,
} from "../_helpers/busybox.ts";
import { memsnap } from "../_helpers/memsnap.ts";
import { mapFileWithSpaces, unpackCapture, useSmemComparable } from "../_helpers/mirror.ts";
import { smem } from "../_helpers/smem.ts";

const path = await busyboxPath();
const work = await Deno.makeTempDir({ prefix: "memsnap-capture-live-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));

/** Captures the live system to a file; the file and its members. */
async function capture(detail: "full" | "rollup"): Promise<[string, Member[]]> {
  const run = await runScript(await printedScript(["--detail", detail]), {
    path,
    env: { TMPDIR: work },
    args: ["-o", "-"],
  });
  deepStrictEqual(run.code, 0, run.stderr);
  const file = `${work}/live-${detail}.tar.gz`;
  await Deno.writeFile(file, run.bytes);
  return [file, await members(run.bytes)];
}

// A process of the test's own maps a file named with spaces while the full capture is taken.
const spaced = await mapFileWithSpaces();
const [full, fullMembers] = await capture("full").finally(() => spaced.stop());
const [rollup, rollupMembers] = await capture("rollup");
const mirror = await unpackCapture(full);
globalThis.addEventListener("unload", () => Deno.removeSync(mirror, { recursive: true }));
// The same, as smem reads it like memsnap (mappings named by their first word, control
// characters as "?"): a file named with a space or a `sh -c` script with a newline, run by
// whatever runs here, tells the tools apart only by those documented differences.
const namedMirror = await unpackCapture(full);
globalThis.addEventListener("unload", () => Deno.removeSync(namedMirror, { recursive: true }));
await useSmemComparable(namedMirror);

Deno.test("capture.sh on the live system records this machine, and the page size without getconf", async () => {
  const meta = JSON.parse(new TextDecoder().decode(fullMembers[0]!.data));
  const self = await Deno.readTextFile("/proc/self/smaps");
  const pageKb = Number(/^KernelPageSize: +(\d+) kB$/m.exec(self)![1]);
  const { stdout } = await new Deno.Command("id", { args: ["-un"], stdout: "piped" }).output();
  deepStrictEqual(
    [meta.hostname, meta.kernel, meta.pageSize, meta.detail, meta.users[String(Deno.uid())]],
    [
      Deno.hostname(),
      Deno.osRelease(),
      pageKb * 1024,
      "full",
      new TextDecoder().decode(stdout).trim(),
    ],
  );
});

Deno.test("capture.sh on the live system holds this test's process, owned by its user", () => {
  const dir = fullMembers.find((m) => m.name === `${Deno.pid}/`);
  ok(dir !== undefined, `no ${Deno.pid}/ in the archive`);
  deepStrictEqual([dir.type, dir.uid, dir.gid], ["directory", Deno.uid(), Deno.gid()]);
  const files = fullMembers.filter((m) => m.name.startsWith(`${Deno.pid}/`) && m.type === "file");
  deepStrictEqual(files.map((m) => m.name.slice(`${Deno.pid}/`.length)).sort(), [
    "cgroup",
    "cmdline",
    "smaps",
    "stat",
    "status",
  ]);
});

Deno.test("capture.sh's live archive holds the mapping of a file named with spaces, whole", async () => {
  const smaps = await Deno.readTextFile(`${mirror}/proc/${spaced.pid}/smaps`);
  ok(smaps.includes(` ${spaced.file}\n`), `no "${spaced.file}" in the capture`);
  const named = await Deno.readTextFile(`${namedMirror}/proc/${spaced.pid}/smaps`);
  ok(!named.includes(spaced.file) && named.includes(` ${spaced.file.replace(/ y z\.bin$/, "")}\n`));
});

for (const args of [["-t"], ["-u", "-t"], ["-m", "-t"], ["-w", "-t"]]) {
  Deno.test(`capture.sh's live archive: smem on it unpacked prints what memsnap prints, ${args.join(" ")}`, async () => {
    // memsnap reads the archive as it reads it unpacked...
    const actual = await memsnap(["-S", full, ...args]);
    deepStrictEqual([actual.code, actual.stderr], [0, ""]);
    deepStrictEqual(actual.stdout, (await memsnap(["-S", mirror, ...args])).stdout);
    // ...and prints there what smem prints, mapping names aside.
    const expected = await smem(["-S", namedMirror, ...args]);
    deepStrictEqual(expected.code, 0, expected.stderr);
    deepStrictEqual(
      (await memsnap(["-S", namedMirror, ...args])).stdout.split("\n"),
      expected.stdout.split("\n"),
    );
  });
}

Deno.test("capture.sh -d rollup on the live system stores smaps_rollup members only", async () => {
  const files = rollupMembers.filter((m) => m.type === "file").map((m) => m.name);
  const dirs = rollupMembers.filter((m) => m.type === "directory").map((m) => m.name);
  ok(dirs.length > 0);
  deepStrictEqual(files.filter((name) => name.endsWith("/smaps")), []);
  deepStrictEqual(
    files.filter((name) => name.endsWith("/smaps_rollup")),
    dirs.map((dir) => `${dir}smaps_rollup`),
  );
  // JSON, not table lines: a command line may hold a newline (a `sh -c`
  // script), and the table prints it as it is.
  const report = await memsnap(["-S", rollup, "-c", "pid", "--format", "json"]);
  deepStrictEqual(report.code, 0, report.stderr);
  const pids = JSON.parse(report.stdout).rows.map((row: { pid: number }) => `${row.pid}/`);
  deepStrictEqual(pids.sort(), [...dirs].sort());
});

Deno.test("capture.sh as another user than root keeps that user's processes only, and counts the rest", async () => {
  const nobody = 65534;
  const home = await Deno.makeTempDir({ prefix: "memsnap-capture-nobody-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(home, { recursive: true }));
  await Deno.chown(home, nobody, nobody);
  await Deno.writeTextFile(`${home}/capture.sh`, await printedScript());
  const { code, stdout, stderr } = await new Deno.Command("/usr/bin/setpriv", {
    args: [`--reuid=${nobody}`, `--regid=${nobody}`, "--clear-groups", `${path}/sh`, "capture.sh"]
      .concat(["-o", "-"]),
    clearEnv: true,
    env: { PATH: path, TMPDIR: home },
    cwd: home,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const message = new TextDecoder().decode(stderr);
  deepStrictEqual(code, 0, message);
  // The script's own shell is nobody's; root's processes are not readable.
  const dirs = (await members(stdout)).filter((m) => m.type === "directory");
  ok(dirs.length >= 1, message);
  deepStrictEqual(dirs.filter((m) => m.uid !== nobody || m.gid !== nobody), []);
  match(message, /; \d+ not readable, left out \(run as root to include them\)\n$/);
});
