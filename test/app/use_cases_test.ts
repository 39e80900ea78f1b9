/**
 * The use cases are functions from a query to a result: called here without
 * a process, argv or stdout, their results are data (tables, diagnostics,
 * crossings), checked against smem's numbers and the CLI's documents.
 */

import { deepStrictEqual, ok, rejects, strictEqual } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { startCapture } from "../../src/app/capture.ts";
import { diffViewQuery, runDiff } from "../../src/app/diff.ts";
import { listSnapshots } from "../../src/app/list.ts";
import { runReport } from "../../src/app/report.ts";
import { timeline } from "../../src/app/timeline.ts";
import { runTrend } from "../../src/app/trend.ts";
import { viewQuery } from "../../src/app/view_query.ts";
import { parseThreshold } from "../../src/diff/threshold.ts";
import { UsageError } from "../../src/errors/memsnap_error.ts";
import { SourceError } from "../../src/errors/source_error.ts";
import { loadSnapshot } from "../../src/snapshot/load_snapshot.ts";
import { openArchiveSnapshot } from "../../src/source/open_archive.ts";
import { viewOf } from "../../src/view/registry.ts";
import { ROOT } from "../_helpers/memsnap.ts";

const N8 = `${ROOT}fixtures/captures/n8.tar.gz`;
const N60 = `${ROOT}fixtures/captures/n60.tar.gz`;
const RECORDING = `${ROOT}fixtures/archives/v1-recording.tar.gz`;
const ROWS = { selection: {}, numeric: false } as const;

Deno.test("runReport(): the users of n8 with smem's numbers (n8.smem-users.txt), as a table", async () => {
  const result = await runReport({ source: N8, view: viewQuery({ view: "users" }), ...ROWS });
  deepStrictEqual(result.table.columns.map((c) => c.id), viewOf("users").defaultColumns);
  // smem -u on n8 (fixtures/captures/n8.smem-users.txt), sorted by PSS.
  deepStrictEqual(result.table.rows, [
    ["mema", 2, 0, 3556, 29680, 64172],
    ["memc", 2, 0, 45592, 47167, 58180],
    ["memb", 4, 0, 41504, 48895, 77612],
  ]);
  deepStrictEqual(result.table.totals, [undefined, 8, 0, 90652, 125742, 199964]);
  deepStrictEqual([result.meta.view, result.meta.source, result.diagnostics], [
    "users",
    `"${N8}"`,
    [],
  ]);
});

Deno.test("runReport(): the system tree comes with its annex, the tree and the userspace gap", async () => {
  const result = await runReport({ source: N8, view: viewQuery({ view: "system-tree" }), ...ROWS });
  strictEqual(result.annex?.tree.name, "MemTotal");
  strictEqual(result.annex?.userspace.gapKb, 20630);
});

Deno.test("runDiff(): n8 → n60, its thresholds' crossings and warnings as data", async () => {
  const view = diffViewQuery({ view: "users" });
  const known = () => ["pss", "uss", "rss", "swap"];
  const result = await runDiff({
    sources: [N8, N60],
    view,
    thresholds: [
      parseThreshold("total.pss>+1M", known),
      parseThreshold("user[nobody].pss>+1M", known),
    ],
    allowMissing: true,
    ...ROWS,
  });
  strictEqual(result.view, "users");
  const total = result.diff.totals[result.diff.metrics.findIndex((m) => m.id === "pss")]!;
  // B's total PSS minus A's, as the reports of n60 and n8 give them.
  const pssOf = async (source: string) =>
    (await runReport({ source, view: viewQuery({ view: "users" }), ...ROWS })).table.totals[4];
  deepStrictEqual([total.a, total.b], [await pssOf(N8), await pssOf(N60)]);
  strictEqual(result.thresholds?.crossed, total.change! > 1024);
  deepStrictEqual(result.diagnostics.map((d) => d.message), result.thresholds!.warnings);
  ok(result.thresholds!.warnings.some((w) => w.includes("nobody")));
  // Without allowMissing, a row on neither side is an input error: a typo is no gate.
  await rejects(
    runDiff({
      sources: [N8, N60],
      view,
      thresholds: [parseThreshold("user[nobody].pss>+1M", known)],
      ...ROWS,
    }),
    {
      name: "InputError",
      message:
        'Threshold "user[nobody].pss>+1M" names nothing: no user[nobody] on either side (add --allow-missing to only warn)',
    },
  );
});

Deno.test("diffViewQuery(): a sort field must be a column shown", () => {
  strictEqual(diffViewQuery({ view: "users", columns: ["user", "rss"] }).sort, "rss");
  try {
    diffViewQuery({ columns: ["pid", "pss"], sort: "rss" });
    throw new Error("not refused");
  } catch (error) {
    ok(error instanceof UsageError);
    strictEqual(error.message, 'Sort field "rss" is not among the columns shown: "pid", "pss"');
  }
});

Deno.test("runTrend(), listSnapshots() and timeline() read a recording once each, as data", async () => {
  const trend = await runTrend({ recording: RECORDING, view: diffViewQuery({}), ...ROWS });
  strictEqual(trend.trend.snapshots, 3);
  const list = await listSnapshots(RECORDING);
  deepStrictEqual(list.snapshots.map((s) => [s.index, s.pss]), [[0, 125742], [1, 125742], [
    2,
    125742,
  ]]);
  strictEqual(list.recording?.detail, "full");
  const chart = await timeline({ recording: RECORDING, view: "users" });
  strictEqual((chart.spec.title as { text: string }).text, "PSS by user over time");
  await rejects(timeline({ recording: N8, view: "users" }), SourceError);
});

Deno.test("startCapture(): the archive's bytes go to the writer given; read back, the same snapshot", async () => {
  const capture = await startCapture({ source: N8, detail: "full" });
  strictEqual(capture.defaultName.startsWith("memsnap-"), true);
  const chunks: Uint8Array[] = [];
  const result = await capture.write((chunk) => {
    chunks.push(chunk);
    return Promise.resolve();
  });
  deepStrictEqual([result.processes, result.unreadable, result.vanished], [8, 0, 0]);
  strictEqual(result.bytes, chunks.reduce((n, c) => n + c.length, 0));
  const { source } = await openArchiveSnapshot(
    (async function* () {
      yield Buffer.concat(chunks);
    })(),
    "the capture",
  );
  const needs = { processes: true, mappings: false, rollupCounters: false };
  const original = await runReport({ source: N8, view: viewQuery({}), ...ROWS });
  const copy = await loadSnapshot(source, needs);
  deepStrictEqual(
    copy.processes.map((p) => p.totals.pss).reduce((a, b) => a! + b!, 0),
    original.table.totals[original.table.columns.findIndex((c) => c.id === "pss")],
  );
});
