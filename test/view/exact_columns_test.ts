import assert from "node:assert/strict";
import type { ProcessPages } from "../../src/snapshot/pages.ts";
import type { Process, Snapshot } from "../../src/snapshot/snapshot.ts";
import { commandRows } from "../../src/view/commands.ts";
import { processRows } from "../../src/view/processes.ts";
import { processTreeRows } from "../../src/view/process_tree.ts";
import { userRows } from "../../src/view/users.ts";
import { processOf, snapshotOf } from "../_helpers/snapshot.ts";

const pages = (frames: number[], swap: number[] = [], exclusive = 0): ProcessPages => ({
  frames,
  swap,
  exclusive,
});

// 1 (root, uid 0) is the parent of 2 and 3 (uid 1000); 4 (uid 0) is a root of its own.
// 2 and 3 share frames 10-12 between them; all four map frame 20; 4 holds swap entry 7 with 2.
const PROCESSES: Process[] = [
  { ...processOf({ pid: 1, uid: 0, totals: {} }), ppid: 0, pages: pages([1, 20], [], 1) },
  { ...processOf({ pid: 2, uid: 1000, totals: {} }), pages: pages([2, 10, 11, 12, 20], [7], 1) },
  { ...processOf({ pid: 3, uid: 1000, totals: {} }), pages: pages([3, 4, 10, 11, 12, 20], [], 2) },
  { ...processOf({ pid: 4, uid: 0, totals: {} }), ppid: 0, pages: pages([5, 20], [7, 8], 1) },
];
const COUNTS = { 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 10: 2, 11: 2, 12: 2, 20: 4 };
const frames = Object.keys(COUNTS).map(Number);
const SNAPSHOT: Snapshot = {
  ...snapshotOf(PROCESSES, { 0: "root", 1000: "alice" }),
  pages: {
    mode: "frames",
    pageSize: 4096,
    frameCounts: { frames, counts: frames.map((f) => COUNTS[f as keyof typeof COUNTS]) },
  },
};

Deno.test("userRows() gives each user's exact group memory in kB, pages of 4 kB", () => {
  const rows = userRows(SNAPSHOT, SNAPSHOT.processes, { numeric: false });
  assert.deepEqual(rows.map((row) => [row.user, row.exact]), [
    ["root", { uss: 8, rss: 12, shared: 4, swap: 4 }],
    // 2, 3, 4 and the three frames only alice's two processes map; 20 is shared.
    ["alice", { uss: 24, rss: 28, shared: 4, swap: 0 }],
  ]);
});

Deno.test("processRows() gives Unique by frames; filtered-out processes count as others", () => {
  const shown = SNAPSHOT.processes.filter((p) => p.pid === 2 || p.pid === 3);
  const rows = processRows(SNAPSHOT, shown, { numeric: false });
  assert.deepEqual(rows.map((row) => [row.pid, row.exact?.uss]), [[2, 4], [3, 8]]);
  // Grouped, the shown two keep their shared frames.
  assert.deepEqual(commandRows(SNAPSHOT, shown).map((row) => row.exact?.uss), [4, 8]);
  assert.equal(userRows(SNAPSHOT, shown, { numeric: false })[0]!.exact?.uss, 24);
});

Deno.test("processTreeRows() gives each subtree's exact memory", () => {
  const rows = processTreeRows(SNAPSHOT, SNAPSHOT.processes, {
    numeric: false,
    sort: "pid",
    reverse: false,
  });
  assert.deepEqual(rows.map((row) => [row.pid, row.exact]), [
    // 1's subtree holds 1, 2, 3: all but 5 and the swap entry 4 shares.
    [1, { uss: 28, rss: 32, shared: 4, swap: 0 }],
    [2, { uss: 4, rss: 20, shared: 16, swap: 0 }],
    [3, { uss: 8, rss: 24, shared: 16, swap: 0 }],
    [4, { uss: 4, rss: 8, shared: 4, swap: 4 }],
  ]);
});

Deno.test("the lower bound mode gives only USS: the exclusive pages", () => {
  const lower: Snapshot = { ...SNAPSHOT, pages: { ...SNAPSHOT.pages!, mode: "lower-bound" } };
  assert.deepEqual(
    userRows(lower, lower.processes, { numeric: false }).map((row) => row.exact),
    [{ uss: 8 }, { uss: 12 }],
  );
});

Deno.test("without pages, the rows carry no exact amounts", () => {
  const plain = snapshotOf(PROCESSES);
  assert.equal(userRows(plain, plain.processes, { numeric: false })[0]!.exact, undefined);
});
