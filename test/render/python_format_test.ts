import assert from "node:assert/strict";
import { formatFixed, percent, units } from "../../src/render/python_format.ts";
import { seededRandom } from "../_helpers/random.ts";
import { python } from "../_helpers/python.ts";

/** Values with exact binary ties, awkward decimals, and random doubles. */
function sampleValues(): number[] {
  const values = [
    0,
    0.5,
    1.5,
    2.5,
    3.5,
    1.25,
    0.125,
    0.375,
    12.125,
    2.675,
    1.005,
    0.045,
    1.45,
    1.55,
    0.05,
    0.15,
    0.25,
    1023.95,
    1023.75,
    9.995,
    99.995,
    999.9999,
    -0.001,
    -0.05,
    -0.5,
    -1.25,
    -2.675,
    -12.125,
    1e-7,
    5e-324,
    -5e-324,
    2 ** 40,
    2 ** 40 - 1,
    2 ** 50,
    2 ** 53 - 1,
    2 ** 53 + 2,
    2 ** 66,
    1e20,
    // From 1e21 JavaScript's toFixed writes an exponent; Python does not.
    1e21,
    -1e22,
    2 ** 80,
    1.7976931348623157e308,
    123456789.125,
    0.1 + 0.2,
  ];
  for (let k = 0; k <= 4096; k++) values.push(k / 1024);
  for (let k = -80; k <= 8200; k++) values.push(k / 8);
  for (let k = 1; k <= 1000; k++) values.push(k / 1000, k / 100 + 0.005);
  const random = seededRandom(20240611);
  for (let i = 0; i < 3000; i++) {
    const magnitude = 10 ** random.int(-6, 20);
    const sign = random.next() < 0.1 ? -1 : 1;
    values.push(sign * random.next() * magnitude);
  }
  for (let i = 0; i < 1000; i++) values.push(random.int(0, 2 ** 40) / 2 ** random.int(0, 12));
  return values;
}

Deno.test("formatFixed() equals Python's %.Nf value by value (ties rounded to even)", async () => {
  const values = sampleValues();
  const digits = [0, 1, 2, 3, 6];
  const expected = await python<string[][]>(
    `import json, sys
values, digits = json.load(sys.stdin)
print(json.dumps([["%.*f" % (d, v) for d in digits] for v in values]))`,
    [values, digits],
  );
  assert.equal(expected.length, values.length);
  let checked = 0;
  values.forEach((value, i) => {
    digits.forEach((d, j) => {
      assert.equal(formatFixed(value, d), expected[i]![j], `"%.${d}f" % ${value}`);
      checked++;
    });
  });
  assert.ok(checked > 50_000);
});

Deno.test("formatFixed() rounds ties to even like Python, not up like toFixed()", () => {
  assert.equal(formatFixed(1.25, 1), "1.2");
  assert.equal(formatFixed(1.75, 1), "1.8");
  assert.equal(formatFixed(0.125, 2), "0.12");
  assert.equal(formatFixed(12.125, 2), "12.12");
  assert.equal(formatFixed(0.5, 0), "0");
  assert.equal(formatFixed(1.5, 0), "2");
  assert.equal(formatFixed(2.5, 0), "2");
  // 2.675 is stored as 2.67499999999999982236431605997495353221893310546875.
  assert.equal(formatFixed(2.675, 2), "2.67");
  assert.equal(formatFixed(1023.95, 1), "1024.0");
  assert.equal(formatFixed(9.995, 2), "9.99");
  assert.equal(formatFixed(99.9951, 2), "100.00");
});

Deno.test("formatFixed() keeps the sign of negative values that round to zero", () => {
  assert.equal(formatFixed(-0.001, 1), "-0.0");
  assert.equal(formatFixed(-0, 1), "-0.0");
  assert.equal(formatFixed(0, 2), "0.00");
  assert.equal(formatFixed(-1.25, 1), "-1.2");
});

Deno.test("formatFixed() prints infinities and NaN as Python does", () => {
  assert.equal(formatFixed(Infinity, 1), "inf");
  assert.equal(formatFixed(-Infinity, 2), "-inf");
  assert.equal(formatFixed(NaN, 1), "nan");
});

/** smem's units(), copied verbatim from /usr/bin/smem. */
const SMEM_UNITS = `
def units(x):
    s = ''
    if x == 0:
        return '0'
    for s in ('', 'K', 'M', 'G', 'T'):
        if x < 1024:
            break
        x /= 1024.0
    return "%.1f%s" % (x, s)
`;

Deno.test("units() equals smem's units() value by value", async () => {
  const random = seededRandom(7);
  const kilobytes: number[] = [
    0,
    1,
    2,
    1023,
    1024,
    1025,
    1535,
    1536,
    2 ** 30,
    2 ** 40,
    2 ** 40 - 1,
  ];
  for (let k = 0; k <= 5000; k++) kilobytes.push(k);
  for (let p = 0; p <= 40; p++) kilobytes.push(2 ** p - 1, 2 ** p, 2 ** p + 1);
  // Values whose scaled amount is a tie at one decimal: n + 0.25 / 0.75 of a unit.
  for (let n = 0; n < 1024; n += 3) kilobytes.push(n * 1024 + 256, n * 1024 + 768, n * 1024 + 51);
  for (let i = 0; i < 3000; i++) kilobytes.push(random.int(0, 2 ** random.int(1, 40)));
  const bytes = kilobytes.map((kb) => kb * 1024);
  // units() of other byte counts too: odd numbers, negatives (smem prints them as they are).
  for (let i = 0; i < 1000; i++) bytes.push(random.int(-5000, 2 ** 45));
  const expected = await python<string[]>(
    `import json, sys
${SMEM_UNITS}
print(json.dumps([units(x) for x in json.load(sys.stdin)]))`,
    bytes,
  );
  assert.equal(expected.length, bytes.length);
  bytes.forEach((x, i) => assert.equal(units(x), expected[i], `units(${x})`));
});

Deno.test("units() scales by 1024 with one decimal and a K/M/G/T suffix", () => {
  assert.equal(units(0), "0");
  assert.equal(units(1000), "1000.0");
  assert.equal(units(1024), "1.0K");
  assert.equal(units(1280), "1.2K");
  assert.equal(units(1536 * 1024), "1.5M");
  assert.equal(units(2 ** 30 - 1), "1024.0M");
  assert.equal(units(2 ** 42), "4.0T");
  // smem's loop divides once more at T: 1024 TiB shows as 1.0T.
  assert.equal(units(2 ** 50), "1.0T");
});

Deno.test("percent() equals smem's showamount() with -p pair by pair", async () => {
  const random = seededRandom(99);
  const pairs: [number, number][] = [
    [0, 0],
    [5, 0],
    [0, 100],
    [1, 800],
    [3, 800],
    [1, 1600],
    [1, 8],
    [100, 100],
    [250, 100],
    [1, 3],
    [2, 3],
    [2 ** 40, 2 ** 40 + 1],
  ];
  for (let i = 0; i < 3000; i++) {
    const total = random.int(0, 2 ** random.int(1, 36));
    pairs.push([random.int(0, total * 1.1), total]);
  }
  for (let total = 1; total <= 400; total++) pairs.push([1, total], [total - 1, total]);
  const expected = await python<string[]>(
    `import json, sys
def showamount(a, total):
    if total == 0:
        return 'N/A'
    return "%.2f%%" % (100.0 * a / total)
print(json.dumps([showamount(a, t) for a, t in json.load(sys.stdin)]))`,
    pairs,
  );
  assert.equal(expected.length, pairs.length);
  pairs.forEach(([a, t], i) => assert.equal(percent(a, t), expected[i], `percent(${a}, ${t})`));
});

Deno.test("percent() gives two decimals and N/A without a total", () => {
  assert.equal(percent(1, 8), "12.50%");
  assert.equal(percent(1, 800), "0.12%");
  assert.equal(percent(3, 800), "0.38%");
  assert.equal(percent(1, 3), "33.33%");
  assert.equal(percent(0, 10), "0.00%");
  assert.equal(percent(7, 0), "N/A");
});
