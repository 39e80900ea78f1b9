/**
 * The capture script run by busybox sh on a fixed /proc mirror (the n8
 * capture unpacked, PROC=DIR/proc): every byte it copies, the metadata it
 * writes, and the numbers memsnap and smem read back, against the mirror.
 * Every path holds a space, as paths on a device may.
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
import { capturePath } from "../_helpers/mirror.ts";
import { smem } from "../_helpers/smem.ts";

const work = await Deno.makeTempDir({ prefix: "memsnap capture " });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));

/** Unpacks a tar.gz into DIR/proc with GNU tar (owners kept, as root). */
async function unpack(archive: string, dir: string): Promise<string> {
  await Deno.mkdir(`${dir}/proc`, { recursive: true });
  const { success, stderr } = await new Deno.Command("tar", {
    args: ["-xzf", archive, "-C", `${dir}/proc`],
    stderr: "piped",
  }).output();
  ok(success, new TextDecoder().decode(stderr));
  return dir;
}

const mirror = await unpack(capturePath("n8.tar.gz"), `${work}/n8 mirror`);
const proc = `${mirror}/proc`;
const pids = [...Deno.readDirSync(proc)].filter((e) => /^\d+$/.test(e.name)).map((e) => e.name)
  .sort();

// What the device would say of itself: a hostname and names that JSON must escape.
const HOSTNAME = 'board "7" \\ test';
await Deno.mkdir(`${proc}/sys/kernel`, { recursive: true });
await Deno.writeTextFile(`${proc}/sys/kernel/hostname`, `${HOSTNAME}\n`);
const etc = `${work}/device etc`;
await Deno.mkdir(etc);
await Deno.writeTextFile(
  `${etc}/passwd`,
  [
    "root:x:0:0:root:/root:/bin/sh",
    'mem"a\\:x:999:995::/:/bin/sh',
    "mem b:x:995:994::/:/bin/sh",
    "mem\tc:x:994:993::/:/bin/sh",
    "nobody:x:65534:65534::/:/bin/false",
    "",
  ].join("\n"),
);
await Deno.writeTextFile(`${etc}/group`, "root:x:0:\nga:x:995:\ngb:x:994:\ngc:x:993:\n");

const path = await busyboxPath();
const tmpdir = `${work}/device tmp`;
await Deno.mkdir(tmpdir);
const env = { PROC: proc, ETC: etc, TMPDIR: tmpdir };

/** Captures the mirror with the printed script; the archive's path. */
async function capture(detail: "full" | "rollup"): Promise<string> {
  const out = `${work}/snap ${detail}.tar.gz`;
  const run = await runScript(await printedScript(["--detail", detail]), {
    path,
    env,
    args: ["-o", out],
  });
  deepStrictEqual(run.code, 0, run.stderr);
  match(run.stderr, new RegExp(`: Wrote ".*": ${detail} detail, ${pids.length} processes\n$`));
  deepStrictEqual([...Deno.readDirSync(tmpdir)], [], "the working copy is removed");
  return out;
}

const started = new Date(Math.floor(Date.now() / 1000) * 1000);
const full = await capture("full");
const rollup = await capture("rollup");
const finished = new Date();
const fullMembers = await members(await Deno.readFile(full));

function member(list: readonly Member[], name: string): Member {
  const found = list.find((m) => m.name === name);
  ok(found !== undefined, `no member "${name}"`);
  return found;
}

Deno.test("capture.sh writes memsnap.json first: the device's metadata, JSON-escaped", async () => {
  deepStrictEqual(fullMembers[0]?.name, "memsnap.json");
  const meta = JSON.parse(new TextDecoder().decode(fullMembers[0]!.data));
  const takenAt = new Date(meta.takenAt);
  ok(takenAt >= started && takenAt <= finished, `${meta.takenAt} is not the time of the capture`);
  const version = await Deno.readTextFile(`${proc}/version`);
  const firstSmaps = await Deno.readTextFile(`${proc}/${pids[0]}/smaps`);
  const pageKb = Number(/^KernelPageSize: +(\d+) kB$/m.exec(firstSmaps)![1]);
  deepStrictEqual(meta, {
    format: "memsnap-snapshot",
    formatVersion: 1,
    producer: "memsnap capture-script 0.1.0",
    takenAt: meta.takenAt,
    hostname: HOSTNAME,
    kernel: version.split(" ")[2],
    pageSize: pageKb * 1024,
    detail: "full",
    // The owners of the captured processes only, by their passwd and group lines.
    users: { "999": 'mem"a\\', "995": "mem b", "994": "mem\tc" },
    groups: { "995": "ga", "994": "gb", "993": "gc" },
  });
  match(meta.takenAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

Deno.test("memsnap reads the script's metadata: time, host and kernel in reports and list", async () => {
  const meta = JSON.parse(new TextDecoder().decode(fullMembers[0]!.data));
  const report = await memsnap(["-S", full, "-u", "--format", "json"]);
  deepStrictEqual(report.code, 0, report.stderr);
  const { takenAt, hostname, kernel, detail } = JSON.parse(report.stdout);
  deepStrictEqual({ takenAt, hostname, kernel, detail }, {
    takenAt: meta.takenAt,
    hostname: HOSTNAME,
    kernel: meta.kernel,
    detail: "full",
  });
  const listed = await memsnap(["list", full, "--format", "json"]);
  deepStrictEqual(listed.code, 0, listed.stderr);
  const [only, ...rest] = JSON.parse(listed.stdout).snapshots;
  deepStrictEqual(rest, []);
  deepStrictEqual([only.index, only.takenAt, only.processes], [0, meta.takenAt, pids.length]);
});

Deno.test("capture.sh copies meminfo, version and each process's files byte for byte", async () => {
  const expected = ["memsnap.json", "meminfo", "version"];
  for (const pid of pids) {
    expected.push(
      `${pid}/`,
      ...["cgroup", "cmdline", "smaps", "stat", "status"].map((f) => `${pid}/${f}`),
    );
  }
  // In pid order, each directory before its files (in the order the file system lists them).
  deepStrictEqual(
    fullMembers.map((m) => m.name.replace(/\/.+$/, "/*")),
    expected.map((name) => name.replace(/\/.+$/, "/*")),
  );
  deepStrictEqual(fullMembers.map((m) => m.name).sort(), [...expected].sort());
  for (const name of expected.slice(1)) {
    if (name.endsWith("/")) continue;
    deepStrictEqual(member(fullMembers, name).data, await Deno.readFile(`${proc}/${name}`), name);
  }
});

Deno.test("capture.sh gives each PID/ directory its process's owner, as smem's captures do", async () => {
  for (const pid of pids) {
    const { uid, gid } = await Deno.stat(`${proc}/${pid}`);
    const dir = member(fullMembers, `${pid}/`);
    deepStrictEqual([dir.type, dir.uid, dir.gid], ["directory", uid, gid], pid);
    deepStrictEqual([member(fullMembers, `${pid}/smaps`).uid], [uid]);
  }
});

const VIEWS = [["-t"], ["-u", "-t"], ["-m", "-t"], ["-w", "-t"], ["-t", "-k", "-r"]];
const unpacked = await unpack(full, `${work}/full unpacked`);

for (const args of VIEWS) {
  Deno.test(`capture.sh's archive reads back as the mirror: memsnap and smem ${args.join(" ")}`, async () => {
    const fromMirror = await memsnap(["-S", mirror, ...args]);
    const fromArchive = await memsnap(["-S", full, ...args]);
    const bySmem = await smem(["-S", unpacked, ...args]);
    deepStrictEqual([fromArchive.code, fromArchive.stderr], [0, ""]);
    deepStrictEqual(fromArchive.stdout, fromMirror.stdout);
    deepStrictEqual(bySmem.code, 0, bySmem.stderr);
    deepStrictEqual(fromArchive.stdout.split("\n"), bySmem.stdout.split("\n"));
  });
}

Deno.test("capture.sh -d rollup stores smaps_rollup, never smaps, and reads back as such", async () => {
  const list = await members(await Deno.readFile(rollup));
  const files = list.filter((m) => m.type === "file").map((m) => m.name);
  deepStrictEqual(files.filter((name) => /\/smaps$/.test(name)), []);
  deepStrictEqual(
    files.filter((name) => name.endsWith("/smaps_rollup")),
    pids.map((pid) => `${pid}/smaps_rollup`),
  );
  deepStrictEqual(JSON.parse(new TextDecoder().decode(list[0]!.data)).detail, "rollup");
  // The same mirror without its smaps reads from smaps_rollup too.
  const rollupOnly = await unpack(capturePath("n8.tar.gz"), `${work}/rollup only`);
  for (const pid of pids) await Deno.remove(`${rollupOnly}/proc/${pid}/smaps`);
  for (const args of [["-t"], ["-u", "-t"]]) {
    const expected = await memsnap(["-S", rollupOnly, ...args]);
    deepStrictEqual(await memsnap(["-S", rollup, ...args]), expected);
  }
  const mappings = await memsnap(["-S", rollup, "-m"]);
  deepStrictEqual(mappings.code, 1);
  match(mappings.stderr, /smaps_rollup only, no smaps/);
});
