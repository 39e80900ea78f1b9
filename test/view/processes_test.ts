import assert from "node:assert/strict";
import { processRows, processView } from "../../src/view/processes.ts";
import { buildTable } from "../../src/view/table.ts";
import { mapping, processOf, snapshotOf } from "../_helpers/snapshot.ts";

const SNAPSHOT = snapshotOf(
  [
    processOf({
      pid: 1,
      uid: 0,
      name: "systemd",
      cmdline: ["/sbin/init", "splash"],
      mappings: [
        mapping("/usr/lib/libc.so.6", { size: 2000, rss: 100, pss: 40, privateClean: 4, swap: 0 }),
        mapping("", { size: 500, rss: 60, pss: 60, privateDirty: 60, swap: 8 }),
      ],
    }),
    processOf({ pid: 42, uid: 1000, cmdline: null, totals: { pss: 5, rss: 9 } }),
    processOf({ pid: 43, uid: 4242, cmdline: ["a", "b c"], totals: {} }),
    processOf({ pid: 44, uid: -1, totals: {} }),
  ],
  { 0: "root", 1000: "alice" },
);

Deno.test("processRows() gives one row per process: pid, user name, name, command, maps, counters", () => {
  const rows = processRows(SNAPSHOT, SNAPSHOT.processes, { numeric: false });
  // Its start time matches it across snapshots (processKey).
  assert.deepEqual(rows.map((row) => row.startTime), SNAPSHOT.processes.map((p) => p.startTime));
  assert.deepEqual(rows.map(({ startTime: _, ...row }) => row), [
    {
      pid: 1,
      user: "root",
      name: "systemd",
      command: "/sbin/init splash",
      maps: 2,
      provenance: "exact",
      ageS: 0,
      counters: {
        size: 2500,
        rss: 160,
        pss: 100,
        privateClean: 4,
        privateDirty: 60,
        swap: 8,
      },
    },
    {
      pid: 42,
      user: "alice",
      name: "p42",
      command: "?",
      maps: undefined,
      provenance: "exact",
      ageS: 0,
      counters: { pss: 5, rss: 9 },
    },
    {
      pid: 43,
      user: "4242",
      name: "p43",
      command: "a b c",
      maps: undefined,
      ...EXACT,
      counters: {},
    },
    { pid: 44, user: "?", name: "p44", command: "p44", maps: undefined, ...EXACT, counters: {} },
  ]);
});

/** What an exact row says of its provenance. */
const EXACT = { provenance: "exact", ageS: 0 } as const;

Deno.test("processRows() says how each process was measured: exact, carried with its age, rss-only", () => {
  const carried = {
    ...SNAPSHOT.processes[0]!,
    provenance: { kind: "carried", ageMs: 4600 },
  } as const;
  const rssOnly = {
    ...SNAPSHOT.processes[1]!,
    provenance: { kind: "rss-only", reason: "over-ceiling" },
  } as const;
  const rows = processRows(SNAPSHOT, [carried, rssOnly], { numeric: false });
  assert.deepEqual(rows.map((r) => [r.provenance, r.ageS]), [["carried", 5], [
    "rss-only",
    undefined,
  ]]);
});

Deno.test("processRows() shows uids with -n", () => {
  const rows = processRows(SNAPSHOT, SNAPSHOT.processes, { numeric: true });
  assert.deepEqual(rows.map((r) => r.user), [0, 1000, 4242, -1]);
});

Deno.test("processRows() rows only for the processes given (the selection)", () => {
  const rows = processRows(SNAPSHOT, [SNAPSHOT.processes[1]!], { numeric: false });
  assert.deepEqual(rows.map((r) => r.pid), [42]);
});

Deno.test("processView columns read smem's values: uss = private clean + dirty, vss = size", () => {
  const rows = processRows(SNAPSHOT, SNAPSHOT.processes, { numeric: false });
  const table = buildTable(processView, rows, {
    columns: ["pid", "user", "command", "maps", "swap", "uss", "pss", "rss", "vss"],
    sort: "pid",
    reverse: false,
  });
  assert.deepEqual(table.rows, [
    [1, "root", "/sbin/init splash", 2, 8, 64, 100, 160, 2500],
    [42, "alice", "?", undefined, undefined, undefined, 5, 9, undefined],
    [43, "4242", "a b c", undefined, undefined, undefined, undefined, undefined, undefined],
    [44, "?", "p44", undefined, undefined, undefined, undefined, undefined, undefined],
  ]);
  // pid counts processes, user counts distinct users, command has none.
  assert.deepEqual(table.totals, [4, 4, undefined, 2, 8, 64, 105, 169, 2500]);
});

Deno.test("processView has smem's default columns and sort, and smem's layouts", () => {
  assert.deepEqual(processView.defaultColumns, [
    "pid",
    "user",
    "command",
    "swap",
    "uss",
    "pss",
    "rss",
  ]);
  assert.equal(processView.defaultSort, "pss");
  const c = processView.columns;
  assert.deepEqual(c.pid.layout, { align: "right", width: 5, truncate: false });
  assert.deepEqual(c.user.layout, { align: "left", width: 8, truncate: false });
  assert.deepEqual(c.name.layout, { align: "left", width: 24, truncate: true });
  assert.deepEqual(c.command.layout, { align: "left", width: 27, truncate: true });
  assert.deepEqual(c.maps.layout, { align: "right", width: 5, truncate: false });
  assert.deepEqual(c.pss.layout, { align: "right", width: 8, truncate: false });
  assert.equal(c.swap.quantity, "swap");
  assert.equal(c.pss.quantity, "memory");
  assert.deepEqual(
    [c.pid.total, c.user.total, c.name.total, c.command.total, c.maps.total, c.pss.total],
    ["count", "distinct", "none", "none", "sum", "sum"],
  );
});
