import assert from "node:assert/strict";
import type { CellValue, Column, TotalRule } from "../../src/view/column.ts";
import { buildTable, compareTuples } from "../../src/view/table.ts";
import type { TableSpec } from "../../src/view/table.ts";
import { python } from "../_helpers/python.ts";
import { type Random, seededRandom } from "../_helpers/random.ts";

type Row = Readonly<Record<"a" | "b" | "c", CellValue>>;
type Id = "a" | "b" | "c";

function col(id: Id, total: TotalRule): Column<Row> {
  return {
    id,
    header: id.toUpperCase(),
    description: `column ${id}`,
    layout: { align: "right", width: 5, truncate: false },
    quantity: "count",
    total,
    value: (row) => row[id],
  };
}

function spec(totals: Record<Id, TotalRule> = { a: "sum", b: "count", c: "distinct" }) {
  return {
    columns: { a: col("a", totals.a), b: col("b", totals.b), c: col("c", totals.c) },
  } satisfies TableSpec<Row, Id>;
}

/** Python's sort, given memsnap's rule for mixed types: None < numbers < text. */
const PYTHON_KEY = `
def tag(v):
    if v is None:
        return (0,)
    if isinstance(v, str):
        return (2, v)
    return (1, v)
def key(t):
    return tuple(tag(v) for v in t)
`;

Deno.test("compareTuples() orders like Python's tuple comparison", () => {
  assert.ok(compareTuples([1, "b"], [1, "c"]) < 0);
  assert.ok(compareTuples([2], [1, "z"]) > 0);
  assert.equal(compareTuples([1, "a"], [1, "a"]), 0);
  // A prefix sorts first.
  assert.ok(compareTuples([1], [1, 0]) < 0);
  assert.ok(compareTuples([], [undefined]) < 0);
  // Unknown first, then numbers, then text.
  assert.ok(compareTuples([undefined], [-1e9]) < 0);
  assert.ok(compareTuples([1e12], ["0"]) < 0);
  assert.ok(compareTuples(["a"], [undefined]) > 0);
  assert.equal(compareTuples([undefined], [undefined]), 0);
  // Text by code point: U+1F600 (a surrogate pair) after U+FFFF, unlike UTF-16 order.
  assert.ok(compareTuples(["😀"], ["\uffff"]) > 0);
  assert.ok(compareTuples(["😀"], ["\ue000"]) > 0);
  assert.ok(compareTuples(["B"], ["a"]) < 0);
  assert.ok(compareTuples(["ab"], ["a"]) > 0);
  assert.ok(compareTuples([""], ["a"]) < 0);
});

const STRINGS = ["", "a", "ab", "b", "B", "é", "\ue000", "\uffff", "😀", "😀a", "𝔘", "10", "9"];

function randomValue(random: Random): CellValue {
  switch (random.int(0, 4)) {
    case 0:
      return undefined;
    case 1:
      return random.int(-3, 3);
    case 2:
      return random.pick([0, 1, 2, 2 ** 40, -0.5, 1.5]);
    default:
      return random.pick(STRINGS);
  }
}

Deno.test("compareTuples() sorts as Python's sorted() does, forward and reverse (stable)", async () => {
  const random = seededRandom(3);
  const tuples = Array.from(
    { length: 600 },
    () => Array.from({ length: random.int(0, 3) }, () => randomValue(random)),
  );
  const expected = await python<[number[], number[]]>(
    `import json, sys
${PYTHON_KEY}
tuples = json.load(sys.stdin)
order = list(range(len(tuples)))
print(json.dumps([sorted(order, key=lambda i: key(tuples[i])),
                  sorted(order, key=lambda i: key(tuples[i]), reverse=True)]))`,
    tuples.map((t) => t.map((v) => v ?? null)),
  );
  const order = tuples.map((_, i) => i);
  const forward = [...order].sort((i, j) => compareTuples(tuples[i]!, tuples[j]!));
  const reverse = [...order].sort((i, j) => -compareTuples(tuples[i]!, tuples[j]!));
  assert.deepEqual(forward, expected[0]);
  // Fully equal tuples keep their order in reverse too, as sort(reverse=True) keeps it.
  assert.deepEqual(reverse, expected[1]);
});

Deno.test("buildTable() sorts rows as smem sorts (key, row) tuples, on generated rows", async () => {
  const random = seededRandom(11);
  const cases = Array.from({ length: 200 }, () => {
    const ids = (["a", "b", "c"] as const).filter(() => random.next() < 0.7);
    if (ids.length === 0) ids.push("b");
    const rows: Row[] = Array.from({ length: random.int(0, 12) }, () => ({
      // Few distinct values, so that ties are broken by the following cells.
      a: random.pick([undefined, 1, 2, "x"]),
      b: random.pick([undefined, 0, 5, "😀", "\uffff"]),
      c: randomValue(random),
    }));
    return { ids, rows, sort: random.pick(["a", "b", "c"] as const), reverse: random.next() < 0.5 };
  });
  const expected = await python<CellValue[][][]>(
    `import json, sys
${PYTHON_KEY}
out = []
for case in json.load(sys.stdin):
    rows = [(r[case['sort']], [r[c] for c in case['ids']]) for r in case['rows']]
    rows.sort(key=lambda kr: key((kr[0],) + tuple(kr[1])), reverse=case['reverse'])
    out.append([cells for _, cells in rows])
print(json.dumps(out))`,
    cases.map((c) => ({
      ...c,
      rows: c.rows.map((r) => ({ a: r.a ?? null, b: r.b ?? null, c: r.c ?? null })),
    })),
  );
  const view = spec();
  cases.forEach(({ ids, rows, sort, reverse }, i) => {
    const table = buildTable(view, rows, { columns: ids, sort, reverse });
    const cells = table.rows.map((r) => r.map((v) => v ?? null));
    assert.deepEqual(cells, expected[i], `case ${i}: ${JSON.stringify({ ids, sort, reverse })}`);
  });
});

Deno.test("buildTable() breaks ties on the sort column with the row's cells left to right", () => {
  const rows: Row[] = [
    { a: 1, b: "z", c: 2 },
    { a: 1, b: "a", c: 9 },
    { a: 0, b: "m", c: 5 },
    { a: 1, b: "a", c: 3 },
  ];
  const table = buildTable(spec(), rows, { columns: ["b", "c"], sort: "a", reverse: false });
  assert.deepEqual(table.rows, [["m", 5], ["a", 3], ["a", 9], ["z", 2]]);
  const reversed = buildTable(spec(), rows, { columns: ["b", "c"], sort: "a", reverse: true });
  assert.deepEqual(reversed.rows, [["z", 2], ["a", 9], ["a", 3], ["m", 5]]);
});

Deno.test("buildTable() may sort on a column it does not show", () => {
  const rows: Row[] = [{ a: 3, b: "x", c: 0 }, { a: 1, b: "y", c: 0 }, { a: 2, b: "z", c: 0 }];
  const table = buildTable(spec(), rows, { columns: ["b"], sort: "a", reverse: false });
  assert.deepEqual(table.rows, [["y"], ["z"], ["x"]]);
});

Deno.test("buildTable() describes the chosen columns, in the order asked, without accessors", () => {
  const table = buildTable(spec(), [], { columns: ["c", "a"], sort: "a", reverse: false });
  assert.deepEqual(table.columns, [
    {
      id: "c",
      header: "C",
      description: "column c",
      layout: { align: "right", width: 5, truncate: false },
      quantity: "count",
      total: "distinct",
    },
    {
      id: "a",
      header: "A",
      description: "column a",
      layout: { align: "right", width: 5, truncate: false },
      quantity: "count",
      total: "sum",
    },
  ]);
  assert.deepEqual(table.rows, []);
});

Deno.test("buildTable() totals: count of rows, distinct values, sum, none", () => {
  const rows: Row[] = [
    { a: 10, b: "x", c: "root" },
    { a: 5, b: "y", c: "bob" },
    { a: 7, b: "z", c: "root" },
  ];
  const counted = buildTable(spec({ a: "sum", b: "count", c: "distinct" }), rows, {
    columns: ["a", "b", "c"],
    sort: "a",
    reverse: false,
  });
  assert.deepEqual(counted.totals, [22, 3, 2]);
  const none = buildTable(spec({ a: "none", b: "none", c: "none" }), rows, {
    columns: ["a", "b", "c"],
    sort: "a",
    reverse: false,
  });
  assert.deepEqual(none.totals, [undefined, undefined, undefined]);
});

Deno.test("buildTable() sums the known values; a column with none known totals as unknown", () => {
  const rows: Row[] = [
    { a: 4, b: undefined, c: 1 },
    { a: undefined, b: undefined, c: 1 },
    { a: 6, b: undefined, c: undefined },
  ];
  const table = buildTable(spec({ a: "sum", b: "sum", c: "distinct" }), rows, {
    columns: ["a", "b", "c"],
    sort: "a",
    reverse: false,
  });
  assert.deepEqual(table.totals, [10, undefined, 2]);
});
