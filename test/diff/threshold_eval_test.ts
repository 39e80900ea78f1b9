import assert from "node:assert/strict";
import { diffSides, type DiffTable, type KeyedSide } from "../../src/diff/diff_table.ts";
import { parseThreshold, type ThresholdView } from "../../src/diff/threshold.ts";
import { crossings, metricsByView, missingScopes } from "../../src/diff/threshold_eval.ts";
import { describeCrossings } from "../../src/render/threshold_text.ts";
import type { Column } from "../../src/view/column.ts";
import { processView } from "../../src/view/processes.ts";
import type { ColumnInfo } from "../../src/view/table.ts";
import { seededRandom } from "../_helpers/random.ts";

const info = <Row>({ value: _, ...rest }: Column<Row>): ColumnInfo => rest;
const LABELS = [info(processView.columns.pid), info(processView.columns.name)];
const METRICS = [
  info(processView.columns.pss),
  info(processView.columns.rss),
  info(processView.columns.swap),
];

/** A side of processes keyed pid@start, with pss, rss and (unknown) swap. */
function side(rows: [key: string, name: string, pss: number, rss: number][]): KeyedSide {
  return {
    rows: rows.map(([key, name, pss, rss]) => ({
      key,
      labels: [Number(key.split("@")[0]), name],
      values: [pss, rss, undefined],
    })),
    totals: [
      rows.reduce((sum, row) => sum + row[2], 0),
      rows.reduce((sum, row) => sum + row[3], 0),
      undefined,
    ],
  };
}

const A = side([
  ["10@5", "python3", 1000, 2000],
  ["11@5", "bash", 500, 800],
  ["12@5", "old", 300, 400],
  ["13@5", "idle", 0, 100],
]);
const B = side([
  ["10@5", "python3", 1500, 2100],
  ["11@5", "bash", 400, 800],
  ["13@5", "idle", 200, 100],
  ["14@9", "fresh", 700, 900],
  // Pid 12 reused by a new process.
  ["12@7", "reuse", 100, 100],
]);
const TABLE = diffSides(A, B, { labels: LABELS, metrics: METRICS });
const known = () => METRICS.map((m) => m.id);

/** Evaluates expressions on TABLE, recording what was asked of tableFor. */
function evaluate(...texts: string[]) {
  const asked: [ThresholdView, readonly string[]][] = [];
  const result = crossings(texts.map((text) => parseThreshold(text, known)), (view, metrics) => {
    asked.push([view, metrics]);
    return TABLE;
  });
  return { result, asked };
}

/** The keys of the rows that crossed the only threshold. */
const crossedKeys = (text: string) => evaluate(text).result.results[0]!.rows.map((r) => r.key);

Deno.test("crossings(): a kB threshold counts a new row's change as B and a gone row's as minus A; largest first", () => {
  assert.deepEqual(crossedKeys("pss>+400"), ["14@9", "10@5"]);
  assert.deepEqual(crossedKeys("pss>=+500"), ["14@9", "10@5"]);
  assert.deepEqual(crossedKeys("pss>+500"), ["14@9"]);
  assert.deepEqual(crossedKeys("pss<-200"), ["12@5"]);
  // For < the most negative first.
  assert.deepEqual(crossedKeys("pss<=-100"), ["12@5", "11@5"]);
  assert.deepEqual(crossedKeys("pss<-100"), ["12@5"]);
  assert.deepEqual(crossedKeys("rss>0"), ["14@9", "10@5", "12@7"]);
  assert.deepEqual(crossedKeys("pss>+1M"), []);
});

Deno.test("crossings(): a percent threshold skips rows without a value in A (new, or 0)", () => {
  // 13@5 grew from 0 (no percent), 14@9 and 12@7 are new.
  assert.deepEqual(crossedKeys("pss>+40%"), ["10@5"]);
  assert.deepEqual(crossedKeys("pss>=+50%"), ["10@5"]);
  assert.deepEqual(crossedKeys("pss>+50%"), []);
  // A gone row shrank by 100 %.
  assert.deepEqual(crossedKeys("pss<=-100%"), ["12@5"]);
  assert.deepEqual(crossedKeys("pss<-10%"), ["12@5", "11@5"]);
  assert.deepEqual(crossedKeys("pss<-20%"), ["12@5"]);
});

Deno.test("crossings() compares percents exactly: +7 % of 100 kB is 107 kB", () => {
  const table = diffSides(
    side([["1@1", "a", 100, 100], ["2@1", "b", 3, 3]]),
    side([["1@1", "a", 107, 107], ["2@1", "b", 4, 4]]),
    { labels: LABELS, metrics: METRICS },
  );
  // In floating point, 7 / 100 * 100 is 7.000000000000001.
  assert.equal(table.rows[0]!.changes[0]!.percent, 7.000000000000001);
  const keys = (text: string) =>
    crossings([parseThreshold(text, known)], () => table).results[0]!.rows.map((r) => r.key);
  assert.deepEqual(keys("pss>+7%"), ["2@1"]);
  assert.deepEqual(keys("pss>=+7%"), ["2@1", "1@1"]);
  assert.deepEqual(keys("pss<=+7%"), ["1@1"]);
  // One third: 33.33... %.
  assert.deepEqual(keys("pss>+33.3%"), ["2@1"]);
  assert.deepEqual(keys("pss>+33.34%"), []);
});

Deno.test("crossings(): pid[N] names every process with that pid, a reused pid's too", () => {
  assert.deepEqual(crossedKeys("pid[12].pss<0"), ["12@5"]);
  assert.deepEqual(crossedKeys("pid[12].pss>0"), ["12@7"]);
  assert.deepEqual(crossedKeys("pid[12].rss>=-400"), ["12@7", "12@5"]);
  assert.deepEqual(crossedKeys("pid[1].pss>0"), []);
});

Deno.test("crossings(): total compares the totals' change", () => {
  // Totals: pss 1800 → 2900 (+1100, +61.1 %).
  const { result } = evaluate(
    "total.pss>+60%",
    "total.pss>+62%",
    "total.pss>=+1100",
    "total.pss<0",
  );
  assert.deepEqual(result.results.map((r) => r.crossed), [true, false, true, false]);
  assert.deepEqual(result.results[0]!.total, {
    a: 1800,
    b: 2900,
    change: 1100,
    percent: (1100 / 1800) * 100,
  });
  assert.deepEqual(result.results[0]!.rows, []);
  assert.equal(result.crossed, true);
  assert.deepEqual(result.warnings, []);
});

Deno.test("crossings() asks for each view's table once, with every metric its thresholds need: metricsByView()", () => {
  const { result, asked } = evaluate("pss>1", "total.rss>1", "pss<0", "pid[10].swap>1");
  assert.deepEqual(asked, [["shown", ["pss", "rss"]], ["processes", ["swap"]]]);
  assert.deepEqual(asked, [...metricsByView(result.results.map((r) => r.threshold))]);
  assert.equal(result.results.length, 4);
});

Deno.test("crossings() warns about what it cannot evaluate: a name on neither side, a percent without A, a metric without values", () => {
  const { result } = evaluate(
    "pid[99].pss>0",
    "pid[14].pss>+1%",
    "swap>0",
    "total.swap>0",
    "pid[10].pss>+10%",
  );
  assert.deepEqual(result.results.map((r) => r.crossed), [false, false, false, false, true]);
  assert.equal(result.crossed, true);
  assert.deepEqual(result.warnings, [
    '--fail-if "pid[99].pss>0": no pid[99] on either side',
    '--fail-if "pid[14].pss>+1%": pid[14] has no value in A to take a percent of (new, or 0): use an amount in kB',
    '--fail-if "swap>0": no Swap value on either side',
    '--fail-if "total.swap>0": no total Swap',
  ]);
});

Deno.test("crossings() warns when no row has a value in A to take a percent of: every row is new", () => {
  const table = diffSides(side([]), B, { labels: LABELS, metrics: METRICS });
  const result = crossings([parseThreshold("pss>+10%", known)], () => table);
  assert.deepEqual(result.warnings, [
    '--fail-if "pss>+10%": no row has a value in A to take a percent of (new, or 0): use an amount in kB',
  ]);
  assert.equal(result.crossed, false);
});

Deno.test("crossings() on an empty diff crosses nothing and warns about nothing", () => {
  const empty = diffSides(side([]), side([]), { labels: LABELS, metrics: METRICS });
  const result = crossings([parseThreshold("pss>0", known)], () => empty);
  assert.deepEqual({ crossed: result.crossed, warnings: result.warnings }, {
    crossed: false,
    warnings: [],
  });
});

Deno.test("crossings() refuses a table without the metric asked for: a caller's bug", () => {
  const narrow: DiffTable = { ...TABLE, metrics: METRICS.slice(1) };
  assert.throws(
    () => crossings([parseThreshold("pss>0", known)], () => narrow),
    /The diff has no column "pss"/,
  );
});

Deno.test("describeCrossings() lists the crossed thresholds and their rows, in smem's units or in kB", () => {
  const { result } = evaluate("pss>+400", "total.pss>+5%", "pss<-100%", "pss<=-100");
  assert.deepEqual(describeCrossings(result, { units: true }), [
    'memsnap: --fail-if "pss>+400" crossed by 2 rows:',
    "  14 fresh  PSS +700.0K (new)",
    "  10 python3  PSS +500.0K (+50.0 %), 1000.0K → 1.5M",
    'memsnap: --fail-if "total.pss>+5%" crossed: total PSS +1.1M (+61.1 %), 1.8M → 2.8M',
    'memsnap: --fail-if "pss<=-100" crossed by 2 rows:',
    "  12 old  PSS -300.0K (gone)",
    "  11 bash  PSS -100.0K (-20.0 %), 500.0K → 400.0K",
  ]);
  assert.deepEqual(describeCrossings(result, { units: false, maxRows: 1 }), [
    'memsnap: --fail-if "pss>+400" crossed by 2 rows:',
    "  14 fresh  PSS +700 kB (new)",
    "  ... and 1 row more",
    'memsnap: --fail-if "total.pss>+5%" crossed: total PSS +1100 kB (+61.1 %), 1800 kB → 2900 kB',
    'memsnap: --fail-if "pss<=-100" crossed by 2 rows:',
    "  12 old  PSS -300 kB (gone)",
    "  ... and 1 row more",
  ]);
});

Deno.test("describeCrossings(): a row that grew from 0 says so; long labels are cut", () => {
  const long = "x".repeat(80);
  const table = diffSides(side([["1@1", long, 0, 0]]), side([["1@1", long, 2048, 0]]), {
    labels: LABELS,
    metrics: METRICS,
  });
  const result = crossings([parseThreshold("pss>1M", known)], () => table);
  assert.deepEqual(describeCrossings(result, { units: true }), [
    'memsnap: --fail-if "pss>1M" crossed by 1 row:',
    `  1 ${"x".repeat(57)}…  PSS +2.0M (from 0), 0 → 2.0M`,
  ]);
});

Deno.test("describeCrossings() writes what a terminal would act on in a row's name visibly (\\x1b), before cutting it", () => {
  const hostile = "evil\x1b]0;pwned\x07\x1b[2J\rX\u009bY\u202eZ\nnext";
  const table = diffSides(side([["1@1", hostile, 0, 0]]), side([["1@1", hostile, 2048, 0]]), {
    labels: LABELS,
    metrics: METRICS,
  });
  const result = crossings([parseThreshold("pss>1M", known)], () => table);
  assert.deepEqual(describeCrossings(result, { units: true }), [
    'memsnap: --fail-if "pss>1M" crossed by 1 row:',
    "  1 evil\\x1b]0;pwned\\x07\\x1b[2J\\rX\\x9bY\\u202eZ\\nnext  PSS +2.0M (from 0), 0 → 2.0M",
  ]);
});

Deno.test("crossings() property: pss>X crosses exactly the rows whose change is above X; pss<=X the others", () => {
  const random = seededRandom(5);
  for (let round = 0; round < 300; round++) {
    const keys = Array.from({ length: random.int(0, 12) }, (_, i) => `${i}@1`);
    const draw = () =>
      keys.filter(() => random.next() < 0.75).map((key): [string, string, number, number] => [
        key,
        "p",
        random.int(0, 4) === 0 ? 0 : random.int(1, 5000),
        0,
      ]);
    const [a, b] = [draw(), draw()];
    const table = diffSides(side(a), side(b), { labels: LABELS, metrics: METRICS });
    const x = random.int(-3000, 3000);
    const percent = random.int(-100, 300);
    const keysOf = (text: string) =>
      new Set(
        crossings([parseThreshold(text, known)], () => table).results[0]!.rows.map((r) => r.key),
      );
    // The expected rows, from the sides' own numbers.
    const pssA = new Map(a.map(([key, , pss]) => [key, pss]));
    const pssB = new Map(b.map(([key, , pss]) => [key, pss]));
    const all = [...new Set([...pssA.keys(), ...pssB.keys()])];
    const change = (key: string) => (pssB.get(key) ?? 0) - (pssA.get(key) ?? 0);
    const above = new Set(all.filter((key) => change(key) > x));
    assert.deepEqual(keysOf(`pss>${x}`), above);
    assert.deepEqual(keysOf(`pss<=${x}`), new Set(all.filter((key) => !above.has(key))));
    assert.deepEqual(keysOf(`pss>${x / 1024}M`), above);
    // Percent: only rows with a value in A, exactly (integers: no rounding).
    const grewBy = all.filter((key) =>
      (pssA.get(key) ?? 0) > 0 && change(key) * 100 > percent * pssA.get(key)!
    );
    assert.deepEqual(keysOf(`pss>${percent}%`), new Set(grewBy));
  }
});

Deno.test("crossings(): each threshold's value is the change furthest its way, crossed or not", () => {
  const { result } = evaluate("pss>+1M", "pss<-1M", "pss>+40%", "pid[12].pss<0", "total.rss>0");
  assert.deepEqual(
    result.results.map((r) => [r.crossed, r.value, r.valueRow?.key, r.missing]),
    [
      // 14@9, new with 700 kB, grew most; not by 1 MiB.
      [false, 700, "14@9", false],
      // 12@5 is gone: -300 kB.
      [false, -300, "12@5", false],
      // In %: 10@5 grew by 50 % (new rows and 13@5, from 0, have none).
      [true, 50, "10@5", false],
      // Both processes of pid 12: the gone one is furthest down.
      [true, -300, "12@5", false],
      [true, 700, undefined, false],
    ],
  );
});

Deno.test("crossings(): a named row on neither side is missing, not evaluated, and warned of", () => {
  const { result } = evaluate("command[nope].pss>0", "pid[99].rss>0", "swap>0");
  assert.deepEqual(
    result.results.map((r) => [r.crossed, r.missing, r.value, r.unevaluated]),
    [
      [false, true, undefined, "no command[nope] on either side"],
      [false, true, undefined, "no pid[99] on either side"],
      // Unknown everywhere: not evaluated, but it names rows.
      [false, false, undefined, "no Swap value on either side"],
    ],
  );
  assert.deepEqual(missingScopes(result).map((r) => r.threshold.text), [
    "command[nope].pss>0",
    "pid[99].rss>0",
  ]);
  assert.deepEqual(result.warnings, [
    '--fail-if "command[nope].pss>0": no command[nope] on either side',
    '--fail-if "pid[99].rss>0": no pid[99] on either side',
    '--fail-if "swap>0": no Swap value on either side',
  ]);
});
