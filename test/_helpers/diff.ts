/**
 * Diffs of two fixture snapshots for the diff chart tests, built with the
 * diff model (keyedSide, diffSides) from the views' rows.
 *
 * @module
 */

import { diffSides, type DiffTable, keyedSide } from "../../src/diff/diff_table.ts";
import type { DiffSideOrigin } from "../../src/chart/diff_spec.ts";
import { loadSnapshot } from "../../src/snapshot/load_snapshot.ts";
import type { Snapshot } from "../../src/snapshot/snapshot.ts";
import { openSource } from "../../src/source/open_source.ts";
import type { Column } from "../../src/view/column.ts";
import { commandRows, commandView } from "../../src/view/commands.ts";
import { processRows, processView } from "../../src/view/processes.ts";
import { ROOT } from "./memsnap.ts";

/** The recording of four growing workers (fixtures/charts/README.md): 30 snapshots. */
export const WORKLOAD = `${ROOT}fixtures/charts/workload.tar.gz`;

/** A snapshot of a source (`FILE@N`), and how a chart names it. */
export async function sideOf(
  spec: string,
): Promise<{ snapshot: Snapshot; origin: DiffSideOrigin }> {
  const source = await openSource(spec);
  const snapshot = await loadSnapshot(source, {
    processes: true,
    mappings: false,
    rollupCounters: false,
  });
  return {
    snapshot,
    origin: {
      hostname: snapshot.host.hostname,
      takenAt: snapshot.takenAt,
      source: source.label.replace(ROOT, ""),
    },
  };
}

const METRICS = ["swap", "uss", "pss", "rss"] as const;

function columnsOf<Row>(
  columns: Readonly<Record<string, Column<Row>>>,
  labels: readonly string[],
): { labels: Column<Row>[]; metrics: Column<Row>[] } {
  return {
    labels: labels.map((id) => columns[id]!),
    metrics: METRICS.map((id) => columns[id]!),
  };
}

/** The diff of two snapshots in a view: processes (by pid) or commands (by program). */
export function diffOf(
  a: Snapshot,
  b: Snapshot,
  view: "processes" | "commands",
): DiffTable {
  if (view === "processes") {
    const columns = columnsOf(processView.columns, ["pid", "user", "command"]);
    const side = (s: Snapshot) =>
      keyedSide(processRows(s, s.processes, { numeric: false }), (row) => `${row.pid}`, columns);
    return diffSides(side(a), side(b), strip(columns));
  }
  const columns = columnsOf(commandView.columns, ["command", "count"]);
  const side = (s: Snapshot) =>
    keyedSide(commandRows(s, s.processes), (row) => row.command, columns);
  return diffSides(side(a), side(b), strip(columns));
}

/** Columns without their accessors, as a diff keeps them. */
function strip<Row>(columns: { labels: Column<Row>[]; metrics: Column<Row>[] }) {
  const info = ({ value: _, ...rest }: Column<Row>) => rest;
  return { labels: columns.labels.map(info), metrics: columns.metrics.map(info) };
}
