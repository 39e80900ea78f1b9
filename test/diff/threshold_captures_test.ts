/**
 * Thresholds on diffs of real captures: the rows expected to cross are
 * computed from the two sides' report rows (their PSS), never typed.
 */

import assert from "node:assert/strict";
import { diffOf as diffSnapshots } from "../../src/app/diff.ts";
import type { DiffTable } from "../../src/diff/diff_table.ts";
import { viewOf as registered } from "../../src/view/registry.ts";
import {
  amountMetricIds,
  type NamedView,
  parseThreshold,
  type ThresholdView,
} from "../../src/diff/threshold.ts";
import { crossings } from "../../src/diff/threshold_eval.ts";
import { loadSnapshot } from "../../src/snapshot/load_snapshot.ts";
import type { Snapshot } from "../../src/snapshot/snapshot.ts";
import { archiveSource, openArchiveSnapshot } from "../../src/source/open_archive.ts";
import { commandRows } from "../../src/view/commands.ts";
import { processRows } from "../../src/view/processes.ts";
import { userRows } from "../../src/view/users.ts";
import { ROOT } from "../_helpers/memsnap.ts";
import { capturePath } from "../_helpers/mirror.ts";

const NEEDS = { processes: true, mappings: false, rollupCounters: false };
const capture = async (name: string) =>
  loadSnapshot(await archiveSource(await Deno.readFile(capturePath(name)), name), NEEDS);
/** A snapshot of fixtures/charts/workload.tar.gz, a recording whose workers grow. */
async function recorded(pick: "first" | "last"): Promise<Snapshot> {
  const bytes = await Deno.readFile(`${ROOT}fixtures/charts/workload.tar.gz`);
  const chunks = (async function* () {
    yield bytes;
  })();
  const opened = await openArchiveSnapshot(chunks, "workload", {
    pick: { kind: pick },
    text: pick,
  });
  return loadSnapshot(opened.source, NEEDS);
}

/** A view's report rows, with the key the diff matches them by. */
const REPORT_ROWS = {
  processes: (s: Snapshot) =>
    processRows(s, s.processes, { numeric: false }).map((row, i) => ({
      pss: row.counters.pss,
      key: `${row.pid}@${s.processes[i]!.startTime ?? "?"}`,
    })),
  commands: (s: Snapshot) =>
    commandRows(s, s.processes).map((row) => ({ pss: row.counters.pss, key: row.command })),
  users: (s: Snapshot) =>
    userRows(s, s.processes, { numeric: false }).map((row) => ({
      pss: row.counters.pss,
      key: String(row.user),
    })),
};
type ViewName = keyof typeof REPORT_ROWS;

/** The diff of a view between two snapshots, as the CLI gives it to crossings(). */
function diffOf(view: ViewName, a: Snapshot, b: Snapshot, metrics: readonly string[]): DiffTable {
  const labels = registered(view).diffColumns.filter((id) => !AMOUNTS.includes(id));
  const request = { view, columns: [...labels, ...metrics] };
  return diffSnapshots(a, b, request, { filters: {}, numeric: false });
}
const AMOUNTS = ["pss", "uss", "rss", "swap"];

/** Evaluates expressions on the diff of A and B, `shown` the view the diff shows. */
function evaluate(shown: ViewName, a: Snapshot, b: Snapshot, texts: string[]) {
  const viewOf = (view: ThresholdView): ViewName =>
    view === "shown" ? shown : view as NamedView & ViewName;
  const known = (view: ThresholdView) =>
    amountMetricIds(Object.values(registered(viewOf(view)).columns));
  const thresholds = texts.map((text) => parseThreshold(text, known));
  return crossings(thresholds, (view, metrics) => diffOf(viewOf(view), a, b, metrics));
}

/** Each row's PSS change, keyed as the diff keys rows: B - A, a missing side 0. */
function pssChanges(
  view: ViewName,
  a: Snapshot,
  b: Snapshot,
): Map<string, { a?: number; b?: number; change: number }> {
  const pss = (s: Snapshot) => new Map(REPORT_ROWS[view](s).map(({ pss, key }) => [key, pss!]));
  const [before, after] = [pss(a), pss(b)];
  const keys = new Set([...before.keys(), ...after.keys()]);
  return new Map([...keys].map((key) => {
    const [x, y] = [before.get(key), after.get(key)];
    return [key, {
      ...(x !== undefined && { a: x }),
      ...(y !== undefined && { b: y }),
      change: (y ?? 0) - (x ?? 0),
    }];
  }));
}

const keysOf = (result: ReturnType<typeof evaluate>, i: number) =>
  new Set(result.results[i]!.rows.map((row) => row.key));

Deno.test("crossings() on n8 → n60 per command: pss>X crosses the programs whose PSS grew more than X", async () => {
  const [a, b] = [await capture("n8.tar.gz"), await capture("n60.tar.gz")];
  const changes = pssChanges("commands", a, b);
  // A threshold between the changes: some programs cross it, some do not.
  const sorted = [...changes.values()].map((c) => c.change).sort((x, y) => x - y);
  const x = Math.round((sorted[2]! + sorted[3]!) / 2);
  const grew = [...changes].filter(([, c]) => c.change > x).map(([key]) => key);
  assert.ok(grew.length > 0 && grew.length < changes.size);
  const shrank = [...changes].filter(([, c]) => c.change < 0).map(([key]) => key);
  assert.ok(shrank.length > 0);
  const withPercent = [...changes].filter(([, c]) =>
    c.a !== undefined && c.change * 100 > 100 * c.a
  );
  const result = evaluate("commands", a, b, [`pss>+${x}`, "pss<0", "pss>+100%"]);
  assert.deepEqual(keysOf(result, 0), new Set(grew));
  assert.deepEqual(keysOf(result, 1), new Set(shrank));
  assert.deepEqual(keysOf(result, 2), new Set(withPercent.map(([key]) => key)));
  // The crossing rows carry the sides' numbers.
  for (const row of result.results[0]!.rows) {
    const expected = changes.get(row.key)!;
    assert.deepEqual([row.change.a, row.change.b, row.change.change], [
      expected.a,
      expected.b,
      expected.change,
    ]);
  }
  assert.deepEqual(result.warnings, []);
});

Deno.test("crossings() on n8 → n60: total, command[...] and user[...] thresholds from the report numbers", async () => {
  const [a, b] = [await capture("n8.tar.gz"), await capture("n60.tar.gz")];
  const total = (s: Snapshot) =>
    processRows(s, s.processes, { numeric: false }).reduce(
      (sum, row) => sum + row.counters.pss!,
      0,
    );
  const percent = (total(b) - total(a)) / total(a) * 100;
  const commands = pssChanges("commands", a, b);
  const users = pssChanges("users", a, b);
  const [program, programChange] = [...commands].find(([, c]) =>
    c.a !== undefined && c.b !== undefined
  )!;
  const [user, userChange] = [...users].find(([, c]) => c.a !== undefined && c.b !== undefined)!;
  const newUser = [...users].find(([, c]) => c.a === undefined)![0];
  const result = evaluate("processes", a, b, [
    `total.pss>+${Math.floor(percent)}%`,
    `total.pss>+${Math.ceil(percent)}%`,
    `command[${program}].pss>=${programChange.change}`,
    `command[${program}].pss>${programChange.change}`,
    `user[${user}].pss<=${userChange.change}`,
    `user[${newUser}].pss>=${users.get(newUser)!.change}`,
    `user[${newUser}].pss>+1%`,
    "command[nginx].uss>+1M",
  ]);
  assert.deepEqual(result.results.map((r) => r.crossed), [
    true,
    false,
    true,
    false,
    true,
    true,
    false,
    false,
  ]);
  assert.deepEqual(result.results[0]!.total?.change, total(b) - total(a));
  assert.deepEqual([...keysOf(result, 2)], [program]);
  assert.deepEqual([...keysOf(result, 4)], [user]);
  assert.deepEqual(result.warnings, [
    `--fail-if "user[${newUser}].pss>+1%": user[${newUser}] has no value in A to take a percent of (new, or 0): use an amount in kB`,
    '--fail-if "command[nginx].uss>+1M": no command[nginx] on either side',
  ]);
});

Deno.test("crossings() on a recording's first and last snapshots: growing workers and the processes that left", async () => {
  const [a, b] = [await recorded("first"), await recorded("last")];
  const changes = pssChanges("processes", a, b);
  const gone = [...changes].filter(([, c]) => c.b === undefined).map(([key]) => key);
  const grew = [...changes].filter(([, c]) => c.change > 50 * 1024).map(([key]) => key);
  assert.ok(gone.length > 0 && grew.length > 0);
  const [pidKey] = grew;
  const pid = pidKey!.split("@")[0]!;
  const pidPercent = changes.get(pidKey!)!.change / changes.get(pidKey!)!.a! * 100;
  const result = evaluate("processes", a, b, [
    "pss<=-100%",
    "pss>+50M",
    `pid[${pid}].pss>+${Math.floor(pidPercent)}%`,
    `pid[${pid}].pss>+${Math.ceil(pidPercent)}%`,
  ]);
  assert.deepEqual(keysOf(result, 0), new Set(gone));
  assert.deepEqual(result.results[0]!.rows.map((r) => r.status), gone.map(() => "gone"));
  assert.deepEqual(keysOf(result, 1), new Set(grew));
  // Largest growth first.
  const order = result.results[1]!.rows.map((r) => r.change.change!);
  assert.deepEqual(order, [...order].sort((x, y) => y - x));
  assert.deepEqual(result.results.slice(2).map((r) => r.crossed), [true, false]);
});
