import assert from "node:assert/strict";
import { parseStatus, statusMemory } from "../../src/parse/status.ts";
import { ParseError } from "../../src/parse/parse_error.ts";
import { readInput, testFixtures, testInvalidFixtures } from "./_fixtures.ts";

const status = { unit: "parseStatus()", kind: "status", parse: parseStatus };
testFixtures(status);
testInvalidFixtures(status);

Deno.test("parseStatus() keeps a name with spaces and parentheses", async () => {
  const parsed = parseStatus(await readInput("status/odd-comm.txt"), "odd-comm/status");
  assert.equal(parsed.name, "a) b (c");
  assert.equal(typeof parsed.memory["VmRSS"], "number");
});

Deno.test("parseStatus() gives a kernel thread no memory lines", async () => {
  const parsed = parseStatus(await readInput("status/kernel-thread.txt"), "2/status");
  assert.equal(parsed.name, "kthreadd");
  assert.deepStrictEqual(parsed.memory, {});
});

Deno.test("parseStatus() reads the four uids and gids in order", () => {
  const text = "Name:\tx\nPPid:\t1\nUid:\t1000\t1001\t1002\t1003\nGid:\t5\t6\t7\t8\n";
  const parsed = parseStatus(text, "9/status");
  assert.deepStrictEqual(parsed.uids, [1000, 1001, 1002, 1003]);
  assert.deepStrictEqual(parsed.gids, [5, 6, 7, 8]);
});

Deno.test("parseStatus() refuses a missing line, naming the file only", () => {
  assert.throws(() => parseStatus("Name:\tx\nUid:\t0\t0\t0\t0\n", "9/status"), (error: unknown) => {
    assert.ok(error instanceof ParseError);
    assert.equal(error.line, 0);
    assert.equal(error.message, 'Cannot parse "9/status": missing the "PPid" line');
    return true;
  });
});

Deno.test("statusMemory() takes the cheap counters from status, in kB", async () => {
  const parsed = parseStatus(await readInput("status/odd-comm.txt"), "odd-comm/status");
  assert.deepStrictEqual(statusMemory(parsed), {
    rss: 10624,
    rssAnon: 4436,
    rssFile: 6180,
    rssShmem: 8,
    swap: 0,
    size: 15804,
  });
});

Deno.test("statusMemory() gives a kernel thread and a zombie none", async () => {
  for (const name of ["kernel-thread", "zombie"]) {
    const parsed = parseStatus(await readInput(`status/${name}.txt`), `${name}/status`);
    assert.equal(statusMemory(parsed), null, name);
  }
});
