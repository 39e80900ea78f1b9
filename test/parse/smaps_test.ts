import assert from "node:assert/strict";
import { parseSmaps, parseSmapsRollup, scanSmaps } from "../../src/parse/smaps.ts";
import type { MutableCounters } from "../../src/parse/counters.ts";
import { ParseError } from "../../src/parse/parse_error.ts";
import { readInput, testFixtures, testInvalidFixtures } from "./_fixtures.ts";

const smaps = { unit: "parseSmaps()", kind: "smaps", parse: parseSmaps };
testFixtures(smaps);
testInvalidFixtures(smaps);

const rollup = {
  unit: "parseSmapsRollup()",
  kind: "smaps_rollup",
  // JSON has no undefined: an empty rollup is stored as null.
  parse: (text: string, file: string) => parseSmapsRollup(text, file) ?? null,
};
testFixtures(rollup);
testInvalidFixtures(rollup);

// Two records as this machine's kernel wrote them, some field lines left out.
const SPACED = "7f64be060000-7f64be064000 rw-s 00000000 fe:00 2149218" +
  "                    /tmp/memsnap fixture/my file.bin\n" +
  "Size:                 16 kB\nRss:                  16 kB\nVmFlags: rd wr sh mr mw me ms \n";
const ANONYMOUS = "7f64be049000-7f64be04b000 rw-p 00000000 00:00 0 \n" +
  "Size:                  8 kB\nLocked:                8 kB\nTHPeligible:           0\n";

async function oddMappings() {
  const text = await readInput("smaps/odd-mappings.txt");
  return parseSmaps(text, "odd-mappings/smaps");
}

Deno.test("parseSmaps() keeps a mapping name with spaces whole", () => {
  const [mapping] = parseSmaps(SPACED, "1/smaps");
  assert.equal(mapping?.name, "/tmp/memsnap fixture/my file.bin");
  assert.equal(mapping?.inode, "2149218");
});

Deno.test("parseSmaps() gives an anonymous mapping an empty name", () => {
  const [mapping] = parseSmaps(ANONYMOUS, "1/smaps");
  assert.equal(mapping?.name, "");
  assert.equal(mapping?.device, "00:00");
});

Deno.test("parseSmaps() keeps the kernel's name suffixes and escapes as they are", async () => {
  const names = (await oddMappings()).map((mapping) => mapping.name);
  for (
    const name of [
      "/tmp/memsnap fixture/gone.bin (deleted)",
      "/memfd:memsnap-fixture (deleted)",
      "/dev/zero (deleted)",
      "/tmp/memsnap fixture/new\\012line.bin",
      "[heap]",
      "[stack]",
      "[vsyscall]",
    ]
  ) {
    assert.ok(names.includes(name), `no mapping named ${JSON.stringify(name)}`);
  }
});

Deno.test("parseSmaps() reads the addresses and offset as the kernel's hex text", async () => {
  const vsyscall = (await oddMappings()).find((mapping) => mapping.name === "[vsyscall]");
  assert.deepStrictEqual(
    vsyscall && [vsyscall.start, vsyscall.end, vsyscall.perms, vsyscall.offset],
    ["ffffffffff600000", "ffffffffff601000", "--xp", "00000000"],
  );
});

Deno.test("parseSmaps() skips the fields it does not model", () => {
  const [spaced] = parseSmaps(SPACED, "1/smaps");
  const [anonymous] = parseSmaps(ANONYMOUS, "1/smaps");
  assert.deepStrictEqual(spaced?.counters, { size: 16, rss: 16 });
  assert.deepStrictEqual(anonymous?.counters, { size: 8, locked: 8 });
});

Deno.test("parseSmaps() leaves out the counters an older kernel did not report", async () => {
  const text = await readInput("smaps/old-kernel.txt");
  for (const { counters } of parseSmaps(text, "old-kernel/smaps")) {
    assert.equal(counters.pssDirty, undefined);
    assert.equal(counters.swapPss, undefined);
    assert.equal(typeof counters.pss, "number");
  }
});

Deno.test("parseSmaps() returns no mappings for an empty file", () => {
  assert.deepStrictEqual(parseSmaps("", "2/smaps"), []);
});

Deno.test("parseSmaps() refuses text that ends inside a line, naming the line", () => {
  // The kernel ends every line with a newline: without one, the copy was cut
  // (here inside "THPeligible:           0", whose value could be cut too).
  const lines = SPACED.split("\n").length - 1;
  assert.throws(() => parseSmaps(SPACED.slice(0, -1), "1/smaps"), {
    name: "ParseError",
    message: `Cannot parse "1/smaps": line ${lines}: cut short: the line has no newline at its end`,
  });
});

Deno.test("parseSmaps() refuses a field before any header, naming file and line", () => {
  assert.throws(
    () => parseSmaps("Size:                 16 kB\n", "1234/smaps"),
    (error: unknown) => {
      assert.ok(error instanceof ParseError);
      assert.equal(error.file, "1234/smaps");
      assert.equal(error.line, 1);
      assert.equal(error.detail, "field before any mapping header");
      assert.equal(
        error.message,
        'Cannot parse "1234/smaps": line 1: field before any mapping header',
      );
      return true;
    },
  );
});

Deno.test("parseSmaps() counts lines from 1 in its error messages", () => {
  const text = SPACED.replace("Rss:                  16 kB", "Rss:                  16 MB");
  assert.throws(() => parseSmaps(text, "1234/smaps"), {
    name: "ParseError",
    message: 'Cannot parse "1234/smaps": line 3: expected "Key: value kB"',
  });
});

Deno.test("parseSmapsRollup() returns undefined for an empty file", () => {
  assert.equal(parseSmapsRollup("", "1/smaps_rollup"), undefined);
});

Deno.test("parseSmapsRollup() returns the counters of the [rollup] record", () => {
  const text = "56327d239000-7ffee522b000 ---p 00000000 00:00 0" +
    "                          [rollup]\nRss:                1664 kB\nPss:                 516 kB\n" +
    "Pss_Anon:            108 kB\nKSM:                   0 kB\nLocked:                0 kB\n";
  assert.deepStrictEqual(parseSmapsRollup(text, "1/smaps_rollup"), {
    rss: 1664,
    pss: 516,
    pssAnon: 108,
    locked: 0,
  });
});

Deno.test("parseSmapsRollup() refuses several records, naming the file only", () => {
  const record = "56327d239000-7ffee522b000 ---p 00000000 00:00 0    [rollup]\nRss: 4 kB\n";
  assert.throws(() => parseSmapsRollup(record + record, "1/smaps_rollup"), (error: unknown) => {
    assert.ok(error instanceof ParseError);
    assert.equal(error.line, 0);
    assert.equal(error.message, 'Cannot parse "1/smaps_rollup": expected one [rollup] record');
    return true;
  });
});

Deno.test("parseSmaps() refuses a field it does not model before any header", () => {
  assert.throws(
    () => parseSmaps("VmFlags: rd\n00400000-0041f000 r--p 00000000 fe:00 1 /x\n", "x/smaps"),
    {
      name: "ParseError",
      message: 'Cannot parse "x/smaps": line 1: field before any mapping header',
    },
  );
});

Deno.test("parseSmapsRollup() refuses an smaps record that is not [rollup]", () => {
  assert.throws(
    () =>
      parseSmapsRollup("00400000-0041f000 r--p 00000000 fe:00 1 /x\nRss: 4 kB\n", "x/smaps_rollup"),
    { name: "ParseError", message: 'Cannot parse "x/smaps_rollup": expected one [rollup] record' },
  );
});

// The kernel's layout is read in place; any other spacing goes to the strict reader.
const HEADER_LINE = "00400000-00401000 r--p 00000000 fe:00 12 /bin/x\n";

Deno.test("scanSmaps() reads a value the same in the kernel's layout and in any spacing smaps allows", () => {
  const values = (fields: string) => {
    const records: MutableCounters[] = [];
    scanSmaps(HEADER_LINE + fields, "1/smaps", () => {
      records.push({});
      return records.at(-1)!;
    });
    return records;
  };
  assert.deepStrictEqual(
    values(
      "Size:                 16 kB\nRss:\t\t4 kB\nPss: 3   kB\nSwap:  2 kB \nLocked:0 kB\n" +
        "Referenced:  \t 9\t kB\nAnonymous:   1234567890123456 kB\n",
    ),
    [{
      size: 16,
      rss: 4,
      pss: 3,
      swap: 2,
      locked: 0,
      referenced: 9,
      anonymous: 1234567890123456,
    }],
  );
});

Deno.test("scanSmaps() refuses a value the strict reader refuses, wherever the fast path stops", () => {
  for (
    const field of ["Rss: 4kB", "Rss: 4 KB", "Rss: -4 kB", "Rss: 4.5 kB", "Rss:  kB", "Rss: 4 kB x"]
  ) {
    assert.throws(
      () => scanSmaps(`${HEADER_LINE}${field}\n`, "1/smaps", () => ({})),
      (error: unknown) =>
        error instanceof ParseError &&
        error.message === 'Cannot parse "1/smaps": line 2: expected "Key: value kB"',
      field,
    );
  }
});

Deno.test("scanSmaps() skips fields memsnap does not model, and keys that only start like one", () => {
  const records: MutableCounters[] = [];
  scanSmaps(
    HEADER_LINE + "RssX:   4 kB\nRs:   4 kB\nPss_Anon_More: 1 kB\nVmFlags: rd mr\nRss: 8 kB\n",
    "1/smaps",
    () => {
      records.push({});
      return records.at(-1)!;
    },
  );
  assert.deepStrictEqual(records, [{ rss: 8 }]);
});
