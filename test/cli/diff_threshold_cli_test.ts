/**
 * `memsnap diff --fail-if` as CI runs it: the diff printed whatever
 * happens, the rows that crossed on stderr, exit 3; exit 0 below the
 * thresholds; exit 2 with a caret for a malformed one. The rows expected
 * to cross are computed from the diff's own JSON (itself checked against
 * the reports in test/diff/diff_reports_test.ts).
 */

import { deepStrictEqual, match } from "node:assert/strict";
import { memsnapProcess } from "../_helpers/memsnap.ts";

const N8 = "fixtures/captures/n8.tar.gz";
const N60 = "fixtures/captures/n60.tar.gz";
const WORKLOAD = "fixtures/charts/workload.tar.gz";

type Change = { a: number | null; b: number | null; change: number | null; percent: number | null };
type Row = { key: string; labels: Record<string, unknown>; metrics: Record<string, Change> };

async function diffJson(args: string[]) {
  const { code, stdout, stderr } = await memsnapProcess(["diff", ...args, "--format", "json"]);
  deepStrictEqual(stderr, "");
  deepStrictEqual(code, 0);
  return JSON.parse(stdout) as { rows: Row[]; totals: Record<string, Change> };
}

Deno.test("--fail-if crossed: the diff still printed, the crossing rows on stderr, exit 3", async () => {
  const plain = await memsnapProcess(["diff", WORKLOAD, "-c", "pid pss"]);
  const gated = await memsnapProcess(["diff", WORKLOAD, "-c", "pid pss", "--fail-if", "pss>+20M"]);
  deepStrictEqual([gated.code, gated.stdout], [3, plain.stdout]);
  const { rows } = await diffJson([WORKLOAD, "-c", "pid pss"]);
  const crossing = rows.filter((row) => row.metrics.pss!.change! > 20 * 1024);
  deepStrictEqual(crossing.length > 0 && crossing.length < rows.length, true);
  const lines = gated.stderr.trimEnd().split("\n");
  deepStrictEqual(
    lines[0],
    `memsnap: --fail-if "pss>+20M" crossed by ${crossing.length} row${
      crossing.length === 1 ? "" : "s"
    }:`,
  );
  deepStrictEqual(
    lines.slice(1).map((line) => line.trim().split(/\s+/)[0]),
    crossing.map((r) => String(r.labels.pid)),
  );
});

Deno.test("--fail-if not crossed: exit 0, nothing on stderr; the JSON says what was checked", async () => {
  const { code, stdout, stderr } = await memsnapProcess(
    ["diff", N8, N60, "--fail-if", "total.pss>+1T", "--fail-if", "pss<-1T", "--format", "json"],
  );
  deepStrictEqual([code, stderr], [0, ""]);
  const { thresholds, totals } = JSON.parse(stdout);
  deepStrictEqual(thresholds.crossed, false);
  deepStrictEqual(
    thresholds.results.map((
      r: { expression: string; crossed: boolean },
    ) => [r.expression, r.crossed]),
    [["total.pss>+1T", false], ["pss<-1T", false]],
  );
  deepStrictEqual(thresholds.results[0].total, totals.pss);
});

Deno.test("--fail-if on a named program, user or mapping compares that row of its own view", async () => {
  const byCommand = await diffJson([N8, N60, "--by", "command", "-c", "command uss"]);
  const byUser = await diffJson([N8, N60, "-u", "-c", "user rss"]);
  const byMap = await diffJson([N8, N60, "-m", "-c", "map pss"]);
  // The row that changed most in each view, by its name.
  const top = (rows: Row[], scope: string, metric: string) =>
    [`${scope}[${rows[0]!.key}].${metric}`, rows[0]!.metrics[metric]!.change!] as const;
  const cases = [
    top(byCommand.rows, "command", "uss"),
    top(byUser.rows, "user", "rss"),
    top(byMap.rows, "map", "pss"),
  ];
  for (const [scope, change] of cases) {
    // Crossed just below the change, not at it.
    for (const [kb, code] of [[change - 1, 3], [change, 0]] as const) {
      const expression = `${scope}>${kb >= 0 ? "+" : ""}${kb}`;
      const outcome = await memsnapProcess([
        "diff",
        N8,
        N60,
        "-c",
        "pid pss",
        "--fail-if",
        expression,
      ]);
      deepStrictEqual(outcome.code, code, `${expression}: ${outcome.stderr}`);
    }
  }
});

Deno.test("--fail-if naming a row on neither side: exit 1 after reading, nothing on stdout", async () => {
  const { code, stdout, stderr } = await memsnapProcess(
    ["diff", N8, N60, "--fail-if", "total.pss>+1T", "--fail-if", "command[nope].pss>+1M"],
  );
  deepStrictEqual([code, stdout, stderr], [
    1,
    "",
    'memsnap: Threshold "command[nope].pss>+1M" names nothing: no command[nope] on either side (add --allow-missing to only warn)\n',
  ]);
  const two = await memsnapProcess(
    ["diff", N8, N60, "--fail-if", "pid[99999999].pss>0", "--fail-if", "user[nobody2].rss>0"],
  );
  deepStrictEqual([two.code, two.stderr], [
    1,
    'memsnap: Threshold "pid[99999999].pss>0" names nothing: no pid[99999999] on either side; 1 more threshold too (add --allow-missing to only warn)\n',
  ]);
});

Deno.test("--fail-if naming a row on neither side, with --allow-missing: a warning, exit 0", async () => {
  const { code, stdout, stderr } = await memsnapProcess(
    ["diff", N8, N60, "--fail-if", "command[nope].pss>+1M", "--allow-missing", "-c", "pid pss"],
  );
  const plain = await memsnapProcess(["diff", N8, N60, "-c", "pid pss"]);
  deepStrictEqual([code, stdout, stderr], [
    0,
    plain.stdout,
    'memsnap: --fail-if "command[nope].pss>+1M": no command[nope] on either side\n',
  ]);
});

Deno.test("--fail-if naming a row the filters leave out: exit 2 before reading anything", async () => {
  for (
    const [args, message] of [
      [
        ["-U", "^root$", "--fail-if", "user[bob].pss>+1M"],
        'Threshold "user[bob].pss>+1M" names nothing: -U leaves out user[bob] (add --allow-missing to only warn)',
      ],
      [
        ["-n", "--fail-if", "user[root].pss>+1M"],
        'Threshold "user[root].pss>+1M" names nothing: with -n users are uids, and "root" is none (user[root]) (add --allow-missing to only warn)',
      ],
      [
        ["-M", "libc", "--fail-if", "map[[heap]].pss>+1M", "--fail-if", "pid[0].rss>0"],
        'Threshold "map[[heap]].pss>+1M" names nothing: -M leaves out map[[heap]]; 1 more threshold too (add --allow-missing to only warn)',
      ],
    ] as const
  ) {
    // The sources do not exist: nothing was read.
    const { code, stdout, stderr } = await memsnapProcess(
      ["diff", "no-such-a.tar.gz", "no-such-b.tar.gz", ...args],
    );
    deepStrictEqual([code, stdout, stderr.split("\n")[0]], [2, "", `memsnap diff: ${message}`]);
  }
  // With --allow-missing the sources are read (and here missing: exit 1).
  const allowed = await memsnapProcess(
    ["diff", "no-such-a.tar.gz", N60, "-U", "^root$", "--fail-if", "user[bob].pss>0"]
      .concat("--allow-missing"),
  );
  deepStrictEqual(allowed.code, 1);
  match(allowed.stderr, /^memsnap: Cannot open source "no-such-a\.tar\.gz"/);
  const alone = await memsnapProcess(["diff", N8, N60, "--allow-missing"]);
  deepStrictEqual([alone.code, alone.stderr.split("\n")[0]], [
    2,
    'memsnap diff: Option "--allow-missing" applies to thresholds: add "--fail-if EXPR"',
  ]);
});

Deno.test("--fail-if malformed: exit 2 before reading anything, the bad part under a caret", async () => {
  const { code, stdout, stderr } = await memsnapProcess(
    ["diff", "no-such-file.tar.gz", N60, "--fail-if", "command[nginx].psss>+1M"],
  );
  deepStrictEqual([code, stdout], [2, ""]);
  const lines = stderr.split("\n");
  match(
    lines[0]!,
    /^memsnap diff: Invalid --fail-if "command\[nginx\]\.psss>\+1M": unknown metric "psss"/,
  );
  deepStrictEqual(lines.slice(1, 3), ["  command[nginx].psss>+1M", "                 ^^^^"]);
});

Deno.test("--fail-if with --format markdown: a Thresholds section says which gate tripped", async () => {
  const { code, stdout } = await memsnapProcess([
    "diff",
    WORKLOAD,
    "-k",
    "-c",
    "pid name pss",
    "--format",
    "markdown",
    "--fail-if",
    "pss>+100M",
    "--fail-if",
    "total.pss>+10000%",
    "--fail-if",
    "pid[28771].pss<0",
  ]);
  deepStrictEqual(code, 3);
  const section = stdout.slice(stdout.indexOf("#### Thresholds"), stdout.indexOf("| PID |"));
  deepStrictEqual(section.split("\n"), [
    "#### Thresholds: 1 of 3 crossed",
    "",
    "| Threshold | Crossed | Value | Row |",
    "| :--- | :--- | ---: | :--- |",
    "| pss\\>+100M | yes, by 1 row | +103.2M | 28773 python3 |",
    "| total.pss\\>+10000% | no | +7881.6 % | total |",
    "| pid\\[28771\\].pss\\<0 | no | +27.0K | 28771 root /usr/bin/sh work.sh |",
    "",
    "",
  ]);
});

Deno.test("--fail-if with --format json: each threshold's value and whether it was crossed", async () => {
  const { code, stdout } = await memsnapProcess([
    "diff",
    WORKLOAD,
    "-c",
    "pid pss",
    "--format",
    "json",
    "--fail-if",
    "pss>+100M",
    "--fail-if",
    "total.pss>+10000%",
  ]);
  deepStrictEqual(code, 3);
  const { thresholds, totals } = JSON.parse(stdout);
  deepStrictEqual(
    thresholds.results.map((r: Record<string, unknown>) => [
      r.expression,
      r.crossed,
      r.value,
      (r.valueRow as { key: string } | null)?.key ?? null,
    ]),
    [
      ["pss>+100M", true, 105677, "28773@376391"],
      ["total.pss>+10000%", false, totals.pss.percent, null],
    ],
  );
});
