import assert from "node:assert/strict";
import { parseStat } from "../../src/parse/stat.ts";
import { ParseError } from "../../src/parse/parse_error.ts";
import { readInput, testFixtures, testInvalidFixtures } from "./_fixtures.ts";

const stat = { unit: "parseStat()", kind: "stat", parse: parseStat };
testFixtures(stat);
testInvalidFixtures(stat);

Deno.test("parseStat() takes the name up to the last parenthesis", async () => {
  const text = await readInput("stat/odd-comm.txt");
  const parsed = parseStat(text, "odd-comm/stat");
  assert.equal(parsed.name, "a) b (c");
  assert.equal(parsed.state, "S");
});

Deno.test("parseStat() keeps the spaces around the name", async () => {
  const parsed = parseStat(await readInput("stat/padded-comm.txt"), "padded-comm/stat");
  assert.equal(parsed.name, " lead) (x ");
});

Deno.test("parseStat() counts the fields after the name from the state", () => {
  // Fields 3..22 of proc(5) numbered by their own value: state is "S",
  // ppid 4, utime 14, stime 15, starttime 22.
  const after = Array.from({ length: 20 }, (_, i) => String(i + 4)).join(" ");
  const parsed = parseStat(`7 (x) S ${after} 23 24\n`, "7/stat");
  assert.deepStrictEqual(parsed, {
    pid: 7,
    name: "x",
    state: "S",
    ppid: 4,
    utime: 14,
    stime: 15,
    startTime: 22,
  });
});

Deno.test("parseStat() reads a kernel thread, whose ppid is 0", async () => {
  const parsed = parseStat(await readInput("stat/kernel-thread.txt"), "2/stat");
  assert.equal(parsed.name, "kthreadd");
  assert.equal(parsed.ppid, 0);
});

Deno.test("parseStat() refuses a line without a name, naming file and line", () => {
  assert.throws(() => parseStat("1234 kthreadd S 0 0\n", "1234/stat"), (error: unknown) => {
    assert.ok(error instanceof ParseError);
    assert.equal(error.file, "1234/stat");
    assert.equal(error.line, 1);
    assert.equal(
      error.message,
      'Cannot parse "1234/stat": line 1: expected "pid (name) state ..."',
    );
    return true;
  });
});
