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

Deno.test("diff REC --each: each process's first, last, min, max, growth, rate and suspicion are its reports' over the recording", async () => {
  const all = await reports(WORKLOAD, ["-c", "pid user command pss uss rss swap"]);
  const want = expected(all, "pid", METRICS);
  const trend = await trendJson([WORKLOAD]);
  strictEqual(trend.format, "memsnap-trend");
  strictEqual(trend.version, 2);
  strictEqual(trend.snapshots, all.length);
  ok(all.length >= 2);
  strictEqual(trend.firstTakenAt, all[0]!.takenAt);
  strictEqual(trend.lastTakenAt, all.at(-1)!.takenAt);
  deepStrictEqual(trend.columns.labels.map((c) => c.id), ["pid", "user", "command"]);
  deepStrictEqual(trend.columns.metrics.map((c) => c.id), METRICS);
  deepStrictEqual(
    Object.fromEntries(trend.rows.map((row) => {
      const { seen, firstSeen, lastSeen, metrics, suspects } = row;
      return [row.labels.pid, { seen, firstSeen, lastSeen, metrics, suspects }];
    })),
    Object.fromEntries(want.rows),
  );
  deepStrictEqual(trend.totals, want.totals);
  // The recording has processes that start late and leave early, and leaks.
  ok(trend.rows.some((row) => row.seen < trend.snapshots));
  ok(trend.rows.some((row) => row.suspects.length > 0));
  // Largest PSS growth first.
  const growth = trend.rows.map((row) => row.metrics.pss!.growth!);
  deepStrictEqual(growth, [...growth].sort((a, b) => b - a));
});

Deno.test("diff REC --each: the table flags exactly the rows whose series grew steadily", async () => {
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
    "PID|PSS first|PSS last|PSS min|PSS max|PSS growth|PSS/min|USS first|USS last|USS min|USS max|USS growth|USS/min|RSS first|RSS last|RSS min|RSS max|RSS growth|RSS/min|Seen|Suspect",
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
      ) => [pid, row.suspects.length === 0 ? "-" : row.suspects.map((m) => headers[m]).join(",")]),
    ),
  );
  ok([...flagged.values()].some((suspects) => suspects !== "-"));
  ok([...flagged.values()].some((suspects) => suspects === "-"));
  // The totals line: the number of processes, the totals' series, the number of snapshots.
  const totals = lines.at(-1)!.trim().split(/ +/);
  const signed = (n: number) => `${n > 0 ? "+" : ""}${n}`;
  const series = (m: string) => {
    const s = want.totals[m]!;
    // The recording is 8 s long: rates per minute.
    const rate = Math.round(s.ratePerHour! / 60);
    return [...[s.first, s.last, s.min, s.max].map(String), signed(s.growth!), signed(rate)];
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
  const stats = ["first", "last", "min", "max", "growth", "rate"];
  strictEqual(
    header,
    ["command", ...metrics.flatMap((m) => stats.map((s) => `${m}_${s}`)), "seen", "suspect"].join(
      ",",
    ),
  );
  // Sorted by the label: in text order. (No program name here holds a comma or a quote.)
  const names = [...want.rows.keys()].map(String).sort();
  deepStrictEqual(records.map((r) => r.split(",")[0]), names);
  const headers: Record<string, string> = { count: "Count", pss: "PSS", rss: "RSS" };
  deepStrictEqual(
    records,
    names.map((name) => {
      const row = want.rows.get(name)!;
      const suspects = row.suspects.map((m) => headers[m]).join(",");
      // CSV's rates are per hour, whole kB; none for a row seen once.
      const cell = (series: Series, stat: string) =>
        stat === "rate"
          ? series.ratePerHour === null ? "" : Math.round(series.ratePerHour)
          : series[stat as "first"];
      return [
        name,
        ...metrics.flatMap((m) => stats.map((s) => cell(row.metrics[m]!, s))),
        row.seen,
        suspects.includes(",") ? `"${suspects}"` : suspects,
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

Deno.test("diff REC --each's default table fits 120 columns: PSS's course and rate, Seen, Suspect", async () => {
  const widest = (text: string) => Math.max(...text.split("\n").map((line) => [...line].length));
  const { code, stdout, stderr } = await memsnapProcess(["diff", WORKLOAD, "--each", "-t", "-k"]);
  strictEqual(code, 0, stderr);
  strictEqual(widest(stdout), 105);
  strictEqual(
    stdout.split("\n")[0]!.trim().replace(/\s+/g, " "),
    "PID User Command PSS first PSS last PSS growth PSS/min Seen Suspect",
  );
  // Suspects in any metric followed, shown or not; the JSON and CSV keep every statistic.
  const trend = await trendJson([WORKLOAD]);
  const suspects = new Map(trend.rows.map((row) => [String(row.labels.pid), row.suspects]));
  const headers: Record<string, string> = { pss: "PSS", uss: "USS", rss: "RSS", swap: "Swap" };
  for (const line of stdout.trimEnd().split("\n").slice(1, -2)) {
    const cells = line.trim().split(/\s+/);
    const want = suspects.get(cells[0]!)!.map((m) => headers[m]).join(",");
    strictEqual(cells.at(-1), want === "" ? "-" : want, line);
  }
  // -c picks: each metric in full.
  const picked = await memsnapProcess(
    ["diff", WORKLOAD, "--each", "-c", "pid user command pss uss rss swap"],
  );
  strictEqual(widest(picked.stdout), 297);
});
