import assert from "node:assert/strict";
import { COUNTER_FIELDS, type Counters } from "../../src/parse/counters.ts";
import type { Process } from "../../src/snapshot/snapshot.ts";
import { processRows, processView } from "../../src/view/processes.ts";
import { buildTable } from "../../src/view/table.ts";
import { userRows, userView } from "../../src/view/users.ts";
import { seededRandom } from "../_helpers/random.ts";
import { mapping, processOf, snapshotOf } from "../_helpers/snapshot.ts";

const SNAPSHOT = snapshotOf(
  [
    processOf({ pid: 1, uid: 0, totals: { pss: 100, rss: 200, privateClean: 10, swap: 1 } }),
    processOf({ pid: 2, uid: 1000, totals: { pss: 7, rss: 8, privateDirty: 3 } }),
    processOf({ pid: 3, uid: 0, totals: { pss: 50, rss: 60, privateDirty: 5, size: 900 } }),
    processOf({ pid: 4, uid: 2000, totals: {} }),
  ],
  { 0: "root", 1000: "alice" },
);

Deno.test("userRows() sums the processes of each uid and counts them", () => {
  assert.deepEqual(userRows(SNAPSHOT, SNAPSHOT.processes, { numeric: false }), [
    {
      uid: 0,
      user: "root",
      count: 2,
      counters: { pss: 150, rss: 260, privateClean: 10, privateDirty: 5, swap: 1, size: 900 },
    },
    { uid: 1000, user: "alice", count: 1, counters: { pss: 7, rss: 8, privateDirty: 3 } },
    { uid: 2000, user: "2000", count: 1, counters: {} },
  ]);
});

Deno.test("userRows() shows uids with -n", () => {
  const rows = userRows(SNAPSHOT, SNAPSHOT.processes, { numeric: true });
  assert.deepEqual(rows.map((r) => r.user), [0, 1000, 2000]);
});

Deno.test("userRows() counts only the processes given (the selection)", () => {
  const rows = userRows(SNAPSHOT, [SNAPSHOT.processes[2]!], { numeric: false });
  assert.deepEqual(rows, [
    { uid: 0, user: "root", count: 1, counters: { pss: 50, rss: 60, privateDirty: 5, size: 900 } },
  ]);
  assert.deepEqual(userRows(SNAPSHOT, [], { numeric: false }), []);
});

Deno.test("userView table: smem's default columns, uss summed, count total", () => {
  const rows = userRows(SNAPSHOT, SNAPSHOT.processes, { numeric: false });
  const table = buildTable(userView, rows, {
    columns: [...userView.defaultColumns],
    sort: userView.defaultSort,
    reverse: false,
  });
  assert.deepEqual(userView.defaultColumns, ["user", "count", "swap", "uss", "pss", "rss"]);
  assert.deepEqual(table.rows, [
    ["2000", 1, undefined, undefined, undefined, undefined],
    ["alice", 1, undefined, 3, 7, 8],
    ["root", 2, 1, 15, 150, 260],
  ]);
  // smem: no total for the user column; the count column sums.
  assert.deepEqual(table.totals, [undefined, 4, 1, 18, 157, 268]);
});

const KEYS = COUNTER_FIELDS.map(([key]) => key);

Deno.test("userRows() per-user totals equal the sums of that user's processes (300 random snapshots)", () => {
  const random = seededRandom(2024);
  for (let n = 0; n < 300; n++) {
    const processes: Process[] = Array.from({ length: random.int(0, 25) }, (_, i) => {
      const uid = random.pick([0, 33, 1000, 1001, 65534]);
      const counters = (): Counters =>
        Object.fromEntries(
          KEYS.filter(() => random.next() < 0.5).map((key) => [key, random.int(0, 2 ** 30)]),
        );
      return random.next() < 0.5 ? processOf({ pid: i + 1, uid, totals: counters() }) : processOf({
        pid: i + 1,
        uid,
        mappings: Array.from({ length: random.int(1, 5) }, () => mapping("", counters())),
      });
    });
    const snapshot = snapshotOf(processes, { 0: "root", 1000: "alice" });
    const users = userRows(snapshot, processes, { numeric: true });
    const byProcess = processRows(snapshot, processes, { numeric: true });
    assert.deepEqual(
      users.map((u) => u.uid).sort((a, b) => a - b),
      [...new Set(processes.map((p) => p.uid))].sort((a, b) => a - b),
    );
    for (const user of users) {
      const mine = byProcess.filter((p) => p.user === user.uid);
      assert.equal(user.count, mine.length);
      for (const key of KEYS) {
        const known = mine.map((p) => p.counters[key]).filter((v) => v !== undefined);
        const expected = known.length === 0 ? undefined : known.reduce((a, b) => a + b, 0);
        assert.equal(user.counters[key], expected, `case ${n}, uid ${user.uid}, ${key}`);
      }
      // The user's row in the table equals the totals line of their processes.
      const columns = ["count", "swap", "uss", "pss", "rss", "vss", "thp"] as const;
      const userTable = buildTable(userView, [user], { columns, sort: "pss", reverse: false });
      const processTable = buildTable(processView, mine, {
        columns: ["pid", "swap", "uss", "pss", "rss", "vss", "thp"],
        sort: "pss",
        reverse: false,
      });
      assert.deepEqual(userTable.rows[0], processTable.totals, `case ${n}, uid ${user.uid}`);
    }
  }
});
