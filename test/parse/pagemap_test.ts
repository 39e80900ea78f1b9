import assert from "node:assert/strict";
import { decodePagemapEntry, parseKpagecount, parsePagemap } from "../../src/parse/pagemap.ts";
import { ParseError } from "../../src/parse/parse_error.ts";

/** A pagemap file's bytes from 64-bit entries. */
function bytesOf(entries: readonly bigint[]): Uint8Array {
  const bytes = new Uint8Array(entries.length * 8);
  const view = new DataView(bytes.buffer);
  entries.forEach((entry, i) => view.setBigUint64(i * 8, entry, true));
  return bytes;
}

const PRESENT = 1n << 63n;
const SWAPPED = 1n << 62n;
const EXCLUSIVE = 1n << 56n;
const SOFT_DIRTY = 1n << 55n;

Deno.test("decodePagemapEntry() reads bit 63 present, 62 swapped, 56 exclusive, 0-54 the field", () => {
  const big = (1n << 55n) - 1n; // every bit of the 55-bit field
  const halves = (entry: bigint) => [Number(entry & 0xffffffffn), Number(entry >> 32n)] as const;
  assert.deepEqual(decodePagemapEntry(...halves(PRESENT | EXCLUSIVE | 0x12345n)), {
    kind: "present",
    frame: 0x12345,
    exclusive: true,
  });
  assert.deepEqual(decodePagemapEntry(...halves(PRESENT | SOFT_DIRTY | big)), {
    kind: "present",
    frame: 2 ** 55 - 1,
    exclusive: false,
  });
  assert.deepEqual(decodePagemapEntry(...halves(SWAPPED | (7n << 5n) | 2n)), {
    kind: "swapped",
    entry: 7 * 32 + 2,
    exclusive: false,
  });
  assert.deepEqual(decodePagemapEntry(...halves(SOFT_DIRTY)), { kind: "none", exclusive: false });
  // Without CAP_SYS_ADMIN the frame reads 0, the flags stay.
  assert.deepEqual(decodePagemapEntry(...halves(PRESENT | EXCLUSIVE)), {
    kind: "present",
    frame: 0,
    exclusive: true,
  });
});

Deno.test("parsePagemap() keeps present frames and swap entries in order, counts exclusive pages", () => {
  const run = parsePagemap(
    bytesOf([PRESENT | 5n, 0n, PRESENT | EXCLUSIVE | 3n, SWAPPED | 40n, PRESENT | EXCLUSIVE | 3n]),
    "1/pagemap",
  );
  assert.deepEqual(run, { frames: [5, 3, 3], swap: [40], exclusive: 2 });
  // Appending to an earlier run.
  assert.deepEqual(parsePagemap(bytesOf([PRESENT | EXCLUSIVE | 9n]), "1/pagemap", run), {
    frames: [5, 3, 3, 9],
    swap: [40],
    exclusive: 3,
  });
});

Deno.test("parsePagemap() and parseKpagecount() refuse a length that is not whole entries", () => {
  assert.throws(
    () => parsePagemap(new Uint8Array(12), "7/pagemap"),
    (e) =>
      e instanceof ParseError &&
      e.message === `Cannot parse "7/pagemap": 12 bytes is not a whole number of 8-byte entries`,
  );
  assert.throws(() => parseKpagecount(new Uint8Array(3)), ParseError);
});

Deno.test("parseKpagecount() reads one 64-bit count per frame", () => {
  assert.deepEqual(parseKpagecount(bytesOf([0n, 1n, 3n, (1n << 40n) + 2n])), [
    0,
    1,
    3,
    2 ** 40 + 2,
  ]);
});
