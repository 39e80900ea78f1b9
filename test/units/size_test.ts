import assert from "node:assert/strict";
import { UsageError } from "../../src/cli/errors.ts";
import { parseSize } from "../../src/units/size.ts";
import { python } from "../_helpers/python.ts";

/** Sizes written as smem's -R accepts them. */
const SMEM_SIZES = [
  "1K",
  "7k",
  "512kB",
  "100KB",
  "1024M",
  "3.3M",
  "1.5G",
  "32G",
  "2GB",
  "0.75T",
  "1TB",
  "1.0001K",
  "1.9999K",
  "123.456M",
  "0.001G",
  "1.G",
  ".5G",
];

Deno.test("parseSize() gives smem's fromunits(SIZE) in kB, to the whole kB", async () => {
  const expected = await python<number[]>(
    `import json, sys
def fromunits(x):
    s = dict(k=2**10, K=2**10, kB=2**10, KB=2**10,
             M=2**20, MB=2**20, G=2**30, GB=2**30,
             T=2**40, TB=2**40)
    for k,v in s.items():
        if x.endswith(k):
            return int(float(x[:-len(k)])*v)
    raise ValueError(x)
print(json.dumps([fromunits(x) // 1024 for x in json.load(sys.stdin)]))`,
    SMEM_SIZES,
  );
  SMEM_SIZES.forEach((text, i) => assert.equal(parseSize(text), expected[i], text));
});

Deno.test("parseSize() reads binary multiples", () => {
  assert.equal(parseSize("1K"), 1);
  assert.equal(parseSize("1M"), 1024);
  assert.equal(parseSize("32G"), 33_554_432);
  assert.equal(parseSize("1.5T"), 1_610_612_736);
  assert.equal(parseSize("1.5K"), 1);
});

Deno.test("parseSize() also takes lower-case units, iB suffixes and surrounding blanks", () => {
  assert.equal(parseSize("2g"), 2_097_152);
  assert.equal(parseSize("2m"), 2048);
  assert.equal(parseSize("1GiB"), 1_048_576);
  assert.equal(parseSize("1MB"), 1024);
  assert.equal(parseSize(" 8 G "), 8_388_608);
});

Deno.test("parseSize() refuses a size without a unit, with smem's advice", () => {
  for (const text of ["1024", "", "G", "abc", "1X", "1Kb", "-1G", "1_e3M", "1 2G", "_1G"]) {
    assert.throws(() => parseSize(text), (error: unknown) => {
      assert.ok(error instanceof UsageError, text);
      assert.equal(
        error.message,
        `Invalid size "${text}": memory size should be written with units, for example 1024M`,
      );
      return true;
    });
  }
});

Deno.test("parseSize() refuses sizes under 1 kB", () => {
  for (const text of ["0G", "0.5K", "0.0000001M"]) {
    assert.throws(() => parseSize(text), (error: unknown) => {
      assert.ok(error instanceof UsageError, text);
      assert.equal(error.message, `Invalid size "${text}": less than 1 kB`);
      return true;
    });
  }
});

Deno.test("parseSize() reads the number as Python's float() does: sign, exponent, underscores", () => {
  assert.equal(parseSize("1e3M"), 1_024_000);
  assert.equal(parseSize("+1G"), 1_048_576);
  assert.equal(parseSize("1_000M"), 1_024_000);
  assert.equal(parseSize("2.5e-1G"), 262_144);
});
