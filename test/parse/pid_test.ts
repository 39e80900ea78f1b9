import assert from "node:assert/strict";
import { parsePid, PID_MAX_LIMIT } from "../../src/parse/pid.ts";

Deno.test("parsePid() reads the kernel's canonical decimal names", () => {
  assert.equal(parsePid("1"), 1);
  assert.equal(parsePid("18844"), 18844);
  assert.equal(parsePid(String(PID_MAX_LIMIT - 1)), 4_194_303);
});

Deno.test("parsePid() refuses names the kernel never gives a process", () => {
  for (
    const name of ["018844", "0", "00", "+5", "-5", "1e3", " 12", "12 ", "self", "", "4194304"]
  ) {
    assert.equal(parsePid(name), undefined, name);
  }
  assert.equal(parsePid("9".repeat(400)), undefined);
});
