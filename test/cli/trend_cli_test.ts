/**
 * `memsnap diff REC --each` as a program: every figure of the trend is
 * checked against the reports of the recording's snapshots, one by one
 * (`memsnap -S REC@N --format json`), never against numbers typed here.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { memsnapProcess, ROOT } from "../_helpers/memsnap.ts";
import { expected, reports, type Series, type TrendJson } from "../_helpers/trend.ts";

const WORKLOAD = `${ROOT}fixtures/charts/workload.tar.gz`;
const RECORDING = `${ROOT}fixtures/archives/v1-recording.tar.gz`;

/** Runs the trend as a program, as JSON. */
async function trendJson(args: readonly string[]): Promise<TrendJson> {
  const { code, stdout, stderr } = await memsnapProcess([
    "diff",
    ...args,
    "--each",
    "--format",
    "json",
  ]);
  strictEqual(code, 0, stderr);
  strictEqual(stderr, "");
  return JSON.parse(stdout);
}

const METRICS = ["pss", "uss", "rss", "swap"];

Deno.test("diff REC --each: each process's first, last, min, max and growth are its reports' over the recording", async () => {
  const all = await reports(WORKLOAD, ["-c", "pid user command pss uss rss swap"]);
  const want = expected(all, "pid", METRICS);
  const trend = await trendJson([WORKLOAD]);
  strictEqual(trend.format, "memsnap-trend");
  strictEqual(trend.version, 1);
  strictEqual(trend.snapshots, all.length);
  ok(all.length >= 2);
  strictEqual(trend.firstTakenAt, all[0]!.takenAt);
  strictEqual(trend.lastTakenAt, all.at(-1)!.takenAt);
  deepStrictEqual(trend.columns.labels.map((c) => c.id), ["pid", "user", "command"]);
  deepStrictEqual(trend.columns.metrics.map((c) => c.id), METRICS);
  deepStrictEqual(
    Object.fromEntries(trend.rows.map((row) => {
      const { seen, firstSeen, lastSeen, metrics, grew } = row;
      return [row.labels.pid, { seen, firstSeen, lastSeen, metrics, grew }];
    })),
    Object.fromEntries(want.rows),
  );
  deepStrictEqual(trend.totals, want.totals);
  // The recording has processes that start late and leave early, and leaks.
  ok(trend.rows.some((row) => row.seen < trend.snapshots));
  ok(trend.rows.some((row) => row.grew.length > 0));
  // Largest PSS growth first.
  const growth = trend.rows.map((row) => row.metrics.pss!.growth!);
  deepStrictEqual(growth, [...growth].sort((a, b) => b - a));
});

Deno.test("diff REC --each: the table flags exactly the rows whose series only grew", async () => {
  const all = await reports(WORKLOAD, ["-c", "pid pss uss rss"]);
  const want = expected(all, "pid", ["pss", "uss", "rss"]);
  const { code, stdout, stderr } = await memsnapProcess([
    "diff",
    WORKLOAD,
    "--each",
    "-c",
    "pid pss uss rss",
    "-t",
  ]);
  strictEqual(code, 0, stderr);
  const lines = stdout.trimEnd().split("\n");
  strictEqual(
    lines[0]!.trim().split(/ {2,}| (?=[A-Z])/).join("|"),
    "PID|PSS first|PSS last|PSS min|PSS max|PSS growth|USS first|USS last|USS min|USS max|USS growth|RSS first|RSS last|RSS min|RSS max|RSS growth|Seen|Grew",
  );
  const body = lines.slice(1, -2).map((line) => line.trim().split(/ +/));
  strictEqual(body.length, want.rows.size);
  const flagged = new Map(body.map((cells) => [Number(cells[0]), cells.at(-1)]));
  const headers: Record<string, string> = { pss: "PSS", uss: "USS", rss: "RSS" };
  deepStrictEqual(
    flagged,
    new Map(
      [...want.rows].map((
        [pid, row],
      ) => [pid, row.grew.length === 0 ? "-" : row.grew.map((m) => headers[m]).join(",")]),
    ),
  );
  ok([...flagged.values()].some((grew) => grew !== "-"));
  ok([...flagged.values()].some((grew) => grew === "-"));
  // The totals line: the number of processes, the totals' series, the number of snapshots.
  const totals = lines.at(-1)!.trim().split(/ +/);
  const series = (m: string) => {
    const s = want.totals[m]!;
    return [s.first, s.last, s.min, s.max, s.growth].map(String);
  };
  deepStrictEqual(totals.slice(0, -2), [
    String(want.rows.size),
    ...series("pss"),
    ...series("uss"),
    ...series("rss"),
  ]);
  strictEqual(totals.at(-2), String(all.length));
});

Deno.test("diff REC --each --by command: CSV of each program's trend, as its --commands reports give it", async () => {
  const metrics = ["count", "pss", "rss"];
  const all = await reports(WORKLOAD, ["--commands", "-c", "command count pss rss"]);
  const want = expected(all, "command", metrics);
  const { code, stdout, stderr } = await memsnapProcess([
    "diff",
    WORKLOAD,
    "--each",
    "--by",
    "command",
    "-c",
    "command count pss rss",
    "--format",
    "csv",
    "-s",
    "command",
  ]);
  strictEqual(code, 0, stderr);
  const [header, ...records] = stdout.trimEnd().split("\n");
  const stats = ["first", "last", "min", "max", "growth"];
  strictEqual(
    header,
    ["command", ...metrics.flatMap((m) => stats.map((s) => `${m}_${s}`)), "seen", "grew"].join(","),
  );
  // Sorted by the label: in text order. (No program name here holds a comma or a quote.)
  const names = [...want.rows.keys()].map(String).sort();
  deepStrictEqual(records.map((r) => r.split(",")[0]), names);
  const headers: Record<string, string> = { count: "Count", pss: "PSS", rss: "RSS" };
  deepStrictEqual(
    records,
    names.map((name) => {
      const row = want.rows.get(name)!;
      const grew = row.grew.map((m) => headers[m]).join(",");
      return [
        name,
        ...metrics.flatMap((m) => stats.map((s) => row.metrics[m]![s as keyof Series])),
        row.seen,
        grew.includes(",") ? `"${grew}"` : grew,
      ].join(",");
    }),
  );
});

Deno.test("diff REC --each -m: a full-detail recording's mappings, as its -m reports give them", async () => {
  const all = await reports(RECORDING, ["-m", "-c", "map pids pss rss"]);
  const want = expected(all, "map", ["pids", "pss", "rss"]);
  const trend = await trendJson([RECORDING, "-m", "-c", "map pids pss rss"]);
  strictEqual(trend.snapshots, 3);
  strictEqual(trend.rows.length, want.rows.size);
  for (const row of trend.rows) {
    const expectedRow = want.rows.get(row.labels.map!)!;
    deepStrictEqual(row.metrics, expectedRow.metrics, String(row.labels.map));
    strictEqual(row.seen, expectedRow.seen);
  }
  deepStrictEqual(trend.totals, want.totals);
});

Deno.test("diff REC --each refuses what is not a recording of 2 snapshots or more, in one line, and --fail-if", async () => {
  const cases: [string, RegExp][] = [
    [
      `${ROOT}fixtures/archives/v1-capture.tar.gz`,
      /^memsnap: Cannot follow ".*v1-capture\.tar\.gz": a trend needs a recording of 2 snapshots or more \(it has 1\)\n$/,
    ],
    [
      `${ROOT}fixtures/captures/n8.tar.gz`,
      /^memsnap: Cannot follow ".*n8\.tar\.gz": snapshot 0 has no time \(not a memsnap recording\?\)\n$/,
    ],
    [
      `${ROOT}fixtures/no-such.tar.gz`,
      /^memsnap: .*no-such\.tar\.gz.*no such file or directory\n$/,
    ],
    [`${ROOT}README.md`, /^memsnap: .*README\.md.*\n$/],
  ];
  const threshold = await memsnapProcess(["diff", WORKLOAD, "--each", "--fail-if", "pss>+1M"]);
  strictEqual(threshold.code, 2);
  strictEqual(
    threshold.stderr.split("\n")[0],
    `memsnap diff: Option "--fail-if" checks a diff of two snapshots, not a trend (--each): diff REC or diff REC --peak`,
  );
  for (const [file, message] of cases) {
    const { code, stdout, stderr } = await memsnapProcess(["diff", file, "--each"]);
    strictEqual(code, 1, file);
    strictEqual(stdout, "");
    ok(message.test(stderr), stderr);
  }
});
