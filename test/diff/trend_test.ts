import assert from "node:assert/strict";
import type { KeyedSide } from "../../src/diff/diff_table.ts";
import {
  addSide,
  finishTrend,
  type Series,
  startTrend,
  type TrendTable,
} from "../../src/diff/trend.ts";
import { memoryColumn } from "../../src/view/column.ts";
import type { ColumnInfo } from "../../src/view/table.ts";
import { seededRandom } from "../_helpers/random.ts";
import { seriesOf } from "../_helpers/trend.ts";

const info = ({ value: _, ...rest }: ReturnType<typeof memoryColumn>): ColumnInfo => rest;
const PSS = info(memoryColumn("pss", "PSS", "pss", () => 0));
const RSS = info(memoryColumn("rss", "RSS", "rss", () => 0));
/** A metric the totals line leaves blank. */
const AVG: ColumnInfo = { ...info(memoryColumn("avg", "AVG", "avg", () => 0)), total: "none" };
const COMMAND: ColumnInfo = {
  id: "command",
  header: "Command",
  description: "command",
  layout: { align: "left", width: 27, truncate: true },
  quantity: "text",
  total: "none",
};

type Values = readonly (number | undefined)[];

/** A side: per key, its values (the label is the key and the snapshot's index). */
function side(index: number, rows: Record<string, Values>, totals: Values = []): KeyedSide {
  return {
    rows: Object.entries(rows).map(([key, values]) => ({
      key,
      labels: [`${key}#${index}`],
      values,
    })),
    totals,
  };
}

/** Folds the sides in order; snapshot i is taken at second i. */
function fold(sides: readonly KeyedSide[], metrics = [PSS, RSS]): TrendTable {
  const trend = startTrend({ labels: [COMMAND], metrics });
  sides.forEach((s, i) => addSide(trend, s, `2026-01-01T00:00:${String(i).padStart(2, "0")}Z`));
  return finishTrend(trend);
}

function rowOf(table: TrendTable, key: string) {
  const row = table.rows.find((r) => r.key === key);
  assert.ok(row, `row ${key}`);
  return row;
}

/** What a series is beside its trend statistics. */
type Basics = Pick<Series, "first" | "last" | "min" | "max" | "growth" | "suspect">;

const series = (
  first: number,
  last: number,
  min: number,
  max: number,
  suspect = false,
): Basics => ({ first, last, min, max, growth: last - first, suspect });

/** A series without its rate and Z, to compare with {@link series}. */
const basics = (s: Series | undefined): Basics | undefined =>
  s && {
    first: s.first,
    last: s.last,
    min: s.min,
    max: s.max,
    growth: s.growth,
    suspect: s.suspect,
  };

Deno.test("a trend keeps rows that appear late or vanish early, with where they were seen", () => {
  const table = fold([
    side(0, { a: [10, 100], gone: [50, 60] }),
    side(1, { a: [12, 90], gone: [40, 60], late: [5, 5] }),
    side(2, { a: [11, 95], late: [7, 6] }),
    side(3, { a: [20, 95], late: [9, 8] }),
  ]);
  assert.equal(table.snapshots, 4);
  assert.equal(table.firstTakenAt, "2026-01-01T00:00:00Z");
  assert.equal(table.lastTakenAt, "2026-01-01T00:00:03Z");
  assert.deepEqual(table.rows.map((r) => r.key), ["a", "gone", "late"]);

  const a = rowOf(table, "a");
  assert.deepEqual([a.seen, a.firstSeen, a.lastSeen], [4, 0, 3]);
  assert.deepEqual(a.series.map(basics), [series(10, 20, 10, 20), series(100, 95, 90, 100)]);
  // Labels are the last snapshot's the row is in.
  assert.deepEqual(a.labels, ["a#3"]);

  const gone = rowOf(table, "gone");
  assert.deepEqual([gone.seen, gone.firstSeen, gone.lastSeen], [2, 0, 1]);
  assert.deepEqual(gone.series.map(basics), [series(50, 40, 40, 50), series(60, 60, 60, 60)]);
  assert.deepEqual(gone.labels, ["gone#1"]);

  const late = rowOf(table, "late");
  assert.deepEqual([late.seen, late.firstSeen, late.lastSeen], [3, 1, 3]);
  assert.deepEqual(late.series.map(basics), [series(5, 9, 5, 9), series(5, 8, 5, 8)]);
});

Deno.test("leak suspects: steady growth of 1 MiB or more, dips tolerated; not a plateau, a shrink, a step", () => {
  const M = 1024;
  const values: Record<string, number[]> = {
    // 254 kB → 120 MiB in steps, PSS dipping by 2 to 70 kB now and then.
    dips: [
      254,
      8 * M,
      8 * M - 70,
      30 * M,
      52 * M,
      52 * M - 2,
      74 * M,
      96 * M,
      96 * M - 40,
      120 * M,
    ],
    steps: [M, M, 3 * M, 3 * M, 5 * M, 5 * M, 7 * M, 7 * M, 9 * M, 9 * M],
    small: [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000],
    flat: [5 * M, 5 * M, 5 * M, 5 * M, 5 * M, 5 * M, 5 * M, 5 * M, 5 * M, 5 * M],
    shrank: [9 * M, 8 * M, 7 * M, 6 * M, 5 * M, 4 * M, 3 * M, 2 * M, M, 0],
    // Start-up, then a plateau: it ended higher, but is not growing.
    startup: [200, 8 * M, 8 * M, 8 * M, 8 * M + 4, 8 * M, 8 * M + 8, 8 * M, 8 * M + 4, 8 * M + 8],
    // Grew, then gave it back.
    back: [M, 5 * M, 9 * M, 13 * M, 17 * M, 13 * M, 9 * M, 5 * M, 2 * M, M],
  };
  const sides = values.dips!.map((_, i) =>
    side(i, Object.fromEntries(Object.entries(values).map(([key, v]) => [key, [v[i]!, v[i]!]])))
  );
  const table = fold(sides);
  const suspects = table.rows.filter((r) => r.series[0]!.suspect).map((r) => r.key);
  assert.deepEqual(suspects, ["dips", "steps"]);
  // One snapshot a second: the rates per hour are Theil–Sen's, exactly.
  assert.deepEqual(rowOf(table, "steps").series[0]!.ratePerHour, 1024 * 3600);
  assert.deepEqual(rowOf(table, "flat").series[0]!.ratePerHour, 0);
  // Its plateau's noise rises a little: 4800 kB/h, 12 kB over its 9 s, far from 1 MiB.
  assert.deepEqual(rowOf(table, "startup").series[0]!.ratePerHour, 4800);
  assert.ok(rowOf(table, "startup").series[0]!.z! > 1.645);
  assert.deepEqual(rowOf(table, "shrank").series[0]!.ratePerHour, -1024 * 3600);
  assert.deepEqual(rowOf(table, "small").series[0]!.ratePerHour, 100 * 3600);
  assert.equal(rowOf(table, "flat").series[0]!.z, 0);
});

Deno.test("leak suspects: only amounts of memory; counts and the totals have rates and Z too", () => {
  const COUNT: ColumnInfo = { ...PSS, id: "count", header: "Count", quantity: "count" };
  const sides = [0, 1, 2, 3, 4, 5].map((i) =>
    side(i, { a: [i * 2048, i * 2048] }, [i * 2048, i * 2048])
  );
  const table = fold(sides, [PSS, COUNT]);
  assert.deepEqual(rowOf(table, "a").series.map((s) => s.suspect), [true, false]);
  assert.deepEqual(rowOf(table, "a").series.map((s) => s.ratePerHour), [
    2048 * 3600,
    2048 * 3600,
  ]);
  assert.deepEqual(table.totals.map((s) => s?.suspect), [true, false]);
});

Deno.test("without times, a trend has no rates and no suspects; Z still ranks the values", () => {
  const trend = startTrend({ labels: [COMMAND], metrics: [PSS] });
  for (let i = 0; i < 6; i++) addSide(trend, side(i, { a: [i * 4096] }), null);
  const a = rowOf(finishTrend(trend), "a").series[0]!;
  assert.deepEqual([a.ratePerHour, a.suspect], [undefined, false]);
  // 15 pairs, all rising: S = 15, σ² = 6 × 5 × 17 / 18.
  assert.equal(a.z, 14 / Math.sqrt((6 * 5 * 17) / 18));
});

Deno.test("a row that vanishes and comes back is compared with its value before it left", () => {
  const table = fold([
    side(0, { back: [10, 10], dips: [10, 10] }),
    side(1, {}),
    side(2, { back: [15, 15], dips: [5, 5] }),
    side(3, { back: [15, 16], dips: [20, 20] }),
  ]);
  const back = rowOf(table, "back");
  assert.deepEqual([back.seen, back.firstSeen, back.lastSeen], [3, 0, 3]);
  assert.deepEqual(back.series.map(basics), [series(10, 15, 10, 15), series(10, 16, 10, 16)]);
  assert.deepEqual(basics(rowOf(table, "dips").series[0]), series(10, 20, 5, 20));
});

Deno.test("unknown values are left out of a series; a series never known is unknown throughout", () => {
  const table = fold([
    side(0, { a: [undefined, undefined] }),
    side(1, { a: [8, undefined] }),
    side(2, { a: [undefined, undefined] }),
    side(3, { a: [6, undefined] }),
  ]);
  const a = rowOf(table, "a");
  assert.equal(a.seen, 4);
  assert.deepEqual(basics(a.series[0]), series(8, 6, 6, 8));
  assert.deepEqual(a.series[1], {
    first: undefined,
    last: undefined,
    min: undefined,
    max: undefined,
    growth: undefined,
    ratePerHour: undefined,
    recentRatePerHour: undefined,
    z: undefined,
    suspect: false,
  });
});

Deno.test("a trend's totals follow the sides' totals; a metric that does not sum has none", () => {
  const table = fold([
    side(0, { a: [1, 2, 3] }, [100, 200, undefined]),
    side(1, { a: [1, 2, 3] }, [90, 250, undefined]),
    side(2, { a: [1, 2, 3] }, [130, 260, undefined]),
  ], [PSS, RSS, AVG]);
  assert.deepEqual(table.totals.map(basics), [
    series(100, 130, 90, 130),
    series(200, 260, 200, 260),
    undefined,
  ]);
});

Deno.test("a key twice on one side counts once, its last row winning, as in diffSides()", () => {
  const twice: KeyedSide = {
    rows: [{ key: "a", labels: ["x"], values: [1, 1] }, {
      key: "a",
      labels: ["y"],
      values: [5, 5],
    }],
    totals: [6, 6],
  };
  const table = fold([side(0, { a: [2, 2] }), twice]);
  assert.deepEqual(rowOf(table, "a").seen, 2);
  assert.deepEqual(basics(rowOf(table, "a").series[0]), series(2, 5, 2, 5));
  assert.deepEqual(rowOf(table, "a").labels, ["y"]);
});

Deno.test("an empty trend has no rows, no times and unknown totals", () => {
  const table = fold([]);
  assert.equal(table.snapshots, 0);
  assert.equal(table.firstTakenAt, null);
  assert.deepEqual(table.rows, []);
  assert.equal(table.totals[0]!.first, undefined);
});

Deno.test("the fold equals a brute-force reading of the whole series (random recordings)", () => {
  const random = seededRandom(5);
  for (let round = 0; round < 300; round++) {
    const snapshots = random.int(1, 12);
    const keys = ["a", "b", "c", "d", "e"].slice(0, random.int(1, 5));
    // matrix[s][k]: the row's values in snapshot s, or absent.
    const matrix = Array.from(
      { length: snapshots },
      () =>
        keys.map((): number[] | undefined =>
          random.next() < 0.25 ? undefined : [random.int(0, 6), random.int(-3, 3) * 1000]
        ),
    );
    const table = fold(matrix.map((rows, s) =>
      side(
        s,
        Object.fromEntries(keys.flatMap((k, i) => rows[i] === undefined ? [] : [[k, rows[i]]])),
        [s, -s],
      )
    ));
    for (const [i, key] of keys.entries()) {
      const present = matrix.flatMap((rows, s) => rows[i] === undefined ? [] : [{ s, v: rows[i] }]);
      const row = table.rows.find((r) => r.key === key);
      if (present.length === 0) {
        assert.equal(row, undefined);
        continue;
      }
      assert.ok(row);
      assert.equal(row.seen, present.length);
      assert.equal(row.firstSeen, present[0]!.s);
      assert.equal(row.lastSeen, present.at(-1)!.s);
      for (const m of [0, 1]) {
        assert.deepEqual(
          row.series[m],
          bruteForce(present.map((p) => p.v[m]!), present.map((p) => p.s)),
        );
      }
    }
    assert.equal(table.rows.length, keys.filter((_, i) => matrix.some((r) => r[i])).length);
    const steps = Array.from({ length: snapshots }, (_, s) => s);
    assert.deepEqual(table.totals, [bruteForce(steps), bruteForce(steps.map((s) => -s))]);
  }
});

/** What a series is, read off the whole of it (at one snapshot a second, from snapshot 0). */
function bruteForce(values: readonly number[], seconds?: readonly number[]): Series {
  const times = (seconds ?? values.map((_, i) => i)).map((second) => second * 1000);
  const { ratePerHour, recentRatePerHour, z, ...rest } = seriesOf(values, times);
  return {
    ...rest,
    first: rest.first!,
    last: rest.last!,
    min: rest.min!,
    max: rest.max!,
    growth: rest.growth!,
    ratePerHour: ratePerHour ?? undefined,
    recentRatePerHour: recentRatePerHour ?? undefined,
    z: z ?? undefined,
  };
}
