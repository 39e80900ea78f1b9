/**
 * `memsnap record` run as a program: the schedule, the workload and its
 * exit status, --tree, and a recording that survives kill -9.
 */

import { deepStrictEqual, match, ok } from "node:assert/strict";
import { memsnap, memsnapCommand, memsnapProcess } from "../_helpers/memsnap.ts";
import { capturePath } from "../_helpers/mirror.ts";

const n8 = capturePath("n8.tar.gz");
const tmp = await Deno.makeTempDir({ prefix: "memsnap-record-" });
globalThis.addEventListener("unload", () => Deno.removeSync(tmp, { recursive: true }));

const path = () => `${tmp}/${crypto.randomUUID()}.tar.gz`;

interface Listed {
  recording: {
    intervalMs: number;
    command: string[] | null;
    tree: boolean;
    hostname: string | null;
  } | null;
  end: { snapshots: number; stoppedBy: string; exitStatus: unknown } | null;
  snapshots: { index: number; takenAt: string; lateMs: number; processes: number; pss: number }[];
}

async function list(file: string): Promise<Listed & { stderr: string }> {
  const { code, stdout, stderr } = await memsnap(["list", file, "--format", "json"]);
  deepStrictEqual(code, 0, stderr);
  return { ...JSON.parse(stdout), stderr };
}

/**
 * Waits until a recording being written holds `count` complete snapshots
 * (each one ends a gzip member); fails after a minute rather than hang.
 */
async function untilSnapshots(file: string, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (let listed = 0; listed < count;) {
    if (Date.now() > deadline) throw new Error(`${file}: ${listed} of ${count} snapshots in 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    listed = await memsnap(["list", file, "--format", "json"]).then((o) =>
      o.code === 0 ? JSON.parse(o.stdout).snapshots.length : 0
    );
  }
}

Deno.test("memsnap record --count takes N snapshots on the interval's schedule", async () => {
  const file = path();
  const { code, stderr } = await memsnapProcess([
    "record",
    "-o",
    file,
    "-S",
    n8,
    "--count",
    "4",
    "--interval",
    "150ms",
    "--detail",
    "full",
  ]);
  deepStrictEqual(code, 0, stderr);
  match(stderr, /recorded 4 snapshots into /);
  const listed = await list(file);
  deepStrictEqual(listed.snapshots.map((s) => s.index), [0, 1, 2, 3]);
  deepStrictEqual(listed.end?.stoppedBy, "count");
  deepStrictEqual(listed.recording?.intervalMs, 150);
  // n8's eight processes and their PSS, as the report gives it (smaps summed), each time.
  const totals = await memsnap(["-S", n8, "--format", "json", "-t"]);
  const pss = JSON.parse(totals.stdout).totals.pss;
  for (const snapshot of listed.snapshots) {
    deepStrictEqual([snapshot.processes, snapshot.pss], [8, pss]);
  }
  // The schedule: deadlines 150 ms apart from the first, whatever a snapshot costs.
  const [first, ...rest] = listed.snapshots.map((s) => Date.parse(s.takenAt) - s.lateMs);
  rest.forEach((scheduled, i) => deepStrictEqual(scheduled - first!, 150 * (i + 1)));
});

Deno.test("memsnap record --duration stops after the snapshots due within it", async () => {
  const file = path();
  const { code } = await memsnapProcess([
    "record",
    "-o",
    file,
    "-S",
    n8,
    "-d",
    "1s",
    "-i",
    "250ms",
  ]);
  deepStrictEqual(code, 0);
  const listed = await list(file);
  deepStrictEqual(listed.end?.stoppedBy, "duration");
  // Due at 0, 250, 500 and 750 ms; on a loaded machine a deadline passed
  // entirely is skipped, never shifted, so fewer may be taken, none later.
  const [first, ...rest] = listed.snapshots.map((s) => Date.parse(s.takenAt) - s.lateMs);
  const offsets = [0, ...rest.map((scheduled) => scheduled - first!)];
  ok(offsets.length >= 2, `${offsets.length} snapshots`);
  ok(offsets.every((offset) => [0, 250, 500, 750].includes(offset)), offsets.join(" "));
  deepStrictEqual([...offsets].sort((a, b) => a - b), offsets);
});

Deno.test("every snapshot of a recording reads back as the report of its source", async () => {
  const file = path();
  await memsnapProcess([
    "record",
    "-o",
    file,
    "-S",
    n8,
    "-n",
    "3",
    "-i",
    "100ms",
    "--detail",
    "full",
  ]);
  for (const args of [["-u", "-t"], ["-m", "-t", "-k"], ["-w"]]) {
    const expected = (await memsnap(["-S", n8, ...args])).stdout;
    for (const pick of ["0", "1", "2", "first", "last"]) {
      const { code, stdout, stderr } = await memsnap(["-S", `${file}@${pick}`, ...args]);
      deepStrictEqual([code, stderr], [0, ""]);
      deepStrictEqual(stdout, expected, `@${pick} ${args.join(" ")}`);
    }
  }
});

Deno.test("memsnap record -- COMMAND records until it exits and exits with its status", async () => {
  const file = path();
  const { code } = await memsnapProcess([
    "record",
    "-o",
    file,
    "-i",
    "100ms",
    // Only the command's tree: cheap snapshots keep the schedule on a loaded machine.
    "--tree",
    "--",
    "sh",
    "-c",
    "sleep 1; exit 7",
  ]);
  deepStrictEqual(code, 7);
  const listed = await list(file);
  deepStrictEqual(listed.end?.exitStatus, { code: 7, signal: null });
  deepStrictEqual(listed.end?.stoppedBy, "command");
  deepStrictEqual(listed.recording?.command, ["sh", "-c", "sleep 1; exit 7"]);
  deepStrictEqual(listed.recording?.hostname, Deno.hostname());
  ok(listed.snapshots.length >= 3, `${listed.snapshots.length} snapshots`);
});

Deno.test("memsnap record -- COMMAND that cannot start says so and exits with 127", async () => {
  const file = path();
  const { code, stderr } = await memsnapProcess(["record", "-o", file, "--", "/nonexistent/cmd"]);
  deepStrictEqual(code, 127);
  match(stderr, /^memsnap: Cannot run "\/nonexistent\/cmd": no such file or directory\n/);
  deepStrictEqual((await list(file)).end?.exitStatus, { code: 127, signal: null });
});

Deno.test("memsnap record -- COMMAND that a signal kills exits with 128 + the signal", async () => {
  const file = path();
  const { code } = await memsnapProcess(["record", "-o", file, "--", "sh", "-c", "kill -9 $$"]);
  deepStrictEqual(code, 128 + 9);
  deepStrictEqual((await list(file)).end?.exitStatus, { code: null, signal: "SIGKILL" });
});

Deno.test("memsnap record --tree keeps only the workload's process tree", async () => {
  const file = path();
  const { code } = await memsnapProcess([
    "record",
    "-o",
    file,
    "-i",
    "100ms",
    "--tree",
    "--",
    "sh",
    "-c",
    "sleep 0.6; true",
  ]);
  deepStrictEqual(code, 0);
  const { stdout } = await memsnap(["-S", `${file}@2`, "--format", "json", "-c", "pid command"]);
  const commands = JSON.parse(stdout).rows.map((row: { command: string }) => row.command).sort();
  // The runtime may start sh by its full path (Deno's node:child_process does).
  deepStrictEqual(commands.length, 2, commands.join(", "));
  match(commands[0], /^(\/usr\/bin\/)?sh -c sleep 0\.6; true$/);
  deepStrictEqual(commands[1], "sleep 0.6");
});

Deno.test("a recording killed with SIGKILL reads back up to its last complete snapshot", async () => {
  const file = path();
  const [command, ...prefix] = memsnapCommand();
  const child = new Deno.Command(command!, {
    args: [...prefix, "record", "-o", file, "-S", n8, "-i", "50ms", "--detail", "full"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await untilSnapshots(file, 5);
  child.kill("SIGKILL");
  await child.status;
  const listed = await list(file);
  ok(listed.snapshots.length >= 5);
  deepStrictEqual(listed.end, null);
  match(
    listed.stderr,
    /(; read the \d+ complete snapshots? before it \(the recording was cut short\)| ends without its end member \(still being written, or cut short\); read the \d+ complete snapshots?)\n$/,
  );
  // A report on it says so too, on stderr.
  const last = await memsnapProcess(["-S", `${file}@last`, "-u"]);
  deepStrictEqual(last.code, 0);
  match(
    last.stderr,
    /^memsnap: .*(\(the recording was cut short\)|, or cut short\); read the \d+ complete snapshots?)\n$/,
  );
  const expected = (await memsnap(["-S", n8, "-u", "-t"])).stdout;
  for (const snapshot of listed.snapshots) {
    const { code, stdout } = await memsnap(["-S", `${file}@${snapshot.index}`, "-u", "-t"]);
    deepStrictEqual([code, stdout], [0, expected]);
  }
});

Deno.test("a recording cut at any byte reads its complete snapshots, with a warning", async () => {
  const file = path();
  await memsnapProcess(["record", "-o", file, "-S", n8, "-n", "3", "-i", "10ms"]);
  const bytes = await Deno.readFile(file);
  const cut = `${tmp}/cut.tar.gz`;
  let previous = 0;
  const lengths = [];
  for (let length = 600; length < bytes.length; length += 397) lengths.push(length);
  // Cut in the last member (the end): every snapshot is whole.
  for (const length of [...lengths, bytes.length - 1]) {
    await Deno.writeFile(cut, bytes.subarray(0, length));
    const { code, stdout, stderr } = await memsnap(["list", cut, "--format", "json"]);
    if (code !== 0) {
      // Before the first snapshot is whole: a one-line error, nothing listed.
      deepStrictEqual(previous, 0, stderr);
      match(stderr, /^memsnap: Cannot read ".*cut\.tar\.gz": .*\n$/);
      continue;
    }
    const count = JSON.parse(stdout).snapshots.length;
    ok(count >= previous && count <= 3, `${count} after ${previous}`);
    // A cut after the end member was read loses no snapshot, and says so.
    match(
      stderr,
      /(; read the \d complete snapshots? before it \(the recording was cut short\)| ends without its end member \(still being written, or cut short\); read the \d complete snapshots?|: its 3 snapshots and its end member are complete)\n$/,
    );
    previous = count;
  }
  deepStrictEqual(previous, 3);
});

Deno.test("memsnap record finishes the file cleanly on SIGTERM", async () => {
  const file = path();
  const [command, ...prefix] = memsnapCommand();
  const child = new Deno.Command(command!, {
    args: [...prefix, "record", "-o", file, "-S", n8, "-i", "100ms"],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  await untilSnapshots(file, 2);
  child.kill("SIGTERM");
  const { code, stderr } = await child.output();
  deepStrictEqual(code, 0, new TextDecoder().decode(stderr));
  const listed = await list(file);
  deepStrictEqual([listed.end?.stoppedBy, listed.stderr], ["signal", ""]);
  deepStrictEqual(listed.end?.snapshots, listed.snapshots.length);
});

Deno.test("memsnap record refuses to overwrite, and bad options with exit code 2", async () => {
  const file = path();
  await Deno.writeTextFile(file, "mine");
  const refused = await memsnapProcess(["record", "-o", file, "-n", "1"]);
  deepStrictEqual(refused.code, 1);
  match(
    refused.stderr,
    /^memsnap: Cannot write ".*": it already exists \(use --force to replace it\)\n$/,
  );
  deepStrictEqual(await Deno.readTextFile(file), "mine");
  for (
    const [args, message] of [
      [["record", "-o", "-", "-n", "1"], /^memsnap record: Option "-o" needs a file/],
      [["record", "-o", file, "-i", "soon"], /Invalid duration "soon" for --interval/],
      [
        ["record", "-o", file, "-i", "99999999999999999h"],
        /^memsnap record: Invalid duration "99999999999999999h" for --interval: at most a year/,
      ],
      [["record", "-o", file, "-n", "0"], /Invalid number "0" for --count/],
      [["record", "-o", file, "--tree"], /Option "--tree" needs a workload/],
      [["record", "-o", file, "--"], /"--" must be followed by a command/],
    ] as const
  ) {
    const { code, stderr } = await memsnapProcess([...args]);
    deepStrictEqual(code, 2, stderr);
    match(stderr, message);
  }
});

/** Runs memsnap with a terminal for stdin, stdout and stderr (util-linux script). */
async function onTerminal(args: string[]): Promise<string> {
  const command = [...memsnapCommand(), ...args].map((a) => `'${a}'`).join(" ");
  const { stdout } = await new Deno.Command("script", {
    args: ["-q", "-e", "-c", command, "/dev/null"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(stdout);
}

Deno.test("memsnap record shows a progress line on a terminal, and none with --quiet", async () => {
  const shown = await onTerminal(["record", "-o", path(), "-S", n8, "-n", "2", "-i", "100ms"]);
  // Sizes in smem's units: n8's rollups sum to 125868 kB of PSS.
  match(shown, /\rmemsnap: 2 snapshots, [\d.]+m?s, [\d.]+K, PSS 122\.9M {3}/);
  const quiet = await onTerminal([
    "record",
    "-q",
    "-o",
    path(),
    "-S",
    n8,
    "-n",
    "2",
    "-i",
    "100ms",
  ]);
  ok(!quiet.includes("\rmemsnap:"), quiet);
  match(quiet, /recorded 2 snapshots into /);
  // Without a terminal (the other tests), no progress line either.
  const piped = await memsnapProcess(["record", "-o", path(), "-S", n8, "-n", "2", "-i", "100ms"]);
  ok(!piped.stderr.includes("\r"), piped.stderr);
});

Deno.test("memsnap record --help and list --help show usage and examples", async () => {
  for (const command of ["record", "list"]) {
    const { code, stdout } = await memsnapProcess([command, "--help"]);
    deepStrictEqual(code, 0);
    match(stdout, new RegExp(`^memsnap ${command}: `));
    match(stdout, /Examples:\n {2}memsnap /);
  }
});

Deno.test("SIGTERM to memsnap record -- COMMAND passes on to the workload and ends the file", async () => {
  const file = path();
  const [command, ...prefix] = memsnapCommand();
  const child = new Deno.Command(command!, {
    args: [...prefix, "record", "-o", file, "-i", "100ms", "--", "sleep", "30"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await untilSnapshots(file, 2);
  child.kill("SIGTERM");
  const { code } = await child.status;
  deepStrictEqual(code, 128 + 15);
  const listed = await list(file);
  deepStrictEqual(
    [listed.end?.stoppedBy, listed.end?.exitStatus, listed.stderr],
    ["signal", { code: null, signal: "SIGTERM" }, ""],
  );
});

Deno.test("memsnap record without -o names its file after the host and the time, and says so", async () => {
  const dir = await Deno.makeTempDir({ dir: tmp });
  const { code, stderr } = await memsnapProcess(["record", "-S", n8, "-n", "1"], { cwd: dir });
  deepStrictEqual(code, 0, stderr);
  const files = [...Deno.readDirSync(dir)].map((e) => e.name);
  deepStrictEqual(files.length, 1);
  match(files[0]!, /^memsnap-record-[A-Za-z0-9._-]+-\d{8}T\d{6}Z\.tar\.gz$/);
  deepStrictEqual(stderr.split("\n").slice(0, 2), [
    `memsnap: recording into ${files[0]}`,
    `memsnap: recorded 1 snapshot into ${files[0]}`,
  ]);
});

Deno.test("memsnap record leaves its own process out of a live recording, unless --include-self", async () => {
  for (const self of [false, true]) {
    const file = path();
    const outcome = await memsnapProcess([
      "record",
      "-o",
      file,
      "-n",
      "1",
      ...(self ? ["--include-self"] : []),
    ]);
    deepStrictEqual(outcome.code, 0, outcome.stderr);
    const { stdout } = await memsnap(["-S", `${file}@0`, "-c", "pid", "--format", "json"]);
    const pids = JSON.parse(stdout).rows.map((row: { pid: number }) => row.pid);
    deepStrictEqual(pids.includes(outcome.pid), self, `--include-self ${self}: ${pids}`);
  }
});
