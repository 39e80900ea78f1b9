/**
 * `memsnap top -b`: successive plain reports, each the very report `memsnap`
 * prints of the same sample (a stored capture gives the same sample each
 * refresh, so the reports are smem's numbers exactly).
 */

import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { topRefreshes } from "../../src/app/top.ts";
import { reportOn } from "../../src/app/report.ts";
import { viewQuery } from "../../src/app/view_query.ts";
import { render } from "../../src/render/formats.ts";
import { compileSelection } from "../../src/select/select.ts";
import { memsnap, memsnapProcess, ROOT } from "../_helpers/memsnap.ts";

const N8 = `${ROOT}fixtures/captures/n8.tar.gz`;
const LINE = /^memsnap top: refresh (\d+) of (\d+) at (\S+), read in (\d+) ms$/;

/** The refreshes of batch output: each one's line and the report after it. */
function refreshesOf(stdout: string): { line: RegExpExecArray; report: string }[] {
  const lines = stdout.split("\n");
  const starts = lines.flatMap((line, i) => LINE.test(line) ? [i] : []);
  return starts.map((start, k) => ({
    line: LINE.exec(lines[start]!)!,
    report: lines.slice(start + 1, starts[k + 1] ?? lines.length).join("\n").replace(/\n$/, ""),
  }));
}

Deno.test("top -b -n 3: three refreshes, each memsnap's report of n8, smem's numbers", async () => {
  const args = ["-S", N8, "-k", "-t", "-c", "pid user name swap uss pss rss"];
  const batch = await memsnapProcess(["top", "-b", "-n", "3", "-d", "100ms", ...args]);
  strictEqual(batch.stderr, "");
  strictEqual(batch.code, 0);
  const report = await memsnapProcess(args);
  strictEqual(report.code, 0);
  const refreshes = refreshesOf(batch.stdout);
  deepStrictEqual(refreshes.map((r) => [r.line[1], r.line[2]]), [["1", "3"], ["2", "3"], [
    "3",
    "3",
  ]]);
  // The text before the first line is nothing: every line of output belongs to a refresh.
  ok(batch.stdout.startsWith("memsnap top: refresh 1 of 3 at "));
  for (const { report: text } of refreshes) strictEqual(text, report.stdout.replace(/\n$/, ""));
  // smem's own output of the same capture, process lines (n8.smem-processes-k-totals.txt).
  const smem = await Deno.readTextFile(`${ROOT}fixtures/captures/n8.smem-processes-k-totals.txt`);
  const body = (text: string) => text.split("\n").filter((l) => /^\s*\d+ /.test(l));
  deepStrictEqual(body(refreshes[0]!.report), body(smem));
  // Refreshes are 100 ms apart (slots never shift), in order.
  const times = refreshes.map((r) => Date.parse(r.line[3]!));
  ok(times[1]! - times[0]! >= 90 && times[2]! - times[1]! >= 90, `times ${times}`);
});

Deno.test("top -b: the views and filters of the report: per user, filtered by -P", async () => {
  const args = ["-S", N8, "-u", "-P", "wl-idle"];
  const [batch, report] = await Promise.all([
    memsnap(["top", "-b", "-n", "1", ...args]),
    memsnap(args),
  ]);
  strictEqual(batch.code, 0, batch.stderr);
  const [only] = refreshesOf(batch.stdout);
  strictEqual(only!.report, report.stdout.replace(/\n$/, ""));
  match(only!.report, /^User\s+Count\s+Swap\s+USS\s+PSS\s+RSS/);
});

Deno.test("topRefreshes(): each refresh's report is reportOn of its sample, as the batch renders it", async () => {
  const query = {
    source: N8,
    view: viewQuery({ view: "processes" }),
    selection: {},
    numeric: false,
  };
  const stop = new AbortController();
  const refreshes = [];
  for await (
    const refresh of topRefreshes({
      query,
      schedule: { intervalMs: 10, count: 2 },
      signal: stop.signal,
    })
  ) {
    refreshes.push(refresh);
  }
  deepStrictEqual(refreshes.map((r) => r.sample.index), [0, 1]);
  const filters = await compileSelection({});
  const show = { header: true, totals: false, abbreviate: false, percent: false };
  for (const { sample, report } of refreshes) {
    const again = await reportOn(sample, query, filters);
    strictEqual(
      await render("report", "table", report, show),
      await render("report", "table", again, show),
    );
  }
  // n8's eight processes, as smem lists them.
  strictEqual(refreshes[0]!.report.table.rows.length, 8);
});

Deno.test("topRefreshes(): an aborted signal ends the refreshes before the next is read", async () => {
  const stop = new AbortController();
  const query = { source: N8, view: viewQuery({ view: "users" }), selection: {}, numeric: false };
  let count = 0;
  for await (
    const _ of topRefreshes({ query, schedule: { intervalMs: 10 }, signal: stop.signal })
  ) {
    if (++count === 2) stop.abort();
  }
  strictEqual(count, 2);
});

Deno.test("top: bad options are usage errors (exit 2), one line", async () => {
  for (
    const [args, message] of [
      [["top", "-b", "-d", "0"], /Invalid duration "0" for --delay/],
      [["top", "-b", "-n", "0"], /Invalid value "0" for --iterations/],
      [["top", "-b", "-w", "--tree", "-s", "pss"], /fixed order: --sort cannot apply/],
      [["top", "-b", "stray"], /Unexpected argument "stray"/],
      [["top", "-b", "-P", "("], /-P/],
    ] as const
  ) {
    const outcome = await memsnap([...args]);
    strictEqual(outcome.code, 2, `${args.join(" ")}: ${outcome.stderr}`);
    match(outcome.stderr, message);
    ok(!/\n\s+at /.test(outcome.stderr), "no stack trace");
    strictEqual(outcome.stdout, "");
  }
});
