import assert from "node:assert/strict";
import {
  MissingMeminfoError,
  type SystemRow,
  systemRows,
  type SystemSizes,
  systemView,
} from "../../src/view/system.ts";
import { buildTable } from "../../src/view/table.ts";
import { python } from "../_helpers/python.ts";
import { seededRandom } from "../_helpers/random.ts";

const MEMINFO = {
  MemTotal: 16_000_000,
  MemFree: 9_000_000,
  MemAvailable: 12_000_000,
  Buffers: 100_000,
  Cached: 3_000_000,
  SwapTotal: 2_000_000,
  AnonPages: 1_500_000,
  Mapped: 400_000,
  SReclaimable: 250_000,
};

Deno.test("systemRows() splits memory into smem's five areas", () => {
  assert.deepEqual(systemRows(MEMINFO, {}), [
    { order: 0, area: "firmware/hardware", used: 0, cache: 0 },
    { order: 1, area: "kernel image", used: 0, cache: 0 },
    // 16000000 - 9000000 - (1500000 + 400000); cache 100000 + 250000 + (3000000 - 400000).
    { order: 2, area: "kernel dynamic memory", used: 5_100_000, cache: 2_950_000 },
    { order: 3, area: "userspace memory", used: 1_900_000, cache: 400_000 },
    { order: 4, area: "free memory", used: 9_000_000, cache: 9_000_000 },
  ]);
});

Deno.test("systemRows() with -R counts what MemTotal lacks as firmware, less the kernel image", () => {
  const rows = systemRows(MEMINFO, { realMemKb: 16_777_216, kernelKb: 12_000 });
  assert.deepEqual(rows[0], { order: 0, area: "firmware/hardware", used: 765_216, cache: 0 });
  assert.deepEqual(rows[1], { order: 1, area: "kernel image", used: 12_000, cache: 0 });
  assert.equal(rows[2]!.used, 5_100_000);
});

Deno.test("systemRows() never shows negative firmware (-R below MemTotal)", () => {
  const rows = systemRows(MEMINFO, { realMemKb: 1_000, kernelKb: 500 });
  assert.equal(rows[0]!.used, 0);
  assert.equal(rows[1]!.used, 500);
});

Deno.test("systemRows() throws MissingMeminfoError naming every missing field", () => {
  const { Mapped: _, SReclaimable: __, ...old } = MEMINFO;
  assert.throws(() => systemRows(old, {}), (error: unknown) => {
    assert.ok(error instanceof MissingMeminfoError);
    assert.equal(error.name, "MissingMeminfoError");
    assert.equal(
      error.message,
      'Cannot show the system view: meminfo has no "Mapped", "SReclaimable"',
    );
    return true;
  });
  for (const key of ["MemTotal", "MemFree", "AnonPages", "Buffers", "Cached"]) {
    const partial: Record<string, number> = { ...MEMINFO };
    delete partial[key];
    assert.throws(() => systemRows(partial, {}), MissingMeminfoError, key);
  }
});

Deno.test("systemView table: noncache = used - cache, totals of the amounts only", () => {
  const table = buildTable(systemView, systemRows(MEMINFO, {}), {
    columns: ["order", "area", "used", "cache", "noncache"],
    sort: "order",
    reverse: false,
  });
  assert.deepEqual(table.rows, [
    [0, "firmware/hardware", 0, 0, 0],
    [1, "kernel image", 0, 0, 0],
    [2, "kernel dynamic memory", 5_100_000, 2_950_000, 2_150_000],
    [3, "userspace memory", 1_900_000, 400_000, 1_500_000],
    [4, "free memory", 9_000_000, 9_000_000, 0],
  ]);
  assert.deepEqual(table.totals, [undefined, undefined, 16_000_000, 12_350_000, 3_650_000]);
  assert.deepEqual(systemView.defaultColumns, ["area", "used", "cache", "noncache"]);
  assert.equal(systemView.defaultSort, "order");
  assert.deepEqual(systemView.columns.used.layout, { align: "right", width: 10, truncate: false });
  assert.deepEqual(systemView.columns.area.layout, { align: "left", width: 24, truncate: false });
});

/**
 * smem's showsystem(), taken from /usr/bin/smem as it is, with showtable()
 * replaced by one that records the rows it is given.
 */
const SMEM_SHOWSYSTEM = `
import ast, json, sys
tree = ast.parse(open('/usr/bin/smem').read())
body = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == 'showsystem']
ns = {}
exec(compile(ast.Module(body=body, type_ignores=[]), '/usr/bin/smem', 'exec'), ns)
out = []
def showtable(rows, fields, columns, sort):
    out[-1] = [[fields['area'][1](n), fields['used'][1](n), fields['cache'][1](n),
                fields['noncache'][1](n)] for n in rows]
ns['showtable'] = showtable
ns['options'] = type('Options', (), {'columns': None, 'sort': None})
for case in json.load(sys.stdin):
    meminfo = {k.lower(): v for k, v in case['meminfo'].items()}
    ns['memory'] = lambda: meminfo
    ns['totalmem'] = lambda: case['realMemKb'] if case['realMemKb'] is not None else meminfo['memtotal']
    ns['kernelsize'] = lambda: case['kernelKb'] or 0
    out.append(None)
    ns['showsystem']()
print(json.dumps(out))
`;

Deno.test("systemRows() equals smem's showsystem() formulas on generated meminfo, with -R and -K", async () => {
  const random = seededRandom(5);
  const cases = Array.from({ length: 300 }, () => {
    const memTotal = random.int(1, 2 ** 36);
    const part = () => random.int(0, memTotal);
    const meminfo = {
      MemTotal: memTotal,
      MemFree: part(),
      AnonPages: part(),
      Mapped: part(),
      Buffers: part(),
      SReclaimable: part(),
      Cached: part(),
    };
    const sizes: SystemSizes = {
      ...(random.next() < 0.5 && { realMemKb: random.int(1, 2 ** 37) }),
      ...(random.next() < 0.5 && { kernelKb: random.int(0, 100_000) }),
    };
    return { meminfo, sizes };
  });
  const expected = await python<[string, number, number, number][][]>(
    SMEM_SHOWSYSTEM,
    cases.map(({ meminfo, sizes }) => ({
      meminfo,
      realMemKb: sizes.realMemKb ?? null,
      kernelKb: sizes.kernelKb ?? null,
    })),
  );
  cases.forEach(({ meminfo, sizes }, i) => {
    const rows: SystemRow[] = systemRows(meminfo, sizes);
    const table = buildTable(systemView, rows, {
      columns: ["area", "used", "cache", "noncache"],
      sort: "order",
      reverse: false,
    });
    assert.deepEqual(table.rows, expected[i], `case ${i}: ${JSON.stringify({ meminfo, sizes })}`);
  });
});
