import assert from "node:assert/strict";
import { mappingRows, mappingView } from "../../src/view/mappings.ts";
import { buildTable } from "../../src/view/table.ts";
import { mapping, processOf } from "../_helpers/snapshot.ts";

const LIBC = "/usr/lib/libc.so.6";

const PROCESSES = [
  processOf({
    pid: 1,
    uid: 0,
    mappings: [
      mapping(LIBC, { size: 100, rss: 10, pss: 5, privateClean: 1 }),
      mapping(LIBC, { size: 200, rss: 20, pss: 6, privateDirty: 2 }),
      mapping("", { size: 50, rss: 7, pss: 7, privateDirty: 7 }),
      mapping("", { size: 50, rss: 3, pss: 3, privateDirty: 3 }),
    ],
  }),
  processOf({
    pid: 2,
    uid: 1000,
    mappings: [
      mapping(LIBC, { size: 100, rss: 10, pss: 4, swap: 2 }),
      mapping("/memfd:shm (deleted)", { size: 64, rss: 64, pss: 32, sharedDirty: 64 }),
    ],
  }),
  processOf({
    pid: 3,
    uid: 1000,
    mappings: [
      mapping(LIBC, { size: 100, rss: 11, pss: 4 }),
      mapping("/memfd:shm", { size: 64, rss: 64, pss: 32, sharedDirty: 64 }),
    ],
  }),
  // Rollup detail: no mappings, nothing to count.
  processOf({ pid: 4, uid: 0, totals: { pss: 1000 } }),
];

Deno.test("mappingRows() sums mappings per name, counting each process once in pids", () => {
  assert.deepEqual(mappingRows(PROCESSES), [
    {
      map: LIBC,
      count: 4,
      pids: 3,
      counters: { size: 500, rss: 51, pss: 19, privateClean: 1, privateDirty: 2, swap: 2 },
    },
    {
      map: "<anonymous>",
      count: 2,
      pids: 1,
      counters: { size: 100, rss: 10, pss: 10, privateDirty: 10 },
    },
    // " (deleted)" is dropped: the memfd counts under one name.
    {
      map: "/memfd:shm",
      count: 2,
      pids: 2,
      counters: { size: 128, rss: 128, pss: 64, sharedDirty: 128 },
    },
  ]);
});

Deno.test("mappingRows() of no process, or of processes without mappings, is empty", () => {
  assert.deepEqual(mappingRows([]), []);
  assert.deepEqual(mappingRows([PROCESSES[3]!]), []);
});

Deno.test("mappingView averages per PID truncate like Python's int()", () => {
  const rows = mappingRows(PROCESSES);
  const table = buildTable(mappingView, rows, {
    columns: [
      "map",
      "count",
      "pids",
      "avgpss",
      "avguss",
      "avgrss",
      "pss",
      "uss",
      "rss",
      "vss",
      "swap",
    ],
    sort: "pss",
    reverse: true,
  });
  assert.deepEqual(table.rows, [
    // 64/2 = 32, uss unknown, 128/2 = 64.
    ["/memfd:shm", 2, 2, 32, undefined, 64, 64, undefined, 128, 128, undefined],
    // 19/3 = 6.33 → 6, 3/3 = 1, 51/3 = 17.
    [LIBC, 4, 3, 6, 1, 17, 19, 3, 51, 500, 2],
    ["<anonymous>", 2, 1, 10, 10, 10, 10, 10, 10, 100, undefined],
  ]);
  // map counts names; the others sum (the averages too, as smem sums them).
  assert.deepEqual(table.totals, [3, 8, 6, 48, 11, 91, 93, 13, 189, 728, 2]);
});

Deno.test("mappingView averages truncate, never round up", () => {
  const processes = [1, 2, 3].map((pid) =>
    processOf({ pid, uid: 0, mappings: [mapping("x", { pss: pid === 1 ? 5 : 0, rss: 2 })] })
  );
  const table = buildTable(mappingView, mappingRows(processes), {
    columns: ["avgpss", "avgrss"],
    sort: "pss",
    reverse: false,
  });
  // 5/3 = 1.67 → 1; 6/3 = 2.
  assert.deepEqual(table.rows, [[1, 2]]);
});

Deno.test("mappingView has smem's default columns and the map column's layout", () => {
  assert.deepEqual(mappingView.defaultColumns, ["map", "pids", "avgpss", "pss"]);
  assert.equal(mappingView.defaultSort, "pss");
  assert.deepEqual(mappingView.columns.map.layout, { align: "left", width: 40, truncate: true });
  assert.equal(mappingView.columns.map.total, "count");
  assert.equal(mappingView.columns.avgpss.header, "AVGPSS");
  assert.deepEqual(mappingView.columns.avgpss.layout, {
    align: "right",
    width: 8,
    truncate: false,
  });
  // Counters only smaps_rollup has are not per-mapping columns.
  assert.equal(Object.hasOwn(mappingView.columns, "pss_anon"), false);
  assert.equal(Object.hasOwn(mappingView.columns, "swappss"), true);
});
