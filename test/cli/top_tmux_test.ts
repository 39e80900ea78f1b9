/**
 * The full-screen `memsnap top` in a real terminal: tmux (Debian's package)
 * runs it in a pane of a private server, and capture-pane reads the screen.
 * Rows are compared only for processes this test starts (filtered by a
 * marker in their command line).
 */

import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { memsnapCommand, memsnapProcess, ROOT } from "../_helpers/memsnap.ts";

/** A tmux server of this test's own, on its own socket. */
class Tmux {
  readonly socket = `memsnap-top-test-${Deno.pid}-${Math.random().toString(36).slice(2)}`;

  async run(...args: string[]): Promise<string> {
    const out = await new Deno.Command("tmux", {
      args: ["-L", this.socket, "-f", "/dev/null", ...args],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    if (!out.success) throw new Error(`tmux ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
    return text;
  }

  /** Starts a pane running `command` (a shell line); it stays after the command exits. */
  async start(command: string, width = 140, height = 30): Promise<void> {
    await this.run(
      "new-session",
      "-d",
      "-s",
      "top",
      "-x",
      String(width),
      "-y",
      String(height),
      `cd ${ROOT} && ${command}`,
      ";",
      "set-option",
      "-t",
      "top",
      "remain-on-exit",
      "on",
    );
  }

  screen(): Promise<string> {
    return this.run("capture-pane", "-p", "-t", "top");
  }

  format(format: string): Promise<string> {
    return this.run("display-message", "-p", "-t", "top", format).then((s) => s.trim());
  }

  keys(...keys: string[]): Promise<string> {
    return this.run("send-keys", "-t", "top", ...keys);
  }

  /** The screen once `predicate` holds; fails after `ms`. */
  async until(predicate: (screen: string) => boolean, what: string, ms = 30_000): Promise<string> {
    const end = Date.now() + ms;
    let screen = "";
    while (Date.now() < end) {
      screen = await this.screen();
      if (predicate(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${what}: not seen within ${ms} ms; the screen:\n${screen}`);
  }

  async stop(): Promise<void> {
    await this.run("kill-server").catch(() => {});
  }
}

/** memsnap as a shell line (the binary's, under test:binary). */
function memsnapLine(args: string[]): string {
  return [...memsnapCommand(), ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(
    " ",
  );
}

const MARK = `topprobe${Deno.pid}`;

/** A python process with the marker in its command line: it allocates `allocMiB` on a line of input. */
function probe(name: string, allocMiB: number): Deno.ChildProcess {
  const code = `import time,sys
sys.stdin.readline()
b = bytearray(${allocMiB} * 1024 * 1024)
for i in range(0, len(b), 4096): b[i] = 1
sys.stdout.write("allocated\\n"); sys.stdout.flush()
time.sleep(120)`;
  return new Deno.Command("python3", {
    args: ["-c", code, `${MARK}-${name}`],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
}

/** Tells a probe to allocate, and waits until it has. */
async function allocate(child: Deno.ChildProcess): Promise<void> {
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode("go\n"));
  writer.releaseLock();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const said = await reader.read();
  match(said.value ?? "", /allocated/);
  reader.releaseLock();
}

/** The rows of the table: the lines after the column headers. */
function rowsOf(screen: string): string[] {
  const lines = screen.split("\n");
  const head = lines.findIndex((line) => /\bPSS\b/.test(line) && /ΔLAST/.test(line));
  // Without the chosen row's mark ("> ").
  return head === -1
    ? []
    : lines.slice(head + 1).filter((line) => line.trim() !== "").map((line) =>
      line.replace(/^> /, "  ")
    );
}

Deno.test("top in tmux: the header's MemTotal is memsnap -w --tree's; keys switch the units, views, sort, filter", async () => {
  const tmux = new Tmux();
  try {
    await tmux.start(shellLine(["top", "-d", "1s"]));
    await tmux.until((s) => /^Mem total /m.test(s), "the header");
    strictEqual(await tmux.format("#{alternate_on}"), "1", "top draws on the alternate screen");
    // k: kB, the system tree's unit; MemTotal does not move.
    await tmux.keys("k");
    const kb = await tmux.until((s) => /^Mem total \d+ kB/m.test(s), "MemTotal in kB");
    const tree = await memsnapProcess(["-w", "--tree"]);
    const treeTotal = /^MemTotal\s+(\d+)/m.exec(tree.stdout)?.[1];
    strictEqual(/^Mem total (\d+) kB/m.exec(kb)?.[1], treeTotal);
    // Views.
    await tmux.keys("2");
    await tmux.until((s) => /^view users/m.test(s) && /^User\s+Count/m.test(s), "the users view");
    await tmux.keys("3");
    await tmux.until((s) => /^view commands/m.test(s), "the programs view");
    await tmux.keys("5");
    await tmux.until((s) => /^view process-tree/m.test(s) && /Tree_PSS/.test(s), "the tree view");
    await tmux.keys("1");
    await tmux.until((s) => /^view processes .*sort pss largest first/m.test(s), "processes");
    // Sort: the next amount column, then reversed.
    await tmux.keys("s");
    await tmux.until((s) => /sort rss largest first/.test(s), "sort on rss");
    await tmux.keys("r");
    await tmux.until((s) => /sort rss smallest first/.test(s), "reversed");
    // Help, left with any key.
    await tmux.keys("?");
    await tmux.until((s) => /^memsnap top: keys/m.test(s), "the help");
    await tmux.keys("x");
    await tmux.until((s) => /^view processes/m.test(s), "back from the help");
    // Filter: only rows whose name matches.
    await tmux.keys("/");
    await tmux.keys("-l", "^no-such-process-");
    await tmux.keys("Enter");
    const filtered = await tmux.until(
      (s) => /filter: \/\^no-such-process-\//.test(s),
      "the filter applied",
    );
    // Drawn once compiled: the filter's name never shows over the old rows.
    deepStrictEqual(rowsOf(filtered), []);
    match(filtered, /PSS\s+RSS\s+ΔLAST\s+ΔSTART/);
    await tmux.keys("q");
    await tmux.until((s) => /^exited 0$/m.test(s), "memsnap top exiting");
    deepStrictEqual(
      [await tmux.format("#{alternate_on}"), await tmux.format("#{cursor_flag}")],
      ["0", "1"],
      "q restores the terminal",
    );
  } finally {
    await tmux.stop();
  }
});

Deno.test("top in tmux: a process that allocates 200 MiB rises to the top within two refreshes, its growth shown", async () => {
  const tmux = new Tmux();
  const small = probe("small", 10);
  const big = probe("big", 200);
  try {
    await allocate(small);
    // The probes only: "-[sb]" is not in memsnap's own command line, where "-[" follows.
    await tmux.start(memsnapLine(["top", "-d", "1s", "-P", `${MARK}-[sb]`]));
    // Both probes on screen, the small one first: the big one has not allocated yet.
    await tmux.until(
      (s) => rowsOf(s).length === 2 && rowsOf(s)[0]!.trim().startsWith(`${small.pid} `),
      "two probes, the small one first",
    );
    // Within two refreshes (1 s apart) of its allocation, the big one leads.
    await allocate(big);
    const allocatedAt = Date.now();
    const screen = await tmux.until(
      (s) =>
        (rowsOf(s)[0] ?? "").trim().startsWith(`${big.pid} `) && /\+\S+M ▲/.test(rowsOf(s)[0]!),
      "the big probe on top, grown",
      2500,
    );
    ok(Date.now() - allocatedAt <= 2500);
    const top = rowsOf(screen)[0]!;
    // Its ΔSTART: 200 MiB, less what it held at the first refresh (python's own few MiB).
    const grown = /\+(\d+(?:\.\d)?)M ▲\s*$/.exec(top);
    ok(grown !== null && Number(grown[1]) >= 190 && Number(grown[1]) <= 210, top);
  } finally {
    for (const child of [small, big]) {
      child.kill();
      await child.status;
      await child.stdin.close().catch(() => {});
      await child.stdout.cancel().catch(() => {});
    }
    await tmux.stop();
  }
});

Deno.test("top in tmux: a resize reflows the table; SIGTERM restores the terminal", async () => {
  const tmux = new Tmux();
  try {
    await tmux.start(shellLine(["top", "-d", "1s"]));
    const wide = await tmux.until((s) => rowsOf(s).length > 0, "the table");
    ok(wide.split("\n").some((line) => line.length > 80));
    await tmux.run("resize-window", "-t", "top", "-x", "70", "-y", "20");
    const narrow = await tmux.until(
      (s) => s.split("\n").every((line) => line.length <= 70) && rowsOf(s).length > 0,
      "the table in 70 columns",
    );
    // The amounts and changes stay; the command column is what gives way.
    match(narrow, /PSS\s+RSS\s+ΔLAST\s+ΔSTART/);
    ok(narrow.trimEnd().split("\n").length <= 20);
    // memsnap is the pane's shell's only child.
    const shell = (await tmux.format("#{pane_pid}")).trim();
    const pid = Number(
      (await Deno.readTextFile(`/proc/${shell}/task/${shell}/children`)).trim().split(" ")[0],
    );
    Deno.kill(pid, "SIGTERM");
    await tmux.until((s) => /^exited \d+$/m.test(s), "memsnap top exiting");
    deepStrictEqual(
      [await tmux.format("#{alternate_on}"), await tmux.format("#{cursor_flag}")],
      ["0", "1"],
      "SIGTERM restores the terminal",
    );
  } finally {
    await tmux.stop();
  }
});

/**
 * memsnap in a shell that says how it exited and stays: a dead pane shows
 * no cursor, so the terminal's state is read while the shell sleeps.
 */
function shellLine(args: string[]): string {
  return `${memsnapLine(args)}; echo exited $?; sleep 60`;
}

Deno.test("top in tmux: Enter on a process shows its mappings, as memsnap -m reports them; Escape goes back", async () => {
  const tmux = new Tmux();
  const name = `memsnap-top-probe-${Deno.pid}`;
  // A process with a mapping of a name of its own: a memfd of 8 MiB, touched.
  const child = new Deno.Command("python3", {
    args: [
      "-c",
      `import os,mmap,sys,time
fd = os.memfd_create(sys.argv[1])
os.ftruncate(fd, 8 << 20)
m = mmap.mmap(fd, 8 << 20)
m.write(b"x" * (8 << 20))
sys.stdout.write("ready\\n"); sys.stdout.flush()
time.sleep(120)`,
      name,
      `${MARK}-maps`,
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    match((await reader.read()).value ?? "", /ready/);
    reader.releaseLock();
    // The probe only: "-[m]aps" does not match memsnap's own command line.
    const filter = `${MARK}-[m]aps`;
    await tmux.start(memsnapLine(["top", "-d", "1s", "-P", filter]));
    await tmux.until(
      (s) => rowsOf(s).length === 1 && rowsOf(s)[0]!.trim().startsWith(`${child.pid} `),
      "the probe alone",
    );
    // The chosen row is marked, not by colour alone.
    match(await tmux.screen(), new RegExp(`^> +${child.pid} `, "m"));
    await tmux.keys("Enter");
    const screen = await tmux.until(
      (s) => s.includes(`mappings of ${child.pid} `),
      "the probe's mappings",
    );
    // The memfd's PSS as memsnap -m reports it for that process, in kB (k: top's units too).
    const report = await memsnapProcess(["-m", "-P", filter, "--format", "json"]);
    strictEqual(report.code, 0, report.stderr);
    const rows = (JSON.parse(report.stdout) as { rows: { map: string; pss: number }[] }).rows;
    const memfd = rows.find((row) => row.map.includes(`memfd:${name}`));
    ok(memfd !== undefined && memfd.pss >= 8192, report.stdout);
    await tmux.keys("k");
    await tmux.until(
      (s) => new RegExp(`memfd:${name}.*\\s${memfd.pss}\\s*$`, "m").test(s),
      `the memfd's line with PSS ${memfd.pss} kB`,
    );
    match(screen, /PIDs/);
    await tmux.keys("Escape");
    await tmux.until((s) => /view processes/.test(s) && !s.includes("mappings of"), "back");
  } finally {
    child.kill();
    await child.status;
    await child.stdout.cancel().catch(() => {});
    await tmux.keys("q").catch(() => {});
    await tmux.stop();
  }
});

Deno.test("top in tmux: w writes a recording of what is watched until w again; memsnap list reads it", async () => {
  const tmux = new Tmux();
  const dir = await Deno.makeTempDir({ prefix: "memsnap-top-rec-" });
  try {
    // In a directory of the test's own: the recording is named by host and time there.
    await tmux.start(`cd '${dir}' && ${memsnapLine(["top", "-d", "1s", "-P", `${MARK}-[n]one`])}`);
    await tmux.until((s) => /view processes/.test(s), "top started");
    await tmux.keys("w");
    const recording = await tmux.until(
      (s) => /REC \S+\.tar\.gz \(([2-9]|\d\d+); w: stop\)/.test(s),
      "two snapshots recorded",
    );
    const file = /REC (\S+\.tar\.gz)/.exec(recording)![1]!;
    await tmux.keys("w");
    const stopped = await tmux.until((s) => /recorded \d+ snapshots into /.test(s), "stopped");
    const count = Number(/recorded (\d+) snapshots/.exec(stopped)![1]);
    ok(count >= 2, stopped);
    await tmux.keys("q");
    // Bounded: top has quit (its pane dead) within 10 s.
    for (let i = 0; i < 50 && (await tmux.format("#{pane_dead}")) !== "1"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    strictEqual(await tmux.format("#{pane_dead}"), "1");
    const list = await memsnapProcess(["list", `${dir}/${file}`, "--format", "json"]);
    strictEqual(list.code, 0, list.stderr);
    strictEqual((JSON.parse(list.stdout) as { snapshots: unknown[] }).snapshots.length, count);
    deepStrictEqual([...Deno.readDirSync(dir)].map((e) => e.name), [file]);
  } finally {
    await tmux.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
