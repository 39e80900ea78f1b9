import assert from "node:assert/strict";
import type { Process } from "../../src/snapshot/snapshot.ts";
import { processTreeRows, processTreeView } from "../../src/view/process_tree.ts";
import { buildTable } from "../../src/view/table.ts";
import { processOf, snapshotOf } from "../_helpers/snapshot.ts";

const proc = (pid: number, ppid: number | null, pss: number): Process => ({
  ...processOf({ pid, uid: 0, totals: { pss, privateDirty: 1 } }),
  ppid,
});

const OPTIONS = { numeric: false, sort: "tree_pss", reverse: false } as const;
const shape = (rows: ReturnType<typeof processTreeRows>) =>
  rows.map((r) => [r.pid, r.depth, r.ppid ?? null, r.counters.pss ?? null, r.subtree.pss]);

const FAMILY = [
  proc(1, 0, 5),
  proc(2, 1, 10),
  proc(3, 1, 1),
  proc(4, 2, 100),
  proc(5, 3, 7),
  proc(6, 99, 3), // its parent is not in the snapshot: a root
  proc(7, null, 2), // stat unreadable: a root
];

Deno.test("processTreeRows() sums subtrees and lists them depth first, siblings by the sort column", () => {
  const snapshot = snapshotOf(FAMILY);
  assert.deepEqual(shape(processTreeRows(snapshot, FAMILY, OPTIONS)), [
    [7, 0, null, 2, 2],
    [6, 0, null, 3, 3],
    [1, 0, null, 5, 123],
    [3, 1, 1, 1, 8],
    [5, 2, 3, 7, 7],
    [2, 1, 1, 10, 110],
    [4, 2, 2, 100, 100],
  ]);
  const byPid = processTreeRows(snapshot, FAMILY, { ...OPTIONS, sort: "pid", reverse: true });
  assert.deepEqual(byPid.map((r) => r.pid), [7, 6, 1, 3, 5, 2, 4]);
});

Deno.test("processTreeRows() shows a selection's ancestors for context, with empty own counters", () => {
  const snapshot = snapshotOf(FAMILY);
  const rows = processTreeRows(snapshot, [FAMILY[4]!, FAMILY[5]!], OPTIONS);
  assert.deepEqual(shape(rows), [[6, 0, null, 3, 3], [1, 0, null, null, 7], [3, 1, 1, null, 7], [
    5,
    2,
    3,
    7,
    7,
  ]]);
  assert.deepEqual(rows.map((r) => r.selected), [true, false, false, true]);
  // The totals count the selection only.
  const table = buildTable(processTreeView, rows, {
    columns: ["pid", "pss"],
    sort: "pss",
    reverse: false,
  });
  assert.deepEqual(table.totals, [4, 10]);
  assert.deepEqual(table.depths, [0, 0, 1, 2]);
});

Deno.test("processTreeRows() keeps every process of a ppid loop (a corrupt copy), once", () => {
  const loop = [proc(1, 3, 1), proc(2, 1, 2), proc(3, 2, 4), proc(4, 4, 8)];
  const rows = processTreeRows(snapshotOf(loop), loop, OPTIONS);
  assert.deepEqual(rows.map((r) => r.pid).toSorted(), [1, 2, 3, 4]);
  assert.equal(rows.find((r) => r.pid === 4)!.depth, 0); // its own parent
});

Deno.test("processTreeRows() handles a chain far deeper than the call stack", () => {
  const chain = Array.from({ length: 100_000 }, (_, i) => proc(i + 1, i, 1));
  const rows = processTreeRows(snapshotOf(chain), chain, OPTIONS);
  assert.equal(rows.length, chain.length);
  assert.deepEqual([rows[0]!.subtree.pss, rows.at(-1)!.depth], [100_000, 99_999]);
});

Deno.test("processTreeRows() says how each process was measured, as the process view does", () => {
  const family = [
    { ...proc(1, 0, 5), provenance: { kind: "carried", ageMs: 2400 } } as const,
    { ...proc(2, 1, 10), provenance: { kind: "rss-only", reason: "unreadable" } } as const,
    proc(3, 1, 1),
  ];
  const rows = processTreeRows(snapshotOf(family), family, { ...OPTIONS, sort: "pid" });
  assert.deepEqual(rows.map((r) => [r.pid, r.provenance, r.ageS]), [
    [1, "carried", 2],
    [2, "rss-only", undefined],
    [3, "exact", 0],
  ]);
});
