/**
 * `memsnap diff REC --each` in every view it follows, against the
 * snapshots' own reports and docs/trend.schema.json; its Markdown; a
 * recording cut short.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { Ajv } from "ajv";
import reportSchema from "../../docs/report.schema.json" with { type: "json" };
import schema from "../../docs/trend.schema.json" with { type: "json" };
import { percent, units } from "../../src/render/python_format.ts";
import { memsnap, memsnapProcess, ROOT } from "../_helpers/memsnap.ts";
import { expected, reports, type TrendJson } from "../_helpers/trend.ts";

const WORKLOAD = `${ROOT}fixtures/charts/workload.tar.gz`;

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
ajv.addFormat("date-time", (text: string) => !Number.isNaN(Date.parse(text)));
// `skipped` is a report's, by reference.
ajv.addSchema(reportSchema);
const validate = ajv.compile(schema);

/** The trend's JSON, in-process, checked against the schema. */
async function trendJson(file: string, args: readonly string[]): Promise<TrendJson> {
  const { code, stdout, stderr } = await memsnap([
    "diff",
    file,
    "--each",
    ...args,
    "--format",
    "json",
  ]);
  strictEqual(code, 0, stderr);
  const document = JSON.parse(stdout);
  deepStrictEqual(validate(document) ? [] : validate.errors, []);
  return document;
}

/** A view of the trend, the report options that give the same rows, and the key and metrics. */
const CASES: { diff: string[]; report: string[]; key: string; metrics: string[] }[] = [
  {
    diff: ["-c", "pid user command pss uss rss swap"],
    report: ["-c", "pid user command pss uss rss swap"],
    key: "pid",
    metrics: ["pss", "uss", "rss", "swap"],
  },
  {
    diff: ["-u", "-n"],
    report: ["-u", "-n", "-c", "user count pss uss rss swap"],
    key: "user",
    metrics: ["count", "pss", "uss", "rss", "swap"],
  },
  {
    diff: ["-w"],
    report: ["-w", "-c", "area used cache noncache"],
    key: "area",
    metrics: ["used", "cache", "noncache"],
  },
  {
    diff: ["--by", "command", "-P", "python", "-c", "command count pss swappss pss_anon"],
    report: ["--commands", "-P", "python", "-c", "command count pss swappss pss_anon"],
    key: "command",
    metrics: ["count", "pss", "swappss", "pss_anon"],
  },
  {
    diff: ["-P", "work\\.sh", "-c", "pid name pss rss", "-R", "32G"],
    report: ["-P", "work\\.sh", "-c", "pid name pss rss"],
    key: "pid",
    metrics: ["pss", "rss"],
  },
];

for (const { diff, report, key, metrics } of CASES) {
  Deno.test(`diff REC --each ${diff.join(" ")}: the snapshots' reports, followed`, async () => {
    const want = expected(await reports(WORKLOAD, report), key, metrics);
    const trend = await trendJson(WORKLOAD, diff);
    ok(trend.rows.length > 0);
    deepStrictEqual(
      new Map(trend.rows.map((row) => {
        const { seen, firstSeen, lastSeen, metrics, suspects } = row;
        return [row.labels[key]!, { seen, firstSeen, lastSeen, metrics, suspects }];
      })),
      want.rows,
    );
    deepStrictEqual(trend.totals, want.totals);
  });
}

Deno.test("diff REC --each -p: shares of the last snapshot's MemTotal, or of -R", async () => {
  for (const realmem of [[], ["-R", "32G"]]) {
    const args = ["-c", "pid pss", ...realmem];
    const trend = await trendJson(WORKLOAD, args);
    if (realmem.length > 0) strictEqual(trend.memTotal, 32 * 1024 * 1024);
    const { code, stdout, stderr } = await memsnap(["diff", WORKLOAD, "--each", ...args, "-p"]);
    strictEqual(code, 0, stderr);
    const share = (kb: number | null) => percent(kb!, trend.memTotal);
    const signed = (kb: number | null) => `${kb! > 0 ? "+" : ""}${share(kb)}`;
    deepStrictEqual(
      stdout.trimEnd().split("\n").slice(1).map((line) => line.trim().split(/ +/)),
      trend.rows.map((row) => {
        const { first, last, min, max, growth, ratePerHour } = row.metrics.pss!;
        const suspect = row.suspects.length === 0 ? "-" : "PSS";
        // An 8 s recording: the rate per minute, whole kB.
        const rate = ratePerHour === null ? "-" : signed(Math.round(ratePerHour / 60));
        return [
          row.labels.pid,
          ...[first, last, min, max].map(share),
          signed(growth),
          rate,
          row.seen,
          suspect,
        ].map(String);
      }),
    );
  }
});

Deno.test("diff REC --each --format markdown: the headline tells the total PSS's course, the table the rows", async () => {
  const all = await reports(WORKLOAD, ["-c", "pid pss uss"]);
  const want = expected(all, "pid", ["pss", "uss"]);
  const { code, stdout, stderr } = await memsnapProcess([
    "diff",
    "fixtures/charts/workload.tar.gz",
    "--each",
    "-c",
    "pid pss uss",
    "--format",
    "markdown",
    "-t",
  ]);
  strictEqual(code, 0, stderr);
  const kb = (value: number) => (value < 0 ? "-" : "") + units(Math.abs(value) * 1024);
  const pss = want.totals.pss!;
  const suspects = [...want.rows].filter(([, row]) => row.suspects.length > 0);
  const lines = stdout.split("\n");
  // The suspects in the table's order (largest PSS growth first), each metric's growth and rate.
  suspects.sort(([, a], [, b]) => b.metrics.pss!.growth! - a.metrics.pss!.growth!);
  const signed = (value: number) => `${value > 0 ? "+" : ""}${kb(value)}`;
  const bullets = suspects.map(([pid, row]) =>
    `- ${pid}: ${
      row.suspects.map((m) => {
        const { growth, ratePerHour } = row.metrics[m]!;
        // An 8 s recording: rates per minute.
        return `${m.toUpperCase()} ${signed(growth!)} at ${
          signed(Math.round(ratePerHour! / 60))
        }/min`;
      }).join(", ")
    }`
  );
  ok(suspects.length > 0);
  deepStrictEqual(lines.slice(0, 7 + bullets.length), [
    `### memsnap trend: fixtures/charts/workload.tar.gz, ${all.length} snapshots (${
      all[0]!.takenAt
    } → ${all.at(-1)!.takenAt})`,
    "",
    `**Total PSS:** ${kb(pss.first!)} → ${kb(pss.last!)} (**+${kb(pss.growth!)}**), least ${
      kb(pss.min!)
    }, most ${kb(pss.max!)}`,
    "",
    `${want.rows.size} rows; **${suspects.length} leak suspects** (memory that grew steadily; the Suspect column):`,
    "",
    ...bullets,
    "",
  ]);
  const table = lines.slice(7 + bullets.length);
  strictEqual(
    table[0],
    "| PID | PSS first | PSS last | PSS min | PSS max | PSS growth | PSS/min | USS first | USS last | USS min | USS max | USS growth | USS/min | Seen | Suspect |",
  );
  // A row per process, then the totals in bold.
  const body = table.slice(2).filter((line) => line !== "");
  strictEqual(body.length, want.rows.size + 1);
  ok(body.at(-1)!.startsWith(`| **${want.rows.size}** | **${pss.first}** | **${pss.last}** |`));
});

Deno.test("diff REC --each on a recording cut short: a warning, then the trend of its complete snapshots", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-trend-" });
  try {
    const whole = await Deno.readFile(WORKLOAD);
    const cut = `${dir}/cut.tar.gz`;
    await Deno.writeFile(cut, whole.slice(0, Math.floor(whole.length * 0.6)));
    const all = await reports(cut, ["-c", "pid pss"]);
    ok(all.length >= 2 && all.length < 30, String(all.length));
    const { code, stdout, stderr } = await memsnap([
      "diff",
      cut,
      "--each",
      "-c",
      "pid pss",
      "--format",
      "json",
    ]);
    strictEqual(code, 0, stderr);
    ok(/^memsnap: .*cut\.tar\.gz.*\n$/.test(stderr), stderr);
    const trend: TrendJson = JSON.parse(stdout);
    strictEqual(trend.snapshots, all.length);
    deepStrictEqual(trend.totals, expected(all, "pid", ["pss"]).totals);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
