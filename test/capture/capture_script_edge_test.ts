/**
 * The capture script (busybox sh, busybox applets only) on processes that
 * come and go, and on bad input: what it leaves out and counts, its errors,
 * and that it never leaves a partial archive or its working copy behind.
 */

import { deepStrictEqual, match, ok } from "node:assert/strict";
import { busyboxPath, members, printedScript, runScript } from "../_helpers/busybox.ts";
import { memsnap } from "../_helpers/memsnap.ts";
import { capturePath, unpackCapture } from "../_helpers/mirror.ts";

const script = await printedScript();
const path = await busyboxPath();
const work = await Deno.makeTempDir({ prefix: "memsnap-capture-edge-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));
const mirror = await unpackCapture(capturePath("n8.tar.gz"));
globalThis.addEventListener("unload", () => Deno.removeSync(mirror, { recursive: true }));
const proc = `${mirror}/proc`;

/** A fresh, empty directory under the test's own. */
async function emptyDir(name: string): Promise<string> {
  const dir = `${work}/${name}`;
  await Deno.mkdir(dir);
  return dir;
}

async function entries(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
}

/** The script's name in its messages: runScript's temporary file. */
const ME = /^memsnap-capture-[^:]*\.sh: /;

const stat = (pid: number, state: string, start: number) =>
  `${pid} (worker) ${state} 1 ${pid} ${pid} 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 ${start} 0 0\n`;

Deno.test("capture.sh leaves out, and counts, processes that exit, cannot be read or have no command line", async () => {
  const odd = await unpackCapture(capturePath("n8.tar.gz"));
  const at = (pid: number, files: Record<string, string>) => {
    Deno.mkdirSync(`${odd}/proc/${pid}`);
    for (const [name, text] of Object.entries(files)) {
      Deno.writeTextFileSync(`${odd}/proc/${pid}/${name}`, text);
    }
  };
  const user = (pid: number) => ({ stat: stat(pid, "S", 555), cmdline: "worker\0", status: "" });
  // Gone between the listing and the copy.
  await Deno.symlink(`${odd}/proc/no such process`, `${odd}/proc/99990`);
  at(99991, user(99991)); // smaps unreadable: missing here.
  at(99992, { ...user(99992), cmdline: "", smaps: "" }); // A kernel thread.
  at(99993, { ...user(99993), smaps: "" }); // Becomes a zombie while read.
  at(99994, { ...user(99994), smaps: "" }); // Its pid is reused while read.
  const cat = await busyboxPath({
    replace: {
      cat: `/usr/bin/busybox cat "$@" || exit
case $1 in
*/99993/smaps) echo '${stat(99993, "Z", 555).trim()}' >"\${1%/smaps}/stat" ;;
*/99994/smaps) echo '${stat(99994, "S", 556).trim()}' >"\${1%/smaps}/stat" ;;
esac`,
    },
  });
  const run = await runScript(script, {
    path: cat,
    env: { PROC: `${odd}/proc` },
    args: ["-o", "-"],
  });
  await Deno.remove(odd, { recursive: true });
  deepStrictEqual(run.code, 0, run.stderr);
  const hint = Deno.uid() === 0 ? "" : " (run as root to include them)";
  match(run.stderr, ME);
  deepStrictEqual(
    run.stderr.replace(ME, ""),
    `Wrote standard output: full detail, 8 processes; 1 without a command line (kernel threads) left out; 3 exited while read, left out; 1 not readable, left out${hint}\n`,
  );
  const names = (await members(run.bytes)).map((m) => m.name);
  deepStrictEqual(names.filter((name) => name.startsWith("9999")), []);
  deepStrictEqual(names.filter((name) => name.endsWith("/")).length, 8);
});

Deno.test("capture.sh -o into a missing directory fails with one line and writes nothing", async () => {
  const tmp = await emptyDir("missing-tmp");
  const out = `${work}/missing dir/snap.tar.gz`;
  const run = await runScript(script, {
    path,
    env: { PROC: proc, TMPDIR: tmp },
    args: ["-o", out],
  });
  deepStrictEqual(run.code, 1);
  deepStrictEqual(
    run.stderr.replace(ME, ""),
    `Cannot write "${out}": no directory "${work}/missing dir"\n`,
  );
  deepStrictEqual(await entries(tmp), []);
  ok(!(await entries(work)).includes("missing dir"));
});

Deno.test("capture.sh leaves no partial archive and no working copy when tar fails", async () => {
  const [out, tmp] = [await emptyDir("failing-out"), await emptyDir("failing-tmp")];
  const failing = await busyboxPath({ replace: { tar: "echo 'tar: short write' >&2; exit 1" } });
  const run = await runScript(script, {
    path: failing,
    env: { PROC: proc, TMPDIR: tmp },
    args: ["-o", `${out}/snap.tar.gz`],
  });
  deepStrictEqual(run.code, 1);
  deepStrictEqual(run.stderr.split("\n").map((line) => line.replace(ME, "")), [
    "tar: short write",
    `Cannot write "${out}/snap.tar.gz": tar or gzip failed`,
    "",
  ]);
  deepStrictEqual([await entries(out), await entries(tmp)], [[], []]);
});

Deno.test("capture.sh cleans up after SIGTERM: no partial archive, no working copy", async () => {
  const [out, tmp] = [await emptyDir("term-out"), await emptyDir("term-tmp")];
  const slow = await busyboxPath({
    replace: { tar: `/usr/bin/busybox sleep 1; exec /usr/bin/busybox tar "$@"` },
  });
  const file = `${work}/term.sh`;
  await Deno.writeTextFile(file, script);
  const child = new Deno.Command(`${slow}/sh`, {
    args: [file, "-o", `${out}/snap.tar.gz`],
    clearEnv: true,
    env: { PATH: slow, PROC: proc, TMPDIR: tmp },
    stderr: "piped",
  }).spawn();
  // Wait for the partial archive, then stop the script.
  while ((await entries(out)).length === 0) await new Promise((r) => setTimeout(r, 10));
  child.kill("SIGTERM");
  const { code } = await child.output();
  deepStrictEqual(code, 143);
  deepStrictEqual([await entries(out), await entries(tmp)], [[], []]);
});

Deno.test("capture.sh refuses bad input with one line: exit 2 for usage, 1 for trouble", async () => {
  const cases: [string[], Record<string, string>, string, number, RegExp][] = [
    [
      ["-d", "bogus"],
      {},
      path,
      2,
      /: Unknown detail "bogus": expected "full" or "rollup"\nUsage: /,
    ],
    [["--bogus"], {}, path, 2, /: Unexpected argument "--bogus"\nUsage: sh /],
    [["-o"], {}, path, 2, /: Option "-o" needs a value\nUsage: sh /],
    [["-o", "-"], { PROC: `${work}/nowhere` }, path, 1, /Cannot read ".*\/nowhere\/meminfo"/],
    [
      ["-o", "/proc/snap.tar.gz"],
      {},
      path,
      1,
      /: Cannot write "\/proc\/snap.tar.gz": cannot create a file in "\/proc"\n$/,
    ],
    [
      ["-o", "-"],
      {},
      await busyboxPath({ omit: ["tar"] }),
      1,
      /: Cannot write an archive: no tar command/,
    ],
  ];
  for (const [args, env, bin, code, message] of cases) {
    const run = await runScript(script, { path: bin, env: { PROC: proc, ...env }, args });
    deepStrictEqual([run.code, run.stdout], [code, ""], args.join(" "));
    match(run.stderr, message);
    deepStrictEqual(run.stderr.split("\n").filter((l) => l !== "").length <= 2, true, run.stderr);
  }
});

Deno.test("capture.sh without gzip writes a plain tar, which memsnap reads the same", async () => {
  const plain = await runScript(script, {
    path: await busyboxPath({ omit: ["gzip"] }),
    env: { PROC: proc },
    args: ["-o", "-"],
  });
  deepStrictEqual(plain.code, 0, plain.stderr);
  match(plain.stderr, /: No gzip command: writing an uncompressed tar/);
  deepStrictEqual(new TextDecoder().decode(plain.bytes.subarray(257, 262)), "ustar");
  const file = `${work}/plain.tar`;
  await Deno.writeFile(file, plain.bytes);
  deepStrictEqual(
    await memsnap(["-S", file, "-u", "-t"]),
    await memsnap(["-S", mirror, "-u", "-t"]),
  );
});

Deno.test("capture.sh runs from standard input: memsnap capture-script | sh -s -- -o -", async () => {
  const child = new Deno.Command(`${path}/sh`, {
    args: ["-s", "--", "-o", "-"],
    clearEnv: true,
    env: { PATH: path, PROC: proc },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  deepStrictEqual(code, 0, new TextDecoder().decode(stderr));
  const file = `${work}/stdin.tar.gz`;
  await Deno.writeFile(file, stdout);
  deepStrictEqual(await memsnap(["-S", file, "-t"]), await memsnap(["-S", mirror, "-t"]));
});

Deno.test("capture.sh without ls, date or mktemp: owners from status, no time, a plain name", async () => {
  const [cwd, tmp] = [await emptyDir("bare-cwd"), await emptyDir("bare-tmp")];
  const run = await runScript(script, {
    path: await busyboxPath({ omit: ["ls", "date", "mktemp"] }),
    env: { PROC: proc, TMPDIR: tmp },
    cwd,
  });
  deepStrictEqual(run.code, 0, run.stderr);
  // No hostname in the mirror, no date: the default name says so.
  deepStrictEqual(await entries(cwd), ["memsnap-unknown-undated.tar.gz"]);
  deepStrictEqual(await entries(tmp), []);
  const list = await members(await Deno.readFile(`${cwd}/memsnap-unknown-undated.tar.gz`));
  const meta = JSON.parse(new TextDecoder().decode(list[0]!.data));
  deepStrictEqual([meta.takenAt, meta.hostname], [null, null]);
  for (const dir of list.filter((m) => m.type === "directory")) {
    const status = await Deno.readTextFile(`${proc}/${dir.name}status`);
    const effective = (key: string) =>
      Number(new RegExp(`^${key}:\\t\\d+\\t(\\d+)`, "m").exec(status)![1]);
    deepStrictEqual([dir.uid, dir.gid], [effective("Uid"), effective("Gid")], dir.name);
  }
});

Deno.test("capture.sh -o onto a device writes into it, never replaces it", async () => {
  // Through a symlink: were the device replaced, only the link would be.
  const dir = await emptyDir("device");
  await Deno.symlink("/dev/null", `${dir}/null`);
  const run = await runScript(script, { path, env: { PROC: proc }, args: ["-o", `${dir}/null`] });
  deepStrictEqual(run.code, 0, run.stderr);
  deepStrictEqual(await entries(dir), ["null"]);
  deepStrictEqual((await Deno.lstat(`${dir}/null`)).isSymlink, true);
  deepStrictEqual((await Deno.stat("/dev/null")).isCharDevice, true);
});
