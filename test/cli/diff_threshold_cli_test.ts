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
type Row = Record<string, unknown> & { key: string };

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
  const crossing = rows.filter((row) => (row.pss as Change).change! > 20 * 1024);
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
    crossing.map((r) => String(r.pid)),
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
    [`${scope}[${rows[0]!.key}].${metric}`, (rows[0]![metric] as Change).change!] as const;
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

Deno.test("--fail-if naming a row on neither side warns, and does not fail", async () => {
  const { code, stderr } = await memsnapProcess(
    ["diff", N8, N60, "--fail-if", "command[nginx].uss>+1M"],
  );
  deepStrictEqual([code, stderr], [
    0,
    'memsnap: --fail-if "command[nginx].uss>+1M": no command[nginx] on either side\n',
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
