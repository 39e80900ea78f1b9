import { deepStrictEqual, rejects } from "node:assert/strict";
import { directorySource } from "../../src/source/directory_source.ts";

const dir = await Deno.makeTempDir({ prefix: "memsnap-dir-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
await Deno.mkdir(`${dir}/12`);
await Deno.mkdir(`${dir}/3`);
await Deno.mkdir(`${dir}/self-not-a-pid`);
// Not names the kernel gives a process: a copy's stray twin of 12, and pid 0.
await Deno.mkdir(`${dir}/012`);
await Deno.mkdir(`${dir}/0`);
await Deno.writeTextFile(`${dir}/meminfo`, "MemTotal: 1 kB\n");
await Deno.writeTextFile(`${dir}/12/cmdline`, "a\0");
await Deno.writeTextFile(
  `${dir}/passwd`,
  "root:x:0:0::/root:/bin/sh\nann:x:1000:1000::/home/ann:/bin/sh\n",
);
const source = directorySource(dir, { live: false, label: "test", passwdFile: `${dir}/passwd` });

Deno.test("directorySource() lists the canonical decimal entries as pids, ascending: 012 is not 12 twice", async () => {
  deepStrictEqual(await source.pids(), [3, 12]);
});

Deno.test("directorySource() reads files, and says missing for what is not there", async () => {
  deepStrictEqual(await source.read("12/cmdline"), { status: "ok", text: "a\0" });
  deepStrictEqual(await source.read("12/smaps"), { status: "missing" });
  deepStrictEqual(await source.read("99/smaps"), { status: "missing" });
});

Deno.test("directorySource() takes a process's owner from its directory, as smem does", async () => {
  const info = await Deno.stat(`${dir}/12`);
  deepStrictEqual(await source.owner(12), { uid: info.uid, gid: info.gid });
  deepStrictEqual(await source.owner(99), undefined);
});

Deno.test("directorySource() names the uids asked for from the passwd file", async () => {
  deepStrictEqual(await source.userNames(new Set([1000, 4242])), new Map([[1000, "ann"]]));
  const without = directorySource(dir, { live: false, label: "t", passwdFile: `${dir}/none` });
  deepStrictEqual(await without.userNames(new Set([0])), new Map());
});

Deno.test("directorySource() reads the live /proc: this process, and denied or gone files as such", async () => {
  const live = directorySource("/proc", { live: true, label: "live /proc" });
  const pids = await live.pids();
  deepStrictEqual(pids.includes(Deno.pid), true);
  const rollup = await live.read(`${Deno.pid}/smaps_rollup`);
  deepStrictEqual(rollup.status === "ok" && /^Pss:/m.test(rollup.text), true);
  // A kernel thread has no memory to report: ESRCH reads as missing.
  deepStrictEqual(await live.read("2/smaps_rollup"), { status: "missing" });
});

Deno.test("directorySource() refuses a directory it cannot list", async () => {
  const none = directorySource(`${dir}/none`, { live: false, label: '"none"' });
  await rejects(none.pids(), {
    name: "SourceError",
    message: 'Cannot list "none": no such file or directory',
  });
});

Deno.test("directorySource() lists a process's directory, and says missing for what is not there", async () => {
  deepStrictEqual(await source.list("12"), { status: "ok", names: ["cmdline"] });
  deepStrictEqual(await source.list("99/fdinfo"), { status: "missing" });
  const live = directorySource("/proc", { live: true, label: "live /proc" });
  const fds = await live.list(`${Deno.pid}/fdinfo`);
  deepStrictEqual(fds.status === "ok" && fds.names.includes("0"), true);
});

Deno.test("directorySource() reads a file's bytes unchanged, UTF-8 or not", async () => {
  const bytes = new Uint8Array([0x61, 0xff, 0xfe, 0]);
  await Deno.writeFile(`${dir}/3/cmdline`, bytes);
  const read = await source.readBytes("3/cmdline");
  deepStrictEqual(read.status === "ok" && [...read.bytes], [...bytes]);
  deepStrictEqual(await source.read("3/cmdline"), { status: "ok", text: "a\ufffd\ufffd\0" });
  deepStrictEqual(await source.readBytes("3/smaps"), { status: "missing" });
});
