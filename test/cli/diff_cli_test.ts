/**
 * `memsnap diff` as a user runs it: the text table, CSV and Markdown say
 * what the JSON says (itself checked against the reports in
 * test/diff/diff_reports_test.ts), and bad command lines are refused.
 */

import { deepStrictEqual, match, ok } from "node:assert/strict";
import { units } from "../../src/render/python_format.ts";
import { memsnapProcess } from "../_helpers/memsnap.ts";

const N8 = "fixtures/captures/n8.tar.gz";
const N60 = "fixtures/captures/n60.tar.gz";
const WORKLOAD = "fixtures/charts/workload.tar.gz";

type Change = { a: number | null; b: number | null; change: number | null; percent: number | null };
interface DiffDocument {
  rows: {
    key: string;
    status: string;
    labels: Record<string, unknown>;
    metrics: { pss: Change };
  }[];
  totals: Record<string, Change>;
}

async function ok0(args: string[]): Promise<string> {
  const { code, stdout, stderr } = await memsnapProcess(args);
  deepStrictEqual([code, stderr], [0, ""]);
  return stdout;
}

const document: DiffDocument = JSON.parse(
  await ok0(["diff", `${WORKLOAD}@0`, `${WORKLOAD}@last`, "--format", "json"]),
);

/** -k's text for a signed kB amount. */
const signed = (kb: number) => (kb > 0 ? "+" : kb < 0 ? "-" : "") + units(Math.abs(kb) * 1024);

Deno.test("memsnap diff -k -t: each row shows A, B, the signed change and %, the totals last", async () => {
  const text = await ok0([
    "diff",
    `${WORKLOAD}@0`,
    `${WORKLOAD}@last`,
    "-k",
    "-t",
    "-c",
    "pid pss",
  ]);
  const lines = text.trimEnd().split("\n");
  deepStrictEqual(
    lines[0]!.trim().split(/\s+/),
    ["PID", "Status", "PSS", "A", "PSS", "B", "PSS", "+/-", "PSS", "%"],
  );
  deepStrictEqual(lines.length, 1 + document.rows.length + 2);
  document.rows.forEach((row, i) => {
    const { a, b, change, percent } = row.metrics.pss;
    const cells = lines[i + 1]!.trim().split(/\s+/);
    deepStrictEqual(cells, [
      String(row.labels.pid),
      ...(row.status === "both" ? [] : [row.status]),
      a === null ? "-" : units(a * 1024),
      b === null ? "-" : units(b * 1024),
      signed(change!),
      percent === null ? "-" : shownPercent(percent),
    ]);
  });
  const total = document.totals.pss!;
  deepStrictEqual(lines.at(-1)!.trim().split(/\s+/), [
    String(document.rows.length),
    units(total.a! * 1024),
    units(total.b! * 1024),
    signed(total.change!),
    shownPercent(total.percent!),
  ]);
});

/** A change in % as the text table shows it: 1000 % and more capped (a base near 0 is noise). */
function shownPercent(percent: number): string {
  return percent >= 1000 ? ">+999.9" : `${percent > 0 ? "+" : ""}${percent.toFixed(1)}`;
}

Deno.test("memsnap diff --format csv: column ids, raw kB, the JSON's numbers", async () => {
  // Numbers and a status only: no field needs quoting.
  const rows = (
    await ok0(["diff", `${WORKLOAD}@0`, `${WORKLOAD}@last`, "--format", "csv", "-c", "pid pss"])
  ).trimEnd().split("\n").map((line) => line.split(","));
  deepStrictEqual(rows[0], ["pid", "status", "pss_a", "pss_b", "pss_change", "pss_percent"]);
  deepStrictEqual(
    rows.slice(1),
    document.rows.map((row) => [
      String(row.labels.pid),
      row.status === "both" ? "" : row.status,
      ...[row.metrics.pss.a, row.metrics.pss.b, row.metrics.pss.change, row.metrics.pss.percent]
        .map((v) => v === null ? "" : String(v)),
    ]),
  );
});

Deno.test("memsnap diff --format markdown: the headline's total PSS, then a table of every row", async () => {
  const text = await ok0(["diff", `${WORKLOAD}@0`, `${WORKLOAD}@last`, "--format", "markdown"]);
  const total = document.totals.pss!;
  ok(
    text.includes(
      `**Total PSS:** ${units(total.a! * 1024)} → ${units(total.b! * 1024)} (**${
        signed(total.change!)
      }**, ${total.percent! > 0 ? "+" : ""}${total.percent!.toFixed(1)} %)`,
    ),
    text,
  );
  match(text, /^### memsnap diff: fixtures\/charts\/workload\.tar\.gz@0 \(/);
  const table = text.split("\n").filter((line) => line.startsWith("|"));
  deepStrictEqual(table.length, 2 + document.rows.length);
  match(table[1]!, /^\| ---: \| :--- \| :--- \| :--- \| ---: \|/);
});

Deno.test("memsnap diff on one capture that is no recording says it needs two snapshots", async () => {
  const { code, stdout, stderr } = await memsnapProcess(["diff", N8]);
  deepStrictEqual([code, stdout], [1, ""]);
  deepStrictEqual(
    stderr,
    `memsnap: Cannot diff "${N8}" alone: that needs a recording of 2 snapshots or more (it has 1); to compare two files: memsnap diff A B\n`,
  );
});

for (
  const [args, message] of [
    [[], "Nothing to compare: give A B (two sources), or REC (a recording)"],
    [[N8, N60, N8], `Two sources at most, not 3: "${N8}" is one too many`],
    [[N8, N60, "--peak"], 'Option "--peak" reads one recording: memsnap diff REC --peak'],
    [
      [N8, N60, "--by", "host"],
      'Unknown view "host": expected "processes", "users", "mappings", "system", "cgroups", "commands", "process-tree", "system-tree", "process", "user", "mapping", "maps", "cgroup", "command", "programs", "program", "tree"',
    ],
    [
      [N8, N60, "--by", "users", "-w"],
      'Options "--by" and "-w" ask for different views: choose one',
    ],
    [[N8, N60, "-c", "pid bogus"], 'Unknown column "bogus" for the processes view'],
    [
      [N8, N60, "-c", "pid pss", "-s", "rss"],
      'Sort field "rss" is not among the columns shown: "pid", "pss"',
    ],
    [
      [N8, N60, "--format", "xml"],
      'Unknown format "xml": expected "table", "json", "csv", "markdown"',
    ],
    [[N8, N60, "-o", "x.png"], `Option "--output" applies to the diff's chart: add "--bar"`],
    [[N8, N60, "--bogus"], 'Unknown option "--bogus"'],
  ] as const
) {
  Deno.test(`memsnap diff ${args.join(" ")}: a usage error`, async () => {
    const { code, stdout, stderr } = await memsnapProcess(["diff", ...args]);
    deepStrictEqual([code, stdout], [2, ""]);
    deepStrictEqual(stderr.split("\n")[0], `memsnap diff: ${message}`);
    match(stderr, /\nTry "memsnap diff --help" for more information\.\n$/);
  });
}

Deno.test("memsnap diff --help shows the threshold grammar with examples", async () => {
  const help = await ok0(["diff", "--help"]);
  match(help, /^Usage: memsnap diff \[options\] A B$/m);
  match(help, /command\[nginx\]\.uss>\+1M/);
});

Deno.test('memsnap diff live live: "live" is this system, read once for each side', async () => {
  const diff = JSON.parse(await ok0(["diff", "live", "live", "-w", "--format", "json"]));
  deepStrictEqual([diff.a.source, diff.b.source], ["live /proc", "live /proc"]);
  // The order follows the changes, which live memory makes: compare the set.
  deepStrictEqual(
    diff.rows.map((row: { labels: { area: string }; status: string }) =>
      `${row.labels.area}: ${row.status}`
    ).sort(),
    [
      "firmware/hardware: both",
      "free memory: both",
      "kernel dynamic memory: both",
      "kernel image: both",
      "userspace memory: both",
    ],
  );
});

Deno.test("memsnap diff --format markdown: the headline's total is an amount, not the programs' count", async () => {
  const text = await ok0([
    "diff",
    WORKLOAD,
    "--by",
    "command",
    "-c",
    "command count pss",
    "--format",
    "markdown",
  ]);
  const total = document.totals.pss!;
  ok(text.includes(`**Total PSS:** ${units(total.a! * 1024)} → ${units(total.b! * 1024)}`), text);
});

/** The widest line of a text, in code points. */
const widest = (text: string) => Math.max(...text.split("\n").map((line) => [...line].length));

Deno.test("memsnap diff's default table fits 120 columns: PSS in full, the others' change only", async () => {
  const cases = [
    [[], 113, "PID User Command Status PSS A PSS B PSS +/- PSS % USS +/- RSS +/- Swap +/-"],
    [
      ["--by", "command"],
      105,
      "Program Status Count +/- PSS A PSS B PSS +/- PSS % USS +/- RSS +/- Swap +/-",
    ],
    [["-u"], 89, "User Status Count +/- PSS A PSS B PSS +/- PSS % USS +/- RSS +/- Swap +/-"],
    [["-m"], 120, "Map Status PIDs +/- PSS A PSS B PSS +/- PSS % USS +/- RSS +/- Swap +/-"],
    [["-w"], 91, "Area Status Used A Used B Used +/- Used % Cache +/- Noncache +/-"],
    // The sort metric is the one in full.
    [
      ["-s", "rss", "-k", "-t"],
      113,
      "PID User Command Status PSS +/- USS +/- RSS A RSS B RSS +/- RSS % Swap +/-",
    ],
  ] as const;
  for (const [args, width, header] of cases) {
    const text = await ok0(["diff", N8, N60, ...args]);
    deepStrictEqual(widest(text), width, args.join(" "));
    deepStrictEqual(text.split("\n")[0]!.trim().replace(/\s+/g, " "), header);
  }
  // -c picks the columns, each metric in full: the old width.
  const picked = await ok0(["diff", N8, N60, "-c", "pid user command pss uss rss swap"]);
  deepStrictEqual(widest(picked), 194);
  // JSON and CSV keep every number: A, B, change and % of every metric.
  const csv = await ok0(["diff", N8, N60, "--format", "csv"]);
  deepStrictEqual(
    csv.split("\n")[0],
    "pid,user,command,status,pss_a,pss_b,pss_change,pss_percent,uss_a,uss_b,uss_change,uss_percent," +
      "rss_a,rss_b,rss_change,rss_percent,swap_a,swap_b,swap_change,swap_percent",
  );
});

Deno.test("memsnap diff shows 1000 % and more as >+999.9 in text and Markdown, the number in CSV and JSON", async () => {
  const row = document.rows.find((r) => r.key === "28773@376391")!;
  // 376 kB → 103.6 MB: +28105.6 %, a figure that says only "from almost nothing".
  deepStrictEqual(row.metrics.pss.percent, 28105.585106382976);
  const line = (text: string) => text.split("\n").find((l) => /^\|? ?28773\b/.test(l.trim()))!;
  const table = await ok0(["diff", WORKLOAD, "-c", "pid pss"]);
  deepStrictEqual(line(table).trim().split(/\s+/), [
    "28773",
    "376",
    "106053",
    "+105677",
    ">+999.9",
  ]);
  const markdown = await ok0(["diff", WORKLOAD, "-c", "pid pss", "--format", "markdown"]);
  deepStrictEqual(line(markdown), "| 28773 |  | 376 | 106053 | +105677 | \\>+999.9 |");
  const csv = await ok0(["diff", WORKLOAD, "-c", "pid pss", "--format", "csv"]);
  deepStrictEqual(
    csv.split("\n").find((l) => l.startsWith("28773,")),
    "28773,,376,106053,105677,28105.585106382976",
  );
  // Below the cap, the figure as it is.
  const shrank = document.rows.find((r) => r.status === "gone")!;
  match(table, new RegExp(`${shrank.labels.pid}\\s+gone\\s+\\d+\\s+-\\s+-\\d+\\s+-100\\.0`));
});
