/**
 * Hostile sources, run as a program (and, by `deno task test:binary`, as
 * the compiled binary): FIFOs, devices and links out of a mirror, given to
 * -S, -K and list; numbers no kernel prints; a copy's stray pid directory.
 * Each stops with one line and exit 1, at once, or reads exactly.
 *
 * A watchdog kills a run that does not end in 60 s (a FIFO read blocks
 * forever): its outcome then fails the assertion, it never hangs the suite.
 */

import { deepStrictEqual } from "node:assert/strict";
import { memsnapCommand, ROOT } from "../_helpers/memsnap.ts";
import { capturePath, unpackCapture } from "../_helpers/mirror.ts";

const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "memsnap-hostile-" }));
globalThis.addEventListener("unload", () => Deno.removeSync(tmp, { recursive: true }));
const n8 = capturePath("n8.tar.gz");

/** Runs memsnap, killed by the watchdog if it hangs. */
async function run(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [command, ...prefix] = memsnapCommand();
  const { code, stdout, stderr } = await new Deno.Command(command!, {
    args: [...prefix, ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    cwd: ROOT,
    signal: AbortSignal.timeout(60_000),
  }).output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** An error run: exit 1, nothing on stdout, this one line on stderr. */
function refused(message: string) {
  return { code: 1, stdout: "", stderr: `memsnap: ${message}\n` };
}

async function mkfifo(path: string): Promise<void> {
  const { success } = await new Deno.Command("mkfifo", { args: [path] }).output();
  if (!success) throw new Error(`mkfifo ${path} failed`);
}

/** n8 unpacked into DIR/proc, with `change` applied to DIR/proc. */
async function mirror(change: (proc: string) => Promise<void>): Promise<string> {
  const dir = await unpackCapture(n8, { under: tmp });
  await change(`${dir}/proc`);
  return dir;
}

const fifo = `${tmp}/fifo`;
await mkfifo(fifo);

Deno.test("-S, list and -K refuse a FIFO or a device at once, where they blocked or read without end", async () => {
  deepStrictEqual(
    await run(["-S", fifo]),
    refused(`Cannot open source "${fifo}": not a regular file (a FIFO)`),
  );
  deepStrictEqual(
    await run(["-S", "/dev/zero"]),
    refused('Cannot open source "/dev/zero": not a regular file (a character device)'),
  );
  deepStrictEqual(
    await run(["list", fifo]),
    refused(`Cannot open "${fifo}": not a regular file (a FIFO)`),
  );
  deepStrictEqual(
    await run(["-S", n8, "-w", "-K", fifo]),
    refused(`Cannot read the kernel image "${fifo}": not a regular file (a FIFO)`),
  );
});

Deno.test("a mirror's FIFO or link out of it is refused in one line, naming the file", async () => {
  await Deno.writeTextFile(`${tmp}/secret`, "not for the report\0");
  const cases: [(proc: string) => Promise<void>, string][] = [
    [async (proc) => {
      await Deno.remove(`${proc}/18844/smaps`);
      await mkfifo(`${proc}/18844/smaps`);
    }, 'Cannot read "18844/smaps" in "DIR": not a regular file (a FIFO)'],
    [
      async (proc) => {
        await Deno.remove(`${proc}/18844/smaps`);
        await Deno.symlink("/dev/zero", `${proc}/18844/smaps`);
      },
      'Cannot read "18844/smaps" in "DIR": it leads out of "DIR/proc" (a symbolic link to "/dev/zero")',
    ],
    [
      async (proc) => {
        await Deno.remove(`${proc}/meminfo`);
        await Deno.symlink("/dev/urandom", `${proc}/meminfo`);
      },
      'Cannot read "meminfo" in "DIR": it leads out of "DIR/proc" (a symbolic link to "/dev/urandom")',
    ],
    [
      async (proc) => {
        await Deno.remove(`${proc}/18844/cmdline`);
        await Deno.symlink(`${tmp}/secret`, `${proc}/18844/cmdline`);
      },
      `Cannot read "18844/cmdline" in "DIR": it leads out of "DIR/proc" (a symbolic link to "${tmp}/secret")`,
    ],
    // A copy with a "self" link is still a copy, not a live procfs read freely.
    [
      async (proc) => {
        await Deno.symlink("/proc/self", `${proc}/self`);
        await Deno.remove(`${proc}/18844/cmdline`);
        await Deno.symlink("/proc/1/cmdline", `${proc}/18844/cmdline`);
      },
      'Cannot read "18844/cmdline" in "DIR": it leads out of "DIR/proc" (a symbolic link to "/proc/1/cmdline")',
    ],
  ];
  for (const [change, message] of cases) {
    const dir = await mirror(change);
    deepStrictEqual(await run(["-S", dir]), refused(message.replaceAll("DIR", dir)), message);
  }
});

Deno.test("a mirror's file over the cap is refused, and --max-file-size raises the cap", async () => {
  // One process left, so that the file refused is known.
  const dir = await mirror(async (proc) => {
    for (const pid of [18845, 18846, 18847, 18848, 18849, 18850, 18851]) {
      await Deno.remove(`${proc}/${pid}`, { recursive: true });
    }
  });
  deepStrictEqual(
    await run(["-S", dir, "--max-file-size", "16k", "-H", "-c", "pid pss"]),
    refused(
      `Cannot read "18844/smaps" in "${dir}": larger than 16 kB, the most memsnap reads from a file (--max-file-size raises it)`,
    ),
  );
  deepStrictEqual(
    await run(["-S", dir, "--max-file-size", "1M", "-H", "-c", "pid pss"]),
    { code: 0, stdout: "18844    14737 \n", stderr: "" },
  );
  // The default cap, 64 MiB: a sparse file of 65 MiB is refused before it is read
  // (where it was read whole: 65 MiB of NULs, refused by the parser).
  await Deno.truncate(`${dir}/proc/18844/smaps`, 65 * 2 ** 20);
  deepStrictEqual(
    await run(["-S", dir]),
    refused(
      `Cannot read "18844/smaps" in "${dir}": larger than 64 MiB, the most memsnap reads from a file (--max-file-size raises it)`,
    ),
  );
});

Deno.test("a copy's 018844 beside 18844 is no second process: the totals are n8's", async () => {
  const dir = await mirror(async (proc) => {
    await new Deno.Command("cp", { args: ["-a", `${proc}/18844`, `${proc}/018844`] }).output();
  });
  deepStrictEqual(await run(["-S", dir, "-t", "-H", "-c", "pid pss rss"]), {
    code: 0,
    stdout: [
      "18851     3050    10348 ",
      "18850     3052    10348 ",
      "18848     3393    12088 ",
      "18847     7665    13148 ",
      "18844    14737    32652 ",
      "18849    14943    31520 ",
      "18845    39400    44828 ",
      "18846    39502    45032 ",
      "------------------------",
      "    8   125742   199964 ",
      "",
    ].join("\n"),
    stderr: "",
  });
});

Deno.test("numbers no kernel prints, and a file cut inside a line, are refused with file and line", async () => {
  const two64 = "18446744073709551616";
  const replaceLine = (proc: string, file: string, prefix: string, line: string) =>
    Deno.readTextFile(`${proc}/${file}`).then((text) =>
      Deno.writeTextFile(
        `${proc}/${file}`,
        text.split("\n").map((l) => l.startsWith(prefix) ? line : l).join("\n"),
      )
    );
  const cases: [(proc: string) => Promise<void>, string][] = [
    [
      (proc) => replaceLine(proc, "meminfo", "MemTotal:", `MemTotal:       ${two64} kB`),
      `Cannot parse "meminfo": line 1: "MemTotal": ${two64} kB is above 2^53 - 1, more than any kernel reports`,
    ],
    [
      (proc) => replaceLine(proc, "18844/smaps", "Rss:", `Rss:            ${"1".repeat(400)} kB`),
      'Cannot parse "18844/smaps": line 5: "Rss": a 400-digit value is above 2^53 - 1, more than any kernel reports',
    ],
    [
      async (proc) => {
        const text = await Deno.readTextFile(`${proc}/18844/smaps`);
        // Cut in the middle of line 30, "Rss:                2372 kB".
        const cut = text.split("\n").slice(0, 29).join("\n") + "\nRss:                23";
        await Deno.writeTextFile(`${proc}/18844/smaps`, cut);
      },
      'Cannot parse "18844/smaps": line 30: cut short: the line has no newline at its end',
    ],
  ];
  for (const [change, message] of cases) {
    deepStrictEqual(await run(["-S", await mirror(change)]), refused(message), message);
  }
});
