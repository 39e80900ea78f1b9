/**
 * Catastrophic regular expressions (issue 19, item 9): -P, -U and -M match
 * in linear time, so a pattern such as `(a+)+$` gives the right answer at
 * once; what needs backtracking is refused with a usage error. Run against
 * `deno run` and the compiled binary, whose engine used to give up and
 * count the process as not matching.
 */

import assert from "node:assert/strict";
import { memsnapProcess } from "../_helpers/memsnap.ts";
import { namedProcess } from "../_helpers/hostile.ts";

const LINEAR = "memsnap matches in linear time (RE2), without backreferences or lookaround";

Deno.test("memsnap -P with a nested repeat finds a process named 40 a's and a '!', the answer Python gives", async () => {
  const marker = `mt-${crypto.randomUUID().slice(0, 4)}-`;
  await using process = await namedProcess(`${marker}${"a".repeat(40)}!`);
  // A backtracking engine tries the first branch for 2^40 steps before the second.
  const pattern = `^${marker}(a+)+$|^${marker}a*!`;
  const { code, stdout, stderr } = await memsnapProcess(
    ["-P", pattern, "-c", "pid", "-H"],
    // A hang fails the test; the answer takes milliseconds.
    { killAfterMs: 60_000 },
  );
  assert.deepEqual([code, stdout], [0, `${String(process.pid).padStart(5)} \n`], stderr);
  // The first branch alone cannot match: "!" ends the name, then " 600".
  const first = await memsnapProcess(["-P", `^${marker}(a+)+$`, "-c", "pid", "-H"], {
    killAfterMs: 60_000,
  });
  assert.deepEqual([first.code, first.stdout], [0, ""]);
});

Deno.test("memsnap refuses what only backtracking can match, naming the option and the construct (exit 2)", async () => {
  const cases: [string[], string][] = [
    [
      ["-P", "(a)\\1"],
      `Invalid regular expression for -P "(a)\\1": backreference "\\1" not supported: ${LINEAR}`,
    ],
    [
      ["-U", "^(?!root)"],
      `Invalid regular expression for -U "^(?!root)": negative lookahead "(?!" not supported: ${LINEAR}`,
    ],
    [
      ["diff", "live", "live", "-M", "(?<=lib)c"],
      `Invalid regular expression for -M "(?<=lib)c": lookbehind "(?<=" not supported: ${LINEAR}`,
    ],
    // RE2's own refusals come before any source is read, the same way.
    [
      ["-S", "/nonexistent", "-P", "a{1001}"],
      'Invalid regular expression for -P "a{1001}": invalid repeat count: "{1001}"',
    ],
  ];
  for (const [args, message] of cases) {
    const { code, stdout, stderr } = await memsnapProcess(args);
    // A usage error names the command: memsnap, or memsnap diff.
    const command = args[0] === "diff" ? "memsnap diff" : "memsnap";
    assert.deepEqual(
      [code, stdout, stderr.split("\n")[0]],
      [2, "", `${command}: ${message}`],
      args.join(" "),
    );
  }
});
