/**
 * Names that would drive a terminal (issue 19, item 5): a local user names
 * a process `evil\x1b]0;pwned\x07\x1b[2J`; every text memsnap prints for a
 * terminal shows such characters visibly (`\x1b`), JSON and archives keep
 * them exactly. Run against `deno run` and the compiled binary.
 */

import assert from "node:assert/strict";
import { memsnapProcess, type Outcome } from "../_helpers/memsnap.ts";
import {
  CONTROLS,
  CONTROLS_SHOWN,
  hostileCapture,
  namedProcess,
  RAW_CONTROL,
} from "../_helpers/hostile.ts";

/** A name no other process has: the test's process alone matches `-P ^MARKER`. */
const MARKER = `mt-${crypto.randomUUID().slice(0, 4)}`;
const NAME = MARKER + CONTROLS;
/** The process's command line (`sleep 600` run as NAME), as a terminal must show it. */
const SHOWN = `${MARKER}${CONTROLS_SHOWN} 600`;

const DIR = await Deno.makeTempDir({ prefix: "memsnap-hostile-" });
globalThis.addEventListener("unload", () => Deno.removeSync(DIR, { recursive: true }));

/** Runs memsnap; asserts that it succeeded and printed nothing a terminal acts on. */
async function printed(args: readonly string[], code = 0): Promise<Outcome> {
  const outcome = await memsnapProcess(args);
  assert.equal(outcome.code, code, `${args.join(" ")}: ${outcome.stderr}`);
  assert.doesNotMatch(outcome.stdout, RAW_CONTROL, `stdout of ${args.join(" ")}`);
  assert.doesNotMatch(outcome.stderr, RAW_CONTROL, `stderr of ${args.join(" ")}`);
  return outcome;
}

Deno.test("memsnap shows a live process named with terminal escapes visibly in the process table", async () => {
  await using process = await namedProcess(NAME);
  const { stdout } = await printed(["-P", `^${MARKER}`, "-c", "pid command", "-a", "-H"]);
  assert.equal(stdout, `${process.pid} ${SHOWN} \n`);
  // smem's layout: the command cut at 27 characters of what is shown.
  const table = await printed(["-P", `^${MARKER}`, "-c", "pid command"]);
  assert.equal(
    table.stdout,
    "  PID Command                     \n" +
      `${String(process.pid).padStart(5)} ${SHOWN.slice(0, 27)} \n`,
  );
});

Deno.test("memsnap shows a program file named with terminal escapes visibly as a name and as a mapping", async () => {
  // The kernel names a process after its program's file (15 bytes at most).
  const program = `${DIR}/s\x1b[31m\x07`;
  await Deno.copyFile("/bin/sleep", program);
  await Deno.chmod(program, 0o755);
  await using process = await namedProcess(NAME, program);
  const names = await printed(["-P", `^${MARKER}`, "-c", "pid name", "-H"]);
  assert.equal(
    names.stdout,
    `${String(process.pid).padStart(5)} ${"s\\x1b[31m\\x07".padEnd(24)} \n`,
  );
  const maps = await printed([
    "-m",
    "-M",
    `^${DIR}/`,
    "-P",
    `^${MARKER}`,
    "-c",
    "map pids",
    "-a",
    "-H",
  ]);
  assert.equal(maps.stdout, `${DIR}/s\\x1b[31m\\x07 1 \n`);
});

Deno.test("memsnap diff shows a hostile name visibly in its table, its Markdown and its --fail-if lines", async () => {
  await using process = await namedProcess(NAME);
  const args = ["diff", "live", "live", "-P", `^${MARKER}`, "-c", "pid command pss"];
  const table = await printed([...args, "-H"]);
  assert.match(table.stdout, new RegExp(`^ *${process.pid} ${escape(SHOWN.slice(0, 27))} .*\n$`));
  const markdown = await printed([...args, "--format", "markdown"]);
  // Markdown escapes the backslash of \x1b: it renders as \x1b.
  const cell = SHOWN.replace(/[\\[\]]/g, (c) => "\\" + c);
  assert.match(markdown.stdout, new RegExp(`\n\\| ${process.pid} \\| ${escape(cell)} \\|`));
  const crossed = await printed([...args, "--fail-if", "pss>-1000000"], 3);
  const label = `${process.pid} ${SHOWN}`;
  assert.match(
    crossed.stderr,
    new RegExp(`^memsnap: --fail-if "pss>-1000000" crossed by 1 row:\n  ${escape(label)}  PSS `),
  );
});

Deno.test("memsnap diff REC --each shows a hostile name visibly, in its table and its Markdown", async () => {
  await using _process = await namedProcess(NAME);
  const recording = `${DIR}/each.tar.gz`;
  await printed(["record", "-o", recording, "-n", "2", "-i", "100ms", "--force"]);
  const args = ["diff", recording, "--each", "-P", `^${MARKER}`, "-c", "command pss"];
  const table = await printed([...args, "-H"]);
  assert.match(table.stdout, new RegExp(`^${escape(SHOWN.slice(0, 27))} `));
  const markdown = await printed([...args, "--format", "markdown"]);
  assert.ok(markdown.stdout.includes(`| ${SHOWN.replace(/[\\[\]]/g, (c) => "\\" + c)} |`));
});

Deno.test("memsnap keeps a hostile name exactly in JSON (escaped as JSON) and in a capture", async () => {
  await using _process = await namedProcess(NAME);
  const capture = `${DIR}/capture.tar.gz`;
  await printed(["capture", "-o", capture, "--force"]);
  for (const source of [[], ["-S", capture]]) {
    const { stdout } = await printed([...source, "-P", `^${MARKER}`, "--format", "json"]);
    assert.equal(JSON.parse(stdout).rows[0].command, `${NAME} 600`);
  }
});

Deno.test("memsnap shows a hostile capture's command lines, user, host and time visibly: reports, diff, list", async () => {
  const capture = await hostileCapture(DIR, {
    cmdlines: { 18844: `evil${CONTROLS}\0arg` },
    users: { mema: `u${CONTROLS}` },
    hostname: `h${CONTROLS}`,
    takenAt: `2026-11-25T19:43:19.136Z${CONTROLS}`,
  });
  const user = `u${CONTROLS_SHOWN}`;
  const report = await printed(["-S", capture, "-P", "^(evil|/usr/bin/python3 .* cow 0 2)"]);
  assert.equal(
    report.stdout,
    "  PID User     Command                         Swap      USS      PSS      RSS \n" +
      `18844 ${user} ${"evil\\x1b]0;pwned\\x07\\x1b[2J"}        0     1532    14737    32652 \n` +
      `18849 ${user} /usr/bin/python3 /opt/memwo        0     2024    14943    31520 \n`,
  );
  const users = await printed(["-S", capture, "-u", "-U", "^u"]);
  assert.equal(
    users.stdout,
    "User     Count     Swap      USS      PSS      RSS \n" +
      `${user}     2        0     3556    29680    64172 \n`,
  );
  const list = await printed(["list", capture]);
  // Index, time, late (empty), processes, PSS, MemAvailable.
  assert.match(
    list.stdout.split("\n")[1]!,
    new RegExp(
      `^ +0  ${escape(`2026-11-25T19:43:19.136Z${CONTROLS_SHOWN}`)} +8  125742 +24194208$`,
    ),
  );

  const markdown = await printed([
    "diff",
    `${Deno.cwd()}/fixtures/archives/v1-capture.tar.gz`,
    capture,
    "--format",
    "markdown",
  ]);
  assert.ok(
    markdown.stdout.includes(
      `${capture} (2026-11-25T19:43:19.136Z${CONTROLS_SHOWN})\n`,
    ),
    markdown.stdout,
  );
  const json = await printed(["-S", capture, "-P", "^evil", "--format", "json"]);
  const document = JSON.parse(json.stdout);
  assert.equal(document.hostname, `h${CONTROLS}`);
  assert.equal(document.rows[0].command, `evil${CONTROLS} arg`);
});

/** A text matched literally in a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
