import assert from "node:assert/strict";
import { parseMeminfo } from "../../src/parse/meminfo.ts";
import { ParseError } from "../../src/parse/parse_error.ts";
import { readInput, testFixtures, testInvalidFixtures } from "./_fixtures.ts";

const meminfo = { unit: "parseMeminfo()", kind: "meminfo", parse: parseMeminfo };
testFixtures(meminfo);
testInvalidFixtures(meminfo);

Deno.test("parseMeminfo() reads one field per line, HugePages_* counts too", async () => {
  const text = await readInput("meminfo/this-machine.txt");
  const fields = parseMeminfo(text, "meminfo");
  assert.equal(Object.keys(fields).length, text.trimEnd().split("\n").length);
  assert.equal(typeof fields["HugePages_Total"], "number");
});

Deno.test("parseMeminfo() reads kB values and unitless page counts", () => {
  const text =
    "MemTotal:       24683656 kB\nHugePages_Total:       0\nHugepagesize:       2048 kB\n";
  assert.deepStrictEqual(parseMeminfo(text, "meminfo"), {
    MemTotal: 24683656,
    HugePages_Total: 0,
    Hugepagesize: 2048,
  });
});

Deno.test("parseMeminfo() keeps the kernel's field names, parentheses included", () => {
  const text = "Active(anon):      90436 kB\nInactive(file):   110008 kB\n";
  assert.deepStrictEqual(parseMeminfo(text, "meminfo"), {
    "Active(anon)": 90436,
    "Inactive(file)": 110008,
  });
});

Deno.test("parseMeminfo() refuses a line without a value, naming file and line", () => {
  assert.throws(() => parseMeminfo("MemTotal: 1 kB\nMemFree:\n", "meminfo"), (error: unknown) => {
    assert.ok(error instanceof ParseError);
    assert.equal(error.line, 2);
    assert.equal(error.message, 'Cannot parse "meminfo": line 2: expected "Key: value kB"');
    return true;
  });
});
