import assert from "node:assert/strict";
import { type AmountStyle, renderText, type TextOptions } from "../../src/render/table_text.ts";
import type { CellValue, Layout, Quantity, TotalRule } from "../../src/view/column.ts";
import type { ColumnInfo, Table } from "../../src/view/table.ts";
import { type Random, seededRandom } from "../_helpers/random.ts";
import { python } from "../_helpers/python.ts";

/** A test column: memsnap's description and smem's printf format for it. */
interface TestColumn {
  readonly info: ColumnInfo;
  /** smem's format, e.g. `% 8a`. */
  readonly smemFormat: string;
}

function column(
  id: string,
  header: string,
  layout: Layout,
  quantity: Quantity,
  total: TotalRule,
  smemFormat: string,
): TestColumn {
  return { info: { id, header, description: id, layout, quantity, total }, smemFormat };
}

const R = (width: number): Layout => ({ align: "right", width, truncate: false });
const L = (width: number, truncate = false): Layout => ({ align: "left", width, truncate });

/** smem's fields, as memsnap describes them. */
const COLUMNS = {
  pid: column("pid", "PID", R(5), "count", "count", "% 5s"),
  user: column("user", "User", L(8), "text", "distinct", "%-8s"),
  name: column("name", "Name", L(24, true), "text", "none", "%-24.24s"),
  command: column("command", "Command", L(27, true), "text", "none", "%-27.27s"),
  maps: column("maps", "Maps", R(5), "count", "sum", "% 5s"),
  swap: column("swap", "Swap", R(8), "swap", "sum", "% 8a"),
  uss: column("uss", "USS", R(8), "memory", "sum", "% 8a"),
  pss: column("pss", "PSS", R(8), "memory", "sum", "% 8a"),
  rss: column("rss", "RSS", R(8), "memory", "sum", "% 8a"),
  vss: column("vss", "VSS", R(8), "memory", "sum", "% 8a"),
  map: column("map", "Map", L(40, true), "text", "count", "%-40.40s"),
  count: column("count", "Count", R(5), "count", "sum", "% 5s"),
  area: column("area", "Area", L(24), "text", "none", "%-24s"),
  used: column("used", "Used", R(10), "memory", "sum", "%10a"),
  order: column("order", "Order", R(1), "count", "none", "% 1s"),
} as const;

type ColumnId = keyof typeof COLUMNS;

/** The totals smem computes: len, distinct, sum, or none. */
function totalsOf(columns: readonly TestColumn[], rows: readonly CellValue[][]): CellValue[] {
  return columns.map(({ info }, i) => {
    const values = rows.map((row) => row[i]);
    switch (info.total) {
      case "count":
        return values.length;
      case "distinct":
        return new Set(values).size;
      case "sum":
        return values.reduce<number>((a, b) => a + (b as number), 0);
      case "none":
        return undefined;
    }
  });
}

function table(ids: readonly ColumnId[], rows: CellValue[][]): Table {
  const columns = ids.map((id) => COLUMNS[id]);
  return { columns: columns.map((c) => c.info), rows, totals: totalsOf(columns, rows) };
}

const KB: AmountStyle = { kind: "kb" };
const plain: TextOptions = { header: true, totals: false, amounts: KB };

Deno.test("renderText() prints a header and rows with a space after every column", () => {
  const text = renderText(
    table(["pid", "user", "pss"], [[1, "root", 42], [23456, "bob", 7]]),
    plain,
  );
  assert.equal(
    text,
    "  PID User          PSS \n" +
      "    1 root           42 \n" +
      "23456 bob             7 \n",
  );
});

Deno.test("renderText() leaves the header out when asked (-H)", () => {
  const text = renderText(table(["pid", "pss"], [[1, 42]]), { ...plain, header: false });
  assert.equal(text, "    1       42 \n");
});

Deno.test("renderText() prints a line of dashes as long as the header, then the totals (-t)", () => {
  const t = table(["pid", "user", "command", "pss"], [
    [1, "root", "init", 10],
    [2, "root", "sshd", 20],
    [3, "bob", "bash", 30],
  ]);
  const text = renderText(t, { ...plain, totals: true });
  const lines = text.split("\n");
  assert.equal(lines[0], "  PID User     Command                          PSS ");
  assert.equal(lines[4], "-".repeat(lines[0]!.length));
  // pid counts rows, user counts distinct users, command has no total.
  assert.equal(lines[5], "    3 2                                          60 ");
  assert.equal(lines.length, 7);
  assert.equal(lines[6], "");
});

Deno.test("renderText() truncates left columns that smem truncates, and only those", () => {
  const long = "/usr/bin/python3 /usr/bin/some-long-program --flag";
  const text = renderText(table(["user", "command"], [["averyverylonguser", long]]), plain);
  assert.equal(
    text,
    "User     Command                     \n" +
      "averyverylonguser /usr/bin/python3 /usr/bin/s \n",
  );
});

Deno.test("renderText() counts code points, not UTF-16 units, for widths and truncation", () => {
  const text = renderText(table(["user", "name"], [["😀é", "😀".repeat(30)]]), plain);
  assert.equal(
    text,
    "User     Name                     \n" +
      "😀é       " + "😀".repeat(24) + " \n",
  );
});

Deno.test("renderText() writes what a terminal would act on visibly (\\x1b, \\u202e), and counts widths on what it shows", () => {
  const hostile = "evil\x1b]0;pwned\x07\x1b[2J\rX\u009bY\u202eZ";
  const shown = "evil\\x1b]0;pwned\\x07\\x1b[2J\\rX\\x9bY\\u202eZ";
  assert.equal(
    renderText(table(["pid", "command"], [[7, hostile]]), plain),
    "  PID Command                     \n" +
      `    7 ${shown.slice(0, 27)} \n`,
  );
  assert.equal(
    renderText(table(["pid", "user", "command"], [[7, "u\x1b", hostile]]), {
      ...plain,
      header: false,
      autosize: { terminalColumns: 200 },
    }),
    `7 u\\x1b ${shown} \n`,
  );
});

Deno.test("renderText() shows amounts with units with -k, totals included", () => {
  const t = table(["pid", "swap", "pss"], [[1, 0, 1536], [2, 1024, 2 ** 30]]);
  const text = renderText(t, { header: true, totals: true, amounts: { kind: "units" } });
  assert.equal(
    text,
    "  PID     Swap      PSS \n" +
      "    1        0     1.5M \n" +
      "    2     1.0M     1.0T \n" +
      "------------------------\n" +
      "    2     1.0M     1.0T \n",
  );
});

Deno.test("renderText() shows amounts as shares with -p: memory of MemTotal, swap of SwapTotal", () => {
  const t = table(["pid", "swap", "pss"], [[1, 50, 1], [2, 150, 3]]);
  const text = renderText(t, {
    header: true,
    totals: true,
    amounts: { kind: "percent", memTotal: 800, swapTotal: 200 },
  });
  assert.equal(
    text,
    "  PID     Swap      PSS \n" +
      "    1   25.00%    0.12% \n" +
      "    2   75.00%    0.38% \n" +
      "------------------------\n" +
      "    2  100.00%    0.50% \n",
  );
});

Deno.test("renderText() shows swap shares as N/A when SwapTotal is 0", () => {
  const t = table(["swap", "pss"], [[0, 400]]);
  const text = renderText(t, {
    header: true,
    totals: true,
    amounts: { kind: "percent", memTotal: 800, swapTotal: 0 },
  });
  assert.equal(
    text,
    "    Swap      PSS \n" +
      "     N/A   50.00% \n" +
      "------------------\n" +
      "     N/A   50.00% \n",
  );
});

Deno.test("renderText() prints unknown values as a dash, with or without -k and -p", () => {
  const t: Table = {
    columns: [COLUMNS.pid.info, COLUMNS.maps.info, COLUMNS.pss.info],
    rows: [[1, undefined, undefined]],
    totals: [1, undefined, undefined],
  };
  const expected = "  PID  Maps      PSS \n" +
    "    1     -        - \n" +
    "---------------------\n" +
    "    1     -        - \n";
  for (
    const amounts of [
      KB,
      { kind: "units" },
      { kind: "percent", memTotal: 10, swapTotal: 10 },
    ] as const
  ) {
    assert.equal(renderText(t, { header: true, totals: true, amounts }), expected);
  }
});

Deno.test("renderText() leaves the totals of columns without a total blank", () => {
  const t: Table = {
    columns: [COLUMNS.order.info, COLUMNS.area.info, COLUMNS.used.info],
    rows: [[0, "firmware/hardware", 0], [1, "free memory", 1234]],
    totals: [99, "ignored", 1234],
  };
  const text = renderText(t, { ...plain, totals: true });
  assert.equal(
    text,
    "Order Area                           Used \n" +
      "0 firmware/hardware                 0 \n" +
      "1 free memory                    1234 \n" +
      "------------------------------------------\n" +
      "                                 1234 \n",
  );
});

Deno.test("renderText() with no rows prints the header only", () => {
  assert.equal(renderText(table(["pid", "pss"], []), plain), "  PID      PSS \n");
  assert.equal(renderText(table(["pid", "pss"], []), { ...plain, header: false }), "");
});

Deno.test("renderText() autosize (-a) fits columns to values and the command column to the terminal", () => {
  const t = table(["pid", "user", "command", "pss"], [
    [1, "root", "/sbin/init splash", 123456],
    [22, "bob", "bash", 7],
  ]);
  // pid: max(1, 3, 1, 2) = 3; user: 4; pss: 6; command fits in 80 columns: 17.
  assert.equal(
    renderText(t, { ...plain, autosize: { terminalColumns: 80 } }),
    "PID User Command              PSS \n" +
      "  1 root /sbin/init splash 123456 \n" +
      " 22 bob  bash                   7 \n",
  );
  // 30 columns: 30 - (3 + 4 + 6) - 4 = 13 for the command, truncated.
  assert.equal(
    renderText(t, { ...plain, autosize: { terminalColumns: 30 } }),
    "PID User Command          PSS \n" +
      "  1 root /sbin/init sp 123456 \n" +
      " 22 bob  bash               7 \n",
  );
  // Never narrower than 10; without the header, PID is as wide as its values.
  assert.equal(
    renderText(t, { ...plain, header: false, autosize: { terminalColumns: 5 } }),
    " 1 root /sbin/init 123456 \n" +
      "22 bob  bash            7 \n",
  );
});

Deno.test("renderText() autosize (-a) gives amounts 7 columns with -k or -p", () => {
  const t = table(["pid", "pss"], [[1, 1]]);
  assert.equal(
    renderText(t, { ...plain, amounts: { kind: "units" }, autosize: { terminalColumns: 80 } }),
    "PID     PSS \n" +
      "  1    1.0K \n",
  );
  assert.equal(
    renderText(t, {
      header: false,
      totals: false,
      amounts: { kind: "percent", memTotal: 3, swapTotal: 0 },
      autosize: { terminalColumns: 80 },
    }),
    "1  33.33% \n",
  );
});

// --- Compared with smem's own showtable(), run by python3 ---

/**
 * Runs smem's units, showamount, autosize and showtable functions, taken
 * from /usr/bin/smem as they are, on each case; returns what they print.
 */
const SMEM_SHOWTABLE = `
import ast, contextlib, io, json, re, sys, types
tree = ast.parse(open('/usr/bin/smem').read())
wanted = {'units', 'showamount', 'autosize', 'showtable', 'showfields'}
body = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in wanted]
assert len(body) == len(wanted)
ns = {'re': re, 'sys': sys}
exec(compile(ast.Module(body=body, type_ignores=[]), '/usr/bin/smem', 'exec'), ns)

TOTALS = {'count': len, 'distinct': lambda x: len(dict.fromkeys(x)), 'sum': sum, 'none': None}

class FakeOs:
    def __init__(self, width):
        self.width = width
    def popen(self, command, mode='r'):
        return io.StringIO('24 %d\\n' % self.width)

out = []
for case in json.load(sys.stdin):
    rows = case['rows']
    fields = {'_order': ('', lambda n: n, '%s', None, '')}
    for i, c in enumerate(case['columns']):
        fields[c['id']] = (c['header'], lambda n, i=i: rows[n][i], c['format'], TOTALS[c['total']], '')
    o = case['options']
    ns['options'] = types.SimpleNamespace(
        no_header=not o['header'], totals=o['totals'], autosize=o['autosize'],
        abbreviate=o['amounts'] == 'units', percent=o['amounts'] == 'percent',
        reverse=False, pie=None, bar=None)
    ns['totalmem'] = lambda: case['memTotal']
    ns['memory'] = lambda: {'swaptotal': case['swapTotal']}
    ns['os'] = FakeOs(case['terminalColumns'])
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        ns['showtable'](list(range(len(rows))), fields, [c['id'] for c in case['columns']], '_order')
    out.append(buffer.getvalue())
print(json.dumps(out))
`;

const COMMANDS = [
  "",
  "bash",
  "/usr/bin/python3 /usr/bin/smem -t -k",
  "/opt/google/chrome/chrome --type=renderer --enable-features=X",
  "sh -c echo 'été' > /tmp/ü",
  "😀 astral 😀 characters in a long command line",
  "%s %d 100%",
];
const USERS = ["root", "bob", "averyverylongusername", "用户", "é", "www-data"];
const MAPS = [
  "<anonymous>",
  "[heap]",
  "/usr/lib/x86_64-linux-gnu/libc.so.6",
  "/memfd:😀 shm",
  "[vdso]",
];

interface Case {
  readonly ids: ColumnId[];
  readonly rows: CellValue[][];
  readonly options: TextOptions;
}

function randomCase(random: Random): Case {
  const families: ColumnId[][] = [
    ["pid", "user", "name", "command", "maps", "swap", "uss", "pss", "rss", "vss"],
    ["map", "count", "swap", "uss", "pss", "rss", "vss"],
    ["order", "area", "used"],
  ];
  const family = random.pick(families);
  const ids = family.filter(() => random.next() < 0.6);
  if (ids.length === 0) ids.push(family[0]!);
  const amount = (): number =>
    random.pick([
      0,
      random.int(0, 99),
      random.int(0, 99999),
      random.int(0, 2 ** random.int(1, 40)),
    ]);
  const cell = (id: ColumnId): CellValue => {
    switch (id) {
      case "pid":
        return random.int(1, 4194304);
      case "user":
        return random.pick(USERS);
      case "name":
      case "command":
        return random.pick(COMMANDS);
      case "map":
        return random.pick(MAPS);
      case "area":
        return random.pick(["firmware/hardware", "kernel dynamic memory", "free memory"]);
      case "maps":
      case "count":
        return random.int(0, 3000);
      case "order":
        return random.int(0, 4);
      default:
        return amount();
    }
  };
  const rows = Array.from({ length: random.int(0, 7) }, () => ids.map(cell));
  const memTotal = random.pick([0, 1, random.int(1, 2 ** 36)]);
  const swapTotal = random.pick([0, random.int(1, 2 ** 30)]);
  const amounts: AmountStyle = random.pick<AmountStyle>([
    KB,
    { kind: "units" },
    { kind: "percent", memTotal, swapTotal },
  ]);
  const autosize = random.next() < 0.5;
  return {
    ids,
    rows,
    options: {
      header: random.next() < 0.8,
      totals: random.next() < 0.6,
      amounts,
      ...(autosize && { autosize: { terminalColumns: random.pick([20, 60, 80, 132, 300]) } }),
    },
  };
}

Deno.test("renderText() prints what smem's own showtable() prints, on 400 generated tables", async () => {
  const random = seededRandom(1);
  const cases = Array.from({ length: 400 }, () => randomCase(random));
  const expected = await python<string[]>(
    SMEM_SHOWTABLE,
    cases.map(({ ids, rows, options }) => ({
      columns: ids.map((id) => {
        const { info, smemFormat } = COLUMNS[id];
        return { id, header: info.header, format: smemFormat, total: info.total };
      }),
      rows,
      options: {
        header: options.header,
        totals: options.totals,
        autosize: options.autosize !== undefined,
        amounts: options.amounts.kind,
      },
      memTotal: options.amounts.kind === "percent" ? options.amounts.memTotal : 1,
      swapTotal: options.amounts.kind === "percent" ? options.amounts.swapTotal : 1,
      terminalColumns: options.autosize?.terminalColumns ?? 80,
    })),
  );
  assert.equal(expected.length, cases.length);
  cases.forEach(({ ids, rows, options }, i) => {
    assert.equal(
      renderText(table(ids, rows), options),
      expected[i],
      `case ${i}: ${JSON.stringify({ ids, options })}`,
    );
  });
});

Deno.test("renderText() indents a tree's indented columns by depth, and -a makes room for it", () => {
  const name: ColumnInfo = { ...COLUMNS.name.info, layout: L(10, true), indented: true };
  const table: Table = {
    columns: [COLUMNS.pid.info, name],
    rows: [[1, "init"], [20, "service"], [300, "worker-process"]],
    totals: [3, undefined],
    depths: [0, 1, 2],
  };
  const options: TextOptions = { header: false, totals: false, amounts: { kind: "kb" } };
  assert.equal(
    renderText(table, options),
    // Wider by the deepest row's indent: depth does not eat the name.
    "    1 init           \n   20   service      \n  300     worker-pro \n",
  );
  assert.equal(
    renderText(table, { ...options, autosize: { terminalColumns: 80 } }),
    "  1 init               \n 20   service          \n300     worker-process \n",
  );
});

Deno.test("renderText() cuts a keepEnd column from the start, keeping the end after an ellipsis", () => {
  const cgroup: ColumnInfo = {
    id: "cgroup",
    header: "Cgroup",
    description: "cgroup",
    layout: { ...L(12, true), keepEnd: true },
    quantity: "text",
    total: "none",
  };
  const table: Table = {
    columns: [cgroup],
    rows: [["/system.slice/nginx.service"], ["/"]],
    totals: [],
  };
  assert.equal(
    renderText(table, { header: true, totals: false, amounts: { kind: "kb" } }),
    "Cgroup       \n...x.service \n/            \n",
  );
});
