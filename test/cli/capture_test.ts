/**
 * `memsnap capture` run as a program: what it writes reads back to the very
 * same reports, smem reads it too, and it never overwrites silently.
 */

import { deepStrictEqual, match, notDeepStrictEqual, ok } from "node:assert/strict";
import { archiveMembers } from "../_helpers/archive.ts";
import { captureInto, withoutSource } from "../_helpers/capture.ts";
import { memsnap, memsnapProcess } from "../_helpers/memsnap.ts";
import {
  capturePath,
  mapFileWithSpaces,
  unpackCapture,
  useSmemComparable,
} from "../_helpers/mirror.ts";
import { smem } from "../_helpers/smem.ts";

const n8 = capturePath("n8.tar.gz");
const tmp = await Deno.makeTempDir({ prefix: "memsnap-capture-" });
globalThis.addEventListener("unload", () => Deno.removeSync(tmp, { recursive: true }));

/** Report command lines that cover every view and the mapping detail. */
const REPORTS = [
  ["-c", "pid user command swap uss pss rss vss maps", "-t"],
  ["-u", "-t"],
  ["-m", "-c", "map count pids swap uss pss rss vss avgpss avgrss", "-t"],
  ["-w", "-t"],
  ["-c", "pid name pss_anon pss_file pss_shmem", "-t"],
  ["--format", "json", "-u"],
];

function capture(args: string[]): Promise<string> {
  return captureInto(tmp, args);
}

Deno.test("memsnap capture -S ARCHIVE writes an archive every report reads the same", async () => {
  const captured = await capture(["-S", n8]);
  for (const args of REPORTS) {
    const before = await memsnap(["-S", n8, ...args]);
    const after = await memsnap(["-S", captured, ...args]);
    deepStrictEqual(after.code, 0, after.stderr);
    deepStrictEqual(withoutSource(after.stdout), withoutSource(before.stdout), args.join(" "));
  }
});

Deno.test("memsnap capture -S DIR round-trips the snapshot", async () => {
  const dir = await unpackCapture(n8, { under: tmp });
  const captured = await capture(["-S", dir]);
  const json = async (source: string) => {
    const { stdout } = await memsnap(["-S", source, "-m", "--format", "json"]);
    return withoutSource(stdout);
  };
  deepStrictEqual(await json(captured), await json(dir));
});

Deno.test("memsnap capture stores memsnap.json first, then smem's layout with owners", async () => {
  const captured = await capture(["-S", n8]);
  const members = await archiveMembers(await Deno.readFile(captured));
  deepStrictEqual(members[0]!.name, "memsnap.json");
  const meta = JSON.parse(new TextDecoder().decode(members[0]!.data));
  deepStrictEqual(
    [meta.format, meta.formatVersion, meta.producer, meta.detail, meta.kernel],
    ["memsnap-snapshot", 1, "memsnap 0.1.0", "full", "6.18.44-fc-v595"],
  );
  deepStrictEqual(meta.users, { "994": "memc", "995": "memb", "999": "mema" });
  deepStrictEqual(members.slice(1, 3).map((m) => m.name), ["meminfo", "version"]);
  const dir = members.find((m) => m.name === "18844/")!;
  deepStrictEqual([dir.type, dir.uid, dir.uname], ["directory", 999, "mema"]);
  deepStrictEqual(
    members.filter((m) => m.name.startsWith("18844/")).map((m) => m.name),
    [
      "18844/",
      "18844/cmdline",
      "18844/smaps",
      "18844/smaps_rollup",
      "18844/stat",
      "18844/status",
      "18844/cgroup",
    ],
  );
});

Deno.test("memsnap capture of the live system records its host, kernel and page size", async () => {
  const captured = await capture([]);
  const members = await archiveMembers(await Deno.readFile(captured));
  const meta = JSON.parse(new TextDecoder().decode(members[0]!.data));
  const release = (await Deno.readTextFile("/proc/sys/kernel/osrelease")).trim();
  deepStrictEqual([meta.hostname, meta.kernel, meta.pageSize], [Deno.hostname(), release, 4096]);
  ok(Math.abs(Date.parse(meta.takenAt) - Date.now()) < 60_000, meta.takenAt);
  ok(members.some((m) => /^\d+\/smaps$/.test(m.name)));
  const { code, stdout } = await memsnap(["-S", captured, "--format", "json", "-u"]);
  deepStrictEqual(code, 0);
  deepStrictEqual(JSON.parse(stdout).takenAt, meta.takenAt);
});

Deno.test("memsnap capture --detail rollup stores smaps_rollup; the mapping view says there is none", async () => {
  const captured = await capture(["--detail", "rollup", "-S", n8]);
  const names = (await archiveMembers(await Deno.readFile(captured))).map((m) => m.name);
  ok(names.includes("18844/smaps_rollup"));
  ok(!names.some((name) => name.endsWith("/smaps")));
  const users = await memsnap(["-S", captured, "-u"]);
  deepStrictEqual(users.code, 0);
  const mappings = await memsnapProcess(["-S", captured, "-m"]);
  deepStrictEqual(mappings.code, 1);
  match(mappings.stderr, /it has smaps_rollup only, no smaps/);
});

Deno.test("memsnap capture names its file after host and time, and refuses to overwrite it", async () => {
  const cwd = await Deno.makeTempDir({ dir: tmp });
  const first = await memsnapProcess(["capture", "-S", n8], { cwd });
  deepStrictEqual(first.code, 0);
  const name = /into (memsnap-unknown-\d{8}T\d{6}Z\.tar\.gz) \(\d+ kB\)/.exec(first.stderr)?.[1];
  ok(name !== undefined, first.stderr);
  const path = `${cwd}/${name}`;
  const bytes = await Deno.readFile(path);
  const again = await memsnapProcess(["capture", "-S", n8, "-o", name], { cwd });
  deepStrictEqual(again.code, 1);
  match(
    again.stderr,
    /^memsnap: Cannot write ".*": it already exists \(use --force to replace it\)\n$/,
  );
  deepStrictEqual(await Deno.readFile(path), bytes);
  const forced = await memsnapProcess([
    "capture",
    "--detail",
    "rollup",
    "-S",
    n8,
    "-o",
    name,
    "--force",
  ], { cwd });
  deepStrictEqual(forced.code, 0);
  notDeepStrictEqual(await Deno.readFile(path), bytes);
  // Nothing left beside it: the temporary file was renamed.
  deepStrictEqual([...Deno.readDirSync(cwd)].map((e) => e.name), [name]);
});

Deno.test("memsnap capture -o - writes to stdout, and memsnap -S - reads it from stdin", async () => {
  const [command, ...prefix] = (await import("../_helpers/memsnap.ts")).memsnapCommand();
  const { code, stdout } = await new Deno.Command(command!, {
    args: [...prefix, "capture", "-o", "-", "-S", n8],
    stdout: "piped",
    stderr: "null",
  }).output();
  deepStrictEqual(code, 0);
  const report = await memsnapProcess(["-S", "-", "-u", "-t"], { stdin: stdout });
  deepStrictEqual(report.code, 0, report.stderr);
  deepStrictEqual(report.stdout, (await memsnap(["-S", n8, "-u", "-t"])).stdout);
});

Deno.test("memsnap capture refuses bad options with exit code 2", async () => {
  for (
    const [args, message] of [
      [["capture", "--detail", "some"], /Unknown detail "some"/],
      [["capture", "--bogus"], /^memsnap capture: Unknown option "--bogus"\n/],
      [["capture", "extra"], /^memsnap capture: Unexpected argument "extra"\n/],
    ] as const
  ) {
    const { code, stderr } = await memsnapProcess([...args]);
    deepStrictEqual(code, 2);
    match(stderr, message);
  }
});

Deno.test("memsnap capture --help shows usage and examples", async () => {
  const { code, stdout } = await memsnapProcess(["capture", "--help"]);
  deepStrictEqual(code, 0);
  match(stdout, /^memsnap capture: /);
  match(stdout, /Examples:\n {2}memsnap capture/);
});

Deno.test("smem reads memsnap's live capture and prints the same numbers as memsnap", async () => {
  // A process of the test's own maps a file named with spaces while the capture is taken.
  const spaced = await mapFileWithSpaces();
  const captured = await capture([]).finally(() => spaced.stop());
  const dir = await unpackCapture(captured, { under: tmp });
  const smaps = await Deno.readTextFile(`${dir}/proc/${spaced.pid}/smaps`);
  ok(smaps.includes(` ${spaced.file}\n`), `no "${spaced.file}" in the capture`);
  // The same, as smem reads it like memsnap (mappings named by their first
  // word, control characters as "?"): what else runs here tells the tools
  // apart only by those documented differences.
  const named = await unpackCapture(captured, { under: tmp });
  await useSmemComparable(named);
  for (
    const args of [
      ["-c", "pid user swap uss pss rss vss", "-t"],
      ["-u", "-t"],
      ["-m", "-c", "map count pids swap uss pss rss vss", "-t"],
      ["-w", "-t"],
    ]
  ) {
    const theirs = await smem(["-S", dir, ...args]);
    deepStrictEqual(theirs.code, 0, theirs.stderr);
    // memsnap reads its archive as it reads the archive unpacked...
    const ours = await memsnap(["-S", captured, ...args]);
    deepStrictEqual(ours.stdout, (await memsnap(["-S", dir, ...args])).stdout, args.join(" "));
    // ...and prints there what smem prints, mapping names aside.
    deepStrictEqual(
      (await memsnap(["-S", named, ...args])).stdout.split("\n"),
      (await smem(["-S", named, ...args])).stdout.split("\n"),
      args.join(" "),
    );
    // smem-tar: smem 1.5 itself, reading the archive (its Python 3 bug worked around).
    const tarred = await smem(["-S", captured, ...args], { tar: true });
    deepStrictEqual(tarred.stdout.split("\n"), theirs.stdout.split("\n"), args.join(" "));
  }
});

Deno.test("memsnap capture that fails midway leaves no file behind, not even its temporary one", async () => {
  const dir = await unpackCapture(n8);
  // A file that cannot be read (a directory where smaps should be), late in pid order.
  await Deno.remove(`${dir}/proc/18850/smaps`);
  await Deno.mkdir(`${dir}/proc/18850/smaps`);
  const out = await Deno.makeTempDir({ dir: tmp });
  const { code, stderr } = await memsnapProcess(["capture", "-S", dir, "-o", `${out}/x.tar.gz`]);
  deepStrictEqual(code, 1);
  match(stderr, /^memsnap: Cannot read "18850\/smaps" in .*: .*\n$/);
  deepStrictEqual([...Deno.readDirSync(out)], []);
  await Deno.remove(dir, { recursive: true });
});
