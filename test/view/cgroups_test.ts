import assert from "node:assert/strict";
import type { Process } from "../../src/snapshot/snapshot.ts";
import { cgroupKey, cgroupRows, cgroupsOf, foldCgroup } from "../../src/view/cgroups.ts";
import { seededRandom } from "../_helpers/random.ts";
import { processOf } from "../_helpers/snapshot.ts";

const inCgroup = (pid: number, path: string | null, pss: number, version: 1 | 2 = 2): Process => ({
  ...processOf({ pid, uid: 0, totals: { pss, rss: 2 * pss, privateDirty: pss - 1 } }),
  cgroup: path === null ? null : { version, path },
});

Deno.test("foldCgroup() cuts a path to N levels below the root (root: depth 0)", () => {
  const cgroup = { version: 2, path: "/user.slice/user-1000.slice/session-3.scope" } as const;
  assert.deepEqual(foldCgroup(cgroup, 0), { version: 2, path: "/" });
  assert.deepEqual(foldCgroup(cgroup, 1), { version: 2, path: "/user.slice" });
  assert.deepEqual(foldCgroup(cgroup, 2).path, "/user.slice/user-1000.slice");
  assert.deepEqual(foldCgroup(cgroup, 3), cgroup);
  assert.deepEqual(foldCgroup(cgroup, 9), cgroup);
  assert.deepEqual(foldCgroup(cgroup, undefined), cgroup);
  assert.deepEqual(foldCgroup({ version: 1, path: "/" }, 2), { version: 1, path: "/" });
});

Deno.test("cgroupRows() sums and counts per cgroup, keeps v1 and v2 apart, and '?' for unknown", () => {
  const processes = [
    inCgroup(1, "/a", 10),
    inCgroup(2, "/a/b", 20),
    inCgroup(3, "/a", 30, 1),
    inCgroup(4, null, 40),
    { ...processOf({ pid: 5, uid: 0, totals: { pss: 50 } }) }, // cgroups not read
  ];
  const charges = new Map([["v2:/a", 1000], ["v1:/a", 2000]]);
  assert.deepEqual(cgroupRows(processes, { charges }), [
    {
      cgroup: "/a",
      hierarchy: "v2",
      count: 1,
      charge: 1000,
      counters: { pss: 10, rss: 20, privateDirty: 9 },
    },
    {
      cgroup: "/a/b",
      hierarchy: "v2",
      count: 1,
      charge: undefined,
      counters: { pss: 20, rss: 40, privateDirty: 19 },
    },
    {
      cgroup: "/a",
      hierarchy: "v1",
      count: 1,
      charge: 2000,
      counters: { pss: 30, rss: 60, privateDirty: 29 },
    },
    {
      cgroup: "?",
      hierarchy: undefined,
      count: 2,
      charge: undefined,
      counters: { pss: 90, rss: 80, privateDirty: 39 },
    },
  ]);
  const folded = cgroupRows(processes, { depth: 1, charges });
  assert.deepEqual(folded.map((r) => [r.cgroup, r.hierarchy, r.count, r.counters.pss]), [
    ["/a", "v2", 2, 30],
    ["/a", "v1", 1, 30],
    ["?", undefined, 2, 90],
  ]);
});

Deno.test("cgroupsOf() lists the distinct folded cgroups whose charges a report reads", () => {
  const processes = [inCgroup(1, "/a/x", 1), inCgroup(2, "/a/y", 1), inCgroup(3, null, 1)];
  assert.deepEqual(cgroupsOf(processes, 1).map(cgroupKey), ["v2:/a"]);
  assert.deepEqual(cgroupsOf(processes, undefined).map(cgroupKey), ["v2:/a/x", "v2:/a/y"]);
});

Deno.test("cgroupRows(): at every depth, the rows' PSS and counts add up to the processes'", () => {
  const random = seededRandom(8);
  const names = ["a", "b", "c"];
  for (let round = 0; round < 50; round++) {
    const processes = Array.from({ length: random.int(0, 12) }, (_, i) => {
      const path = "/" +
        Array.from({ length: random.int(0, 4) }, () => random.pick(names)).join("/");
      return inCgroup(i + 1, random.int(0, 5) === 0 ? null : path, random.int(1, 1000));
    });
    const pss = processes.reduce((sum, p) => sum + p.totals.pss!, 0);
    for (const depth of [undefined, 0, 1, 2, 3]) {
      const rows = cgroupRows(processes, depth === undefined ? {} : { depth });
      assert.equal(rows.reduce((sum, r) => sum + r.counters.pss!, 0), pss);
      assert.equal(rows.reduce((sum, r) => sum + r.count, 0), processes.length);
      assert.equal(new Set(rows.map((r) => `${r.hierarchy}:${r.cgroup}`)).size, rows.length);
    }
  }
});
