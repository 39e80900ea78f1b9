import { deepStrictEqual } from "node:assert/strict";
import { sortDiff } from "../../src/diff/diff_sort.ts";
import { changeOf, diffSides } from "../../src/diff/diff_table.ts";
import { diffColumns } from "../../src/diff/diff_view.ts";
import { keyedSide } from "../../src/view/keyed_side.ts";
import { processKey, processView } from "../../src/view/processes.ts";
import type { ProcessRow } from "../../src/view/processes.ts";

const columns = { labels: [processView.columns.pid], metrics: [processView.columns.pss] };

function row(pid: number, pss: number | undefined): ProcessRow {
  return {
    pid,
    startTime: null,
    user: "u",
    name: "n",
    command: "c",
    maps: undefined,
    provenance: "exact",
    ageS: 0,
    counters: pss === undefined ? {} : { pss },
  };
}

Deno.test("changeOf(): a missing side counts as 0 in the change; % only of a known, non-zero A", () => {
  deepStrictEqual(changeOf(100, 150), { a: 100, b: 150, change: 50, percent: 50 });
  deepStrictEqual(changeOf(100, undefined), { a: 100, b: undefined, change: -100, percent: -100 });
  deepStrictEqual(changeOf(undefined, 7), { a: undefined, b: 7, change: 7, percent: undefined });
  deepStrictEqual(changeOf(0, 7), { a: 0, b: 7, change: 7, percent: undefined });
  deepStrictEqual(changeOf(undefined, undefined), {
    a: undefined,
    b: undefined,
    change: undefined,
    percent: undefined,
  });
});

Deno.test("diffSides(): a pid reused by another process (another start time) is one row gone and one new", () => {
  const starts = new Map<ProcessRow, number>();
  const side = (entries: [number, number, number][]) => {
    const rows = entries.map(([pid, start, pss]) => {
      const r = row(pid, pss);
      starts.set(r, start);
      return r;
    });
    return keyedSide(rows, (r) => processKey({ pid: r.pid, startTime: starts.get(r)! }), columns);
  };
  const a = side([[10, 500, 100], [11, 600, 40]]);
  const b = side([[10, 900, 70], [11, 600, 50]]);
  const diff = diffSides(a, b, diffColumns({ view: "processes", columns: ["pid", "pss"] }));
  deepStrictEqual(
    diff.rows.map((r) => [r.key, r.status, r.labels, r.changes[0]!.change]),
    [
      ["10@500", "gone", [10], -100],
      ["11@600", "both", [11], 10],
      ["10@900", "new", [10], 70],
    ],
  );
  deepStrictEqual(diff.totals, [changeOf(140, 120)]);
});

Deno.test("keyedSide(): a metric no row knows totals as unknown, as the reports total it", () => {
  const side = keyedSide([row(1, undefined), row(2, undefined)], (r) => String(r.pid), columns);
  deepStrictEqual(side.totals, [undefined]);
  deepStrictEqual(keyedSide([], (r) => String(r.pid), columns).totals, [0]);
});

Deno.test("sortDiff(): a metric by the size of its change, a label by text, ties by labels then key; -r reverses", () => {
  const side = (entries: [number, number][]) =>
    keyedSide(entries.map(([pid, pss]) => row(pid, pss)), (r) => String(r.pid), columns);
  const diff = diffSides(
    side([[1, 100], [2, 100], [3, 100], [4, 100]]),
    side([[1, 130], [2, 40], [3, 70], [4, 160]]),
    diffColumns({ view: "processes", columns: ["pid", "pss"] }),
  );
  const order = (sort: string, reverse = false) =>
    sortDiff(diff, sort, reverse).rows.map((r) => r.labels[0]);
  // Changes: +30, -60, -30, +60.
  deepStrictEqual(order("pss"), [2, 4, 1, 3]);
  deepStrictEqual(order("pss", true), [3, 1, 4, 2]);
  deepStrictEqual(order("pid"), [1, 2, 3, 4]);
});
