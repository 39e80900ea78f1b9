import assert from "node:assert/strict";
import { exactInteger, MAX_EXACT, tooLarge } from "../../src/parse/kernel_number.ts";

Deno.test("exactInteger() reads every number up to 2^53 - 1 exactly", () => {
  assert.equal(exactInteger("0"), 0);
  assert.equal(exactInteger("24683656"), 24683656);
  assert.equal(exactInteger("9007199254740991"), MAX_EXACT);
  assert.equal(exactInteger("0009007199254740991"), MAX_EXACT);
});

Deno.test("exactInteger() refuses what a double would round: 2^53, 2^64, 400 digits", () => {
  assert.equal(exactInteger("9007199254740992"), undefined);
  assert.equal(exactInteger("18446744073709551616"), undefined);
  assert.equal(exactInteger("1".repeat(400)), undefined);
});

Deno.test("tooLarge() quotes a number, and gives a long one's length", () => {
  assert.equal(
    tooLarge('"MemTotal"', "18446744073709551616", " kB"),
    '"MemTotal": 18446744073709551616 kB is above 2^53 - 1, more than any kernel reports',
  );
  assert.equal(
    tooLarge('"Rss"', "1".repeat(400), " kB"),
    '"Rss": a 400-digit value is above 2^53 - 1, more than any kernel reports',
  );
});
