/**
 * memsnap run as a program, the way users run it: live reports, sources,
 * formats, and every error with its message and exit code. MEMSNAP_COMMAND
 * points the same cases at another build (a compiled binary).
 */

import { deepStrictEqual, match, ok } from "node:assert/strict";
import config from "../../deno.json" with { type: "json" };
import { assertCompiledVersion } from "../_helpers/binary.ts";
import { memsnapProcess } from "../_helpers/memsnap.ts";
import { capturePath, unpackCapture } from "../_helpers/mirror.ts";
import { sizeKb } from "../_helpers/size.ts";
import { gunzipSync, gzipSync } from "node:zlib";
import { memberEnds } from "../_helpers/archive.ts";

const n8 = capturePath("n8.tar.gz");
const tmp = await Deno.makeTempDir({ prefix: "memsnap-cli-" });
globalThis.addEventListener("unload", () => Deno.removeSync(tmp, { recursive: true }));

/** Packs DIR/proc's content into a tar.gz (GNU tar), as smemcap lays it out. */
async function pack(dir: string, archive: string, args: string[] = ["-z"]): Promise<string> {
  const { success } = await new Deno.Command("tar", {
    args: ["-c", ...args, "-f", archive, "-C", `${dir}/proc`, "."],
  }).output();
  ok(success, "tar failed");
  return archive;
}

Deno.test("memsnap --help shows usage, every option and examples", async () => {
  const { code, stdout } = await memsnapProcess(["--help"]);
  deepStrictEqual(code, 0);
  match(stdout, /^memsnap: where did my RAM go\?/);
  for (
    const option of [
      "--no-header",
      "--columns",
      "--realmem",
      "--source",
      "--format",
      "--cgroups",
      "--depth N",
      "--commands",
      "--tree",
      "memsnap --cgroups --depth 2",
      "process-tree:",
    ]
  ) {
    ok(stdout.includes(option), option);
  }
  match(stdout, /Examples:\n {2}memsnap /);
});

Deno.test("memsnap --version prints deno.json's version, the commit and the runtime", async () => {
  const { code, stdout } = await memsnapProcess(["--version"]);
  deepStrictEqual(code, 0);
  if (Deno.env.get("MEMSNAP_COMMAND") === undefined) {
    deepStrictEqual(
      stdout,
      `memsnap ${config.version} (commit unknown, runtime deno ${Deno.version.deno}, not compiled)\n`,
    );
  } else {
    await assertCompiledVersion(stdout);
  }
});

Deno.test("memsnap with no argument reports the live processes, itself included", async () => {
  const child = await memsnapProcess(["-c", "pid user command pss", "-H"]);
  deepStrictEqual(child.code, 0);
  const rows = child.stdout.trimEnd().split("\n").map((line) => line.trim().split(/ +/));
  ok(rows.length >= 2, child.stdout);
  const mine = rows.find(([pid]) => Number(pid) === child.pid);
  ok(mine !== undefined, `no row for pid ${child.pid} in\n${child.stdout}`);
  ok(Number(mine.at(-1)) > 1000, `a JavaScript runtime uses more than 1 MB of PSS: ${mine}`);
});

Deno.test("memsnap --format json reads live smaps_rollup, and full smaps for the mapping view", async () => {
  const processes = JSON.parse((await memsnapProcess(["--format", "json"])).stdout);
  deepStrictEqual([processes.view, processes.detail, processes.source], [
    "processes",
    "rollup",
    "live /proc",
  ]);
  ok(processes.rows.length > 0);
  const mappings = JSON.parse((await memsnapProcess(["-m", "--format", "json"])).stdout);
  deepStrictEqual([mappings.view, mappings.detail], ["mappings", "full"]);
  ok(mappings.rows.some((row: { map: string }) => row.map === "[heap]"));
});

Deno.test("memsnap -S - reads an archive on standard input", async () => {
  const { code, stdout } = await memsnapProcess(["-S", "-", "-u"], {
    stdin: await Deno.readFile(n8),
  });
  deepStrictEqual(code, 0);
  deepStrictEqual(stdout, await Deno.readTextFile(capturePath("n8.smem-users.txt")));
});

Deno.test("memsnap --format csv writes smem's numbers as CSV", async () => {
  const { code, stdout } = await memsnapProcess(["-S", n8, "-u", "--format", "csv"]);
  deepStrictEqual(code, 0);
  const table = (await Deno.readTextFile(capturePath("n8.smem-users.txt"))).trimEnd().split("\n");
  const rows = table.slice(1).map((line) => line.trim().split(/ +/).join(","));
  deepStrictEqual(stdout, ["user,count,swap,uss,pss,rss", ...rows, ""].join("\n"));
});

Deno.test("memsnap -w -K measures the kernel image with size(1) and takes it from firmware", async () => {
  const kernelKb = await sizeKb("/bin/true");
  const args = ["-S", n8, "-w", "-R", "32G", "-K", "/bin/true", "--format", "csv", "-H"];
  const { code, stdout, stderr } = await memsnapProcess(args);
  deepStrictEqual([code, stderr], [0, ""]);
  // smem -w -R 32G on n8 says 8870336 kB of firmware/hardware without -K.
  const [firmware, kernel] = stdout.split("\n");
  deepStrictEqual([firmware, kernel], [
    `firmware/hardware,${8870336 - kernelKb},0,${8870336 - kernelKb}`,
    `kernel image,${kernelKb},0,${kernelKb}`,
  ]);
});

Deno.test("memsnap reads a plain tar whose members start with ./ as the tar.gz it came from", async () => {
  const dir = await unpackCapture(n8);
  // Repacked here, the archive's user names are this machine's: compare uids.
  const plain = await pack(dir, `${tmp}/n8.tar`, []);
  const original = await memsnapProcess(["-S", n8, "-u", "-n", "-t"]);
  const repacked = await memsnapProcess(["-S", plain, "-u", "-n", "-t"]);
  deepStrictEqual([repacked.code, repacked.stdout, repacked.stderr], [0, original.stdout, ""]);
  match(original.stdout, /^999 +2 +0 +3556 +29680 +64172 $/m);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("memsnap reads a capture holding smaps_rollup only: the kernel's sums", async () => {
  const dir = await unpackCapture(n8);
  const pss = new Map<string, string>();
  for await (const entry of Deno.readDir(`${dir}/proc`)) {
    if (!entry.isDirectory) continue;
    await Deno.remove(`${dir}/proc/${entry.name}/smaps`);
    const rollup = await Deno.readTextFile(`${dir}/proc/${entry.name}/smaps_rollup`);
    pss.set(entry.name, /^Pss:\s+(\d+) kB$/m.exec(rollup)![1]!);
  }
  const archive = await pack(dir, `${tmp}/rollup.tar.gz`);
  const { code, stdout } = await memsnapProcess(["-S", archive, "-c", "pid pss", "-H"]);
  deepStrictEqual(code, 0);
  const rows = stdout.trimEnd().split("\n").map((l) => l.trim().split(/ +/));
  deepStrictEqual(new Map(rows.map(([pid, value]) => [pid!, value!])), pss);
  const json = JSON.parse((await memsnapProcess(["-S", archive, "--format", "json"])).stdout);
  deepStrictEqual(json.detail, "rollup");
  await Deno.remove(dir, { recursive: true });
});

/** Each bad input: its arguments, exit code, and first line on stderr. */
const ERRORS: [string, () => Promise<string[]>, number, RegExp][] = [
  [
    "a bad regular expression",
    () => Promise.resolve(["-P", "("]),
    2,
    /^memsnap: Invalid regular expression for -P "\(": /,
  ],
  [
    "an unknown column",
    () => Promise.resolve(["-c", "pid bogus"]),
    2,
    /^memsnap: Unknown column "bogus" for the processes view$/,
  ],
  [
    "an unknown sort field",
    () => Promise.resolve(["-m", "-s", "bogus"]),
    2,
    /^memsnap: Unknown sort field "bogus" for the mappings view$/,
  ],
  [
    "an unknown option",
    () => Promise.resolve(["--bogus"]),
    2,
    /^memsnap: Unknown option "--bogus"$/,
  ],
  [
    "a missing value",
    () => Promise.resolve(["-c"]),
    2,
    /^memsnap: Option "-c \(--columns\)" needs a value$/,
  ],
  [
    "an ambiguous option",
    () => Promise.resolve(["--n"]),
    2,
    /^memsnap: Ambiguous option "--n": could be --no-header, --numeric$/,
  ],
  [
    "an unknown format",
    () => Promise.resolve(["--format", "xml"]),
    2,
    /^memsnap: Unknown format "xml": expected "table", "json", "csv", "markdown"$/,
  ],
  [
    "a size without unit",
    () => Promise.resolve(["-w", "-R", "32"]),
    2,
    /^memsnap: Invalid size "32": memory size should be written with units, for example 1024M$/,
  ],
  [
    "an extra argument",
    () => Promise.resolve(["extra"]),
    2,
    /^memsnap: Unexpected argument "extra"$/,
  ],
  [
    "a missing source",
    () => Promise.resolve(["-S", "/nonexistent"]),
    1,
    /^memsnap: Cannot open source "\/nonexistent": no such file or directory$/,
  ],
  [
    "a directory without proc/",
    () => Promise.resolve(["-S", tmp]),
    1,
    /^memsnap: Cannot open source ".*": no proc\/meminfo in it \(smem -S DIR reads DIR\/proc\)$/,
  ],
  [
    "a file that is not an archive",
    () => Promise.resolve(["-S", `${capturePath("README.md")}`]),
    1,
    /^memsnap: Cannot read ".*README.md": not a tar or tar.gz archive$/,
  ],
  [
    "a truncated tar.gz",
    async () => {
      await Deno.writeFile(`${tmp}/cut.tar.gz`, (await Deno.readFile(n8)).subarray(0, 9000));
      return ["-S", `${tmp}/cut.tar.gz`];
    },
    1,
    /^memsnap: Cannot read ".*cut.tar.gz": the archive is truncated after member "\d+\/\w+"$/,
  ],
  [
    "a tar.gz cut between two members",
    async () => {
      const tar = gunzipSync(await Deno.readFile(n8));
      const ends = memberEnds(tar);
      await Deno.writeFile(`${tmp}/between.tar.gz`, gzipSync(tar.subarray(0, ends[20])));
      return ["-S", `${tmp}/between.tar.gz`];
    },
    1,
    /^memsnap: Cannot read ".*between.tar.gz": the archive is truncated after member "\d+\/\w+" \(the tar lacks its end-of-archive blocks\)$/,
  ],
  [
    "a truncated tar",
    async () => {
      const dir = await unpackCapture(n8, { under: tmp });
      const tar = await Deno.readFile(await pack(dir, `${tmp}/whole.tar`, []));
      await Deno.writeFile(`${tmp}/cut.tar`, tar.subarray(0, 30000));
      return ["-S", `${tmp}/cut.tar`];
    },
    1,
    /^memsnap: Cannot read ".*cut.tar": the archive is truncated after member "18846\/smaps"$/,
  ],
  [
    "a bzip2 archive",
    async () => {
      await Deno.writeTextFile(`${tmp}/x.tar.bz2`, "BZh91AY&SY");
      return ["-S", `${tmp}/x.tar.bz2`];
    },
    1,
    /^memsnap: Cannot read ".*x.tar.bz2": compressed with bzip2; decompress it first, or use tar or tar.gz$/,
  ],
  [
    "a malformed smaps in an archive",
    async () => {
      const dir = await unpackCapture(n8, { under: tmp });
      const path = `${dir}/proc/18844/smaps`;
      const lines = (await Deno.readTextFile(path)).split("\n");
      lines[6] = "Pss: lots kB";
      await Deno.writeTextFile(path, lines.join("\n"));
      return ["-S", await pack(dir, `${tmp}/bad.tar.gz`)];
    },
    1,
    /^memsnap: Cannot parse "18844\/smaps": line 7: expected "Key: value kB"$/,
  ],
  [
    "the mapping view of a rollup-only capture",
    async () => {
      const dir = await unpackCapture(n8, { under: tmp });
      for await (const entry of Deno.readDir(`${dir}/proc`)) {
        if (entry.isDirectory) await Deno.remove(`${dir}/proc/${entry.name}/smaps`);
      }
      return ["-S", await pack(dir, `${tmp}/rollup-only.tar.gz`), "-m"];
    },
    1,
    /^memsnap: Cannot read mappings from ".*": it has smaps_rollup only, no smaps; the mapping view, -M, vss and maps need smaps$/,
  ],
];

for (const [what, args, expectedCode, message] of ERRORS) {
  Deno.test(`memsnap refuses ${what} with one line and exit code ${expectedCode}`, async () => {
    const { code, stdout, stderr } = await memsnapProcess(await args());
    deepStrictEqual([code, stdout], [expectedCode, ""]);
    match(stderr.split("\n")[0]!, message);
    ok(!/\bat .*:\d+:\d+/.test(stderr), `a stack trace in:\n${stderr}`);
    if (expectedCode === 2) match(stderr, /Try "memsnap --help" for more information\.\n$/);
  });
}

Deno.test("memsnap reads a capture cut inside its gzip trailer whole, with a one-line warning", async () => {
  const bytes = await Deno.readFile(n8);
  await Deno.writeFile(`${tmp}/trailer.tar.gz`, bytes.subarray(0, bytes.length - 4));
  const whole = await memsnapProcess(["-S", n8, "-u"]);
  const cut = await memsnapProcess(["-S", `${tmp}/trailer.tar.gz`, "-u"]);
  deepStrictEqual([cut.code, cut.stdout], [0, whole.stdout]);
  match(
    cut.stderr,
    /^memsnap: ".*trailer.tar.gz" is truncated inside its gzip trailer \(checksum and size\): every member up to the tar's end is complete, so it is read whole\n$/,
  );
});

Deno.test("memsnap lists a view's known columns with their descriptions after an unknown one", async () => {
  const { stderr } = await memsnapProcess(["-u", "-c", "bogus"]);
  const lines = stderr.split("\n");
  deepStrictEqual(lines[1], "known fields:");
  ok(lines.includes("  vss            virtual set size (total virtual memory mapped)"), stderr);
});

Deno.test("memsnap -a fits $COLUMNS when output is piped, as ps does, and ignores a COLUMNS that is no width", async () => {
  const args = ["-S", n8, "-a", "-c", "pid command pss", "-s", "pid"];
  const narrow = await memsnapProcess(args, { env: { COLUMNS: "40" } });
  deepStrictEqual(narrow.code, 0, narrow.stderr);
  // 40 columns less PID (5), PSS (4) and a space after each of the three.
  deepStrictEqual(narrow.stdout.split("\n").slice(0, 2), [
    "  PID Command                       PSS ",
    "18844 /usr/bin/python3 /opt/memwo 14737 ",
  ]);
  for (const junk of ["abc", "0", "-5", "99999999"]) {
    const ignored = await memsnapProcess(args, { env: { COLUMNS: junk } });
    // No terminal here: smem's 80.
    deepStrictEqual(ignored.stdout.split("\n")[0]!.length, 80, `COLUMNS=${junk}`);
  }
});

Deno.test("memsnap ends quietly when its output pipe closes early", async () => {
  const [command, ...prefix] = (await import("../_helpers/memsnap.ts")).memsnapCommand();
  const script = `"$@" -S ${n8} -m | true; echo "exit=\${PIPESTATUS[0]}" >&2`;
  const { stderr } = await new Deno.Command("bash", {
    args: ["-c", script, "bash", command!, ...prefix],
    stderr: "piped",
  }).output();
  deepStrictEqual(new TextDecoder().decode(stderr), "exit=0\n");
});

/** Runs memsnap as the user nobody (the test runs as root), or undefined. */
async function asNobody(args: string[]): Promise<{ code: number; stderr: string } | undefined> {
  if (Deno.uid() !== 0) return undefined;
  const [command, ...prefix] = (await import("../_helpers/memsnap.ts")).memsnapCommand();
  const { code, stderr } = await new Deno.Command("setpriv", {
    args: ["--reuid=65534", "--regid=65534", "--clear-groups", command!, ...prefix, ...args],
    env: { HOME: tmp, DENO_DIR: `${tmp}/deno-nobody`, DENO_NO_UPDATE_CHECK: "1" },
    stdout: "null",
    stderr: "piped",
  }).output();
  // Deno fetches its npm cache for the new user first: not memsnap's output.
  const lines = new TextDecoder().decode(stderr).split("\n").filter((l) => !/Download/.test(l));
  return { code, stderr: lines.join("\n") };
}

Deno.test("memsnap counts other users' processes it cannot read, in one line on stderr", async () => {
  await Deno.chmod(tmp, 0o755);
  const outcome = await asNobody(["-u"]);
  if (outcome === undefined) {
    // Not root: this very run is the unprivileged one.
    const { stderr } = await memsnapProcess(["-u"]);
    match(stderr, /^(memsnap: \d+ process(es)? skipped: permission denied .*\n)?$/);
    return;
  }
  deepStrictEqual(outcome.code, 0);
  match(
    outcome.stderr,
    /^memsnap: \d+ process(es)? skipped: permission denied reading their memory maps \(reading other users' processes needs root or CAP_SYS_PTRACE\)\n$/,
  );
});

Deno.test("memsnap refuses an unreadable source with exit code 1", async () => {
  const file = `${tmp}/unreadable.tar.gz`;
  await Deno.copyFile(n8, file);
  await Deno.chmod(file, 0o000);
  const outcome = await asNobody(["-S", file]) ?? await memsnapProcess(["-S", file]);
  deepStrictEqual(outcome.code, 1);
  match(outcome.stderr, /^memsnap: Cannot open source ".*unreadable.tar.gz": permission denied\n$/);
});
