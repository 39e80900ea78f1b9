import assert from "node:assert/strict";
import { memoryCgroupOf, parseCgroup } from "../../src/parse/cgroup.ts";
import { readInput, testFixtures, testInvalidFixtures } from "./_fixtures.ts";

const cgroup = { unit: "parseCgroup()", kind: "cgroup", parse: parseCgroup };
testFixtures(cgroup);
testInvalidFixtures(cgroup);

Deno.test("memoryCgroupOf() takes the v1 memory controller's path on a hybrid system", async () => {
  const lines = parseCgroup(await readInput("cgroup/this-machine.txt"), "self/cgroup");
  const memory = lines.find((line) => line.controllers.includes("memory"));
  assert.ok(memory !== undefined, "this machine's fixture is hybrid");
  assert.deepStrictEqual(memoryCgroupOf(lines), { version: 1, path: memory.path });
});

Deno.test("memoryCgroupOf() takes the v2 path where no v1 memory controller is mounted", async () => {
  const lines = parseCgroup(await readInput("cgroup/v2-only.txt"), "v2-only/cgroup");
  assert.deepStrictEqual(memoryCgroupOf(lines), {
    version: 2,
    path: "/user.slice/user-1000.slice/user@1000.service/app.slice/firefox.scope",
  });
  assert.deepStrictEqual(memoryCgroupOf(parseCgroup("0::/a:b\n", "x/cgroup")), {
    version: 2,
    path: "/a:b",
  });
});

Deno.test("memoryCgroupOf() is null for a file naming neither", () => {
  assert.equal(memoryCgroupOf([]), null);
  assert.equal(memoryCgroupOf(parseCgroup("3:cpuset:/\n1:name=systemd:/x\n", "x/cgroup")), null);
});

Deno.test("parseCgroup() agrees with this machine's own /proc/self/cgroup", async () => {
  const text = await Deno.readTextFile("/proc/self/cgroup");
  const lines = parseCgroup(text, "self/cgroup");
  assert.equal(lines.length, text.trimEnd().split("\n").length);
  const found = memoryCgroupOf(lines);
  assert.ok(found !== null);
  // A v1 memory hierarchy is mounted exactly when the file names one.
  const v1Mounted = /\bmemory\b/.test(text.split("\n").filter((l) => !l.startsWith("0:")).join());
  assert.equal(found.version, v1Mounted ? 1 : 2);
});
