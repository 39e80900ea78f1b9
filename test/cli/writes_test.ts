/**
 * What memsnap writes is whole when it says so, or not there at all: a full
 * disk, an interruption, a name too long, a device or a link under the
 * name, standard output that cannot be written. Run as a program (and so
 * against the compiled binary too, where bun's writes differ from Deno's).
 * The full disks are small tmpfs mounts in a mount namespace of the test's
 * own (`unshare -m`, as root), gone when the command ends.
 */

import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { memsnapCommand, memsnapProcess, ROOT } from "../_helpers/memsnap.ts";

const N8 = `${ROOT}fixtures/captures/n8.tar.gz`;
const decoder = new TextDecoder();

/** Runs memsnap in a directory on a tmpfs of `kb` kB; its outcome and the files left there. */
async function onSmallDisk(
  kb: number,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string; files: Record<string, number> }> {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-full-disk-" });
  try {
    const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
    const script = `mount -t tmpfs -o size=${kb}k none ${quote(dir)} && cd ${quote(dir)} && ${
      [...memsnapCommand(), ...args].map(quote).join(" ")
    }; code=$?; for f in .* *; do [ -f "$f" ] && echo "$f $(wc -c < "$f")"; done; exit $code`;
    const { code, stdout, stderr } = await new Deno.Command("unshare", {
      args: ["-m", "sh", "-c", script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const files = Object.fromEntries(
      decoder.decode(stdout).trim().split("\n").filter((l) => l !== "").map((line) => {
        const [name, size] = line.split(" ");
        return [name!, Number(size)];
      }),
    );
    return { code, stdout: "", stderr: decoder.decode(stderr), files };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a chart that does not fit on the disk: one line, exit 1, no file", async () => {
  for (const format of ["png", "pdf", "jpg", "svg"]) {
    // 4 kB: less than any of these charts of n8 (its spec alone fits).
    const outcome = await onSmallDisk(4, ["-S", N8, "--pie", "name", "-o", `pie.${format}`]);
    deepStrictEqual(
      [outcome.code, outcome.stderr, outcome.files],
      [1, `memsnap: Cannot write "pie.${format}": no space left on device\n`, {}],
      format,
    );
  }
});

Deno.test("a capture that does not fit on the disk: one line, exit 1, no file; one that fits is whole", async () => {
  const full = await onSmallDisk(8, ["capture", "-S", N8, "--detail", "full", "-o", "c.tar.gz"]);
  deepStrictEqual(
    [full.code, full.stderr, full.files],
    [1, `memsnap: Cannot write "c.tar.gz": no space left on device\n`, {}],
  );
  const fits = await onSmallDisk(64, ["capture", "-S", N8, "--detail", "rollup", "-o", "c.tar.gz"]);
  strictEqual(fits.code, 0, fits.stderr);
  match(fits.stderr, /captured 8 processes \(rollup detail\) into c\.tar\.gz \((\d+) kB\)\n$/);
  deepStrictEqual(Object.keys(fits.files), ["c.tar.gz"]);
});

Deno.test("a recording that fills the disk keeps its whole snapshots, and says why it stopped", async () => {
  const { code, stderr, files } = await onSmallDisk(24, [
    "record",
    "-o",
    "r.tar.gz",
    "-S",
    N8,
    "-i",
    "20ms",
    "-n",
    "100",
    "--detail",
    "full",
  ]);
  deepStrictEqual([code, stderr], [
    1,
    `memsnap: Cannot write "r.tar.gz": no space left on device\n`,
  ]);
  // Whole gzip members only: the file ends where its last complete snapshot does.
  ok(files["r.tar.gz"]! > 0 && files["r.tar.gz"]! <= 24 * 1024);
});

Deno.test("standard output that cannot be written: one line, exit 1, no trace and no success line", async () => {
  for (
    const args of [["-S", N8], ["-S", N8, "--format", "json"], ["capture", "-S", N8, "-o", "-"]]
  ) {
    const [command, ...prefix] = memsnapCommand();
    // /dev/full is what a full disk is to standard output.
    const shell = await new Deno.Command("sh", {
      args: ["-c", `exec "$@" > /dev/full`, "sh", command!, ...prefix, ...args],
      stderr: "piped",
    }).output();
    deepStrictEqual(
      [shell.code, decoder.decode(shell.stderr)],
      [1, "memsnap: Cannot write standard output: no space left on device\n"],
      args.join(" "),
    );
  }
});

Deno.test("a file name too long is named as such, not as its temporary file", async () => {
  const name = `/tmp/${"x".repeat(300)}.tar.gz`;
  const { code, stderr } = await memsnapProcess(["capture", "-S", N8, "-o", name]);
  deepStrictEqual([code, stderr], [1, `memsnap: Cannot write "${name}": file name too long\n`]);
  // 250 bytes fit a file system's name (255), not the temporary name beside it.
  const dir = await Deno.makeTempDir({ prefix: "memsnap-long-" });
  try {
    const long = `${dir}/${"y".repeat(243)}.tar.gz`;
    const made = await memsnapProcess(["capture", "-S", N8, "-o", long]);
    strictEqual(made.code, 0, made.stderr);
    deepStrictEqual([...Deno.readDirSync(dir)].map((e) => e.name), [long.slice(dir.length + 1)]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--force replaces a regular file only: never a device, a link or a directory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-force-" });
  try {
    await Deno.writeTextFile(`${dir}/target`, "mine");
    await Deno.symlink(`${dir}/target`, `${dir}/link`);
    await Deno.mkdir(`${dir}/folder`);
    const cases: [string, string][] = [
      ["/dev/null", "a device"],
      [`${dir}/link`, "a symbolic link"],
      [`${dir}/folder`, "a directory"],
    ];
    for (const [path, what] of cases) {
      const { code, stderr } = await memsnapProcess(["capture", "-S", N8, "-o", path, "--force"]);
      deepStrictEqual(
        [code, stderr],
        [
          1,
          `memsnap: Cannot write "${path}": it is ${what}, and --force replaces only a regular file\n`,
        ],
      );
    }
    strictEqual(await Deno.readTextFile(`${dir}/target`), "mine");
    ok(Deno.statSync("/dev/null").isCharDevice);
    ok(Deno.lstatSync(`${dir}/link`).isSymlink);
    // A regular file is replaced.
    const replaced = await memsnapProcess(["capture", "-S", N8, "-o", `${dir}/target`, "--force"]);
    strictEqual(replaced.code, 0, replaced.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SIGTERM or SIGINT while a capture is written leaves no temporary file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-interrupted-" });
  try {
    const [command, ...prefix] = memsnapCommand();
    let interrupted = 0;
    for (let run = 0; run < 16; run++) {
      const signal = run % 2 === 0 ? "SIGTERM" : "SIGINT";
      const child = new Deno.Command(command!, {
        args: [...prefix, "capture", "--detail", "full", "-o", `${dir}/c${run}.tar.gz`],
        stdout: "null",
        stderr: "null",
      }).spawn();
      // Signalled at staggered moments: before, while and after the file is written.
      await new Promise((resolve) => setTimeout(resolve, 20 + 12 * run));
      try {
        child.kill(signal);
      } catch {
        // It had ended already.
      }
      const { code } = await child.status;
      if (code !== 0) {
        strictEqual(code, signal === "SIGTERM" ? 143 : 130);
        interrupted++;
      }
    }
    const left = [...Deno.readDirSync(dir)].map((e) => e.name);
    deepStrictEqual(left.filter((name) => name.endsWith(".tmp")), []);
    ok(interrupted > 0, "no run was interrupted");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a second SIGTERM to record -- COMMAND kills the command's whole process group", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-group-" });
  const marker = `${23 + Math.random()}`.slice(0, 8);
  try {
    const [command, ...prefix] = memsnapCommand();
    const child = new Deno.Command(command!, {
      args: [
        ...prefix,
        "record",
        "-o",
        `${dir}/r.tar.gz`,
        "-S",
        N8,
        "-i",
        "50ms",
        "--",
        "sh",
        "-c",
        `trap "" TERM; sleep ${marker} & wait`,
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const sleeping = () =>
      [...Deno.readDirSync("/proc")].filter((e) => /^\d+$/.test(e.name)).some((e) => {
        try {
          return Deno.readTextFileSync(`/proc/${e.name}/cmdline`) === `sleep\0${marker}\0`;
        } catch {
          return false;
        }
      });
    for (let i = 0; i < 100 && !sleeping(); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    ok(sleeping(), "the workload's sleep did not start");
    child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The first one is ignored by the workload (trap ""): it goes on.
    ok(sleeping(), "the first SIGTERM ended the workload that ignores it");
    child.kill("SIGTERM");
    const { code } = await child.output();
    strictEqual(code, 128 + 9);
    for (let i = 0; i < 40 && sleeping(); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    strictEqual(sleeping(), false, "the workload's child outlived the recording");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
