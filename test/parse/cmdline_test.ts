import assert from "node:assert/strict";
import { parseCmdline } from "../../src/parse/cmdline.ts";
import { readInput, testFixtures } from "./_fixtures.ts";

// parseCmdline() refuses nothing: there is no invalid/ folder.
testFixtures({ unit: "parseCmdline()", kind: "cmdline", parse: parseCmdline });

Deno.test("parseCmdline() keeps the last argument when the final NUL is missing", async () => {
  const text = await readInput("cmdline/retitled-no-final-nul.bin");
  assert.ok(!text.endsWith("\0"));
  assert.deepStrictEqual(parseCmdline(text), [
    "memsnap-fixture: argv rewritten by the process, with no final NUL byte",
  ]);
  assert.deepStrictEqual(parseCmdline("sshd: dev@pts/0"), ["sshd: dev@pts/0"]);
});

Deno.test("parseCmdline() keeps empty arguments and arguments with spaces", () => {
  assert.deepStrictEqual(parseCmdline("python3\0arg with spaces\0\0"), [
    "python3",
    "arg with spaces",
    "",
  ]);
});

Deno.test("parseCmdline() returns no arguments for an empty file", () => {
  assert.deepStrictEqual(parseCmdline(""), []);
});

Deno.test("parseCmdline() reads a lone NUL as one empty argument", () => {
  assert.deepStrictEqual(parseCmdline("\0"), [""]);
});
