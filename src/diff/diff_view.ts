/**
 * A snapshot as one side of a diff: a view's rows, keyed so that the same
 * process, program, user, mapping or area lines up on both sides, and its
 * columns split into those that name a row and those compared.
 *
 * @module
 */

import { type Selection, selectProcesses } from "../select/select.ts";
import type { Process, Snapshot } from "../snapshot/snapshot.ts";
import type { Column } from "../view/column.ts";
import { commandRows, commandView } from "../view/commands.ts";
import { mappingRows, mappingView } from "../view/mappings.ts";
import { processRows, processView } from "../view/processes.ts";
import { systemRows, systemView } from "../view/system.ts";
import type { ColumnInfo } from "../view/table.ts";
import { userRows, userView } from "../view/users.ts";
import type { ViewSpec } from "../view/view_spec.ts";
import type { DiffTableStyle } from "./diff_report.ts";
import { type DiffColumns, type KeyedSide, keyedSide } from "./diff_table.ts";

/** The views a diff compares. */
export const DIFF_VIEWS = ["processes", "commands", "users", "mappings", "system"] as const;
export type DiffViewId = typeof DIFF_VIEWS[number];

/** A view and the columns shown (checked against its catalogue). */
export interface DiffViewRequest {
  readonly view: DiffViewId;
  readonly columns: readonly string[];
  /**
   * The view's default columns, not -c's: the text table shows one metric
   * in full and the others' change only ({@link textStyle}).
   */
  readonly brief?: boolean;
}

/** What a side needs beside the snapshot. */
export interface SideOptions {
  readonly selection: Selection;
  /** -n: users as uids. */
  readonly numeric: boolean;
  /** -R, kB: the system view's firmware area. */
  readonly realMemKb?: number;
}

/** A diff view's catalogue, and its columns that name rows rather than measure them. */
interface DiffViewSpec {
  readonly spec: ViewSpec<never, string>;
  readonly labels: ReadonlySet<string>;
  /** The diff's default columns: the pss, uss, rss and swap beside the names. */
  readonly defaultColumns: readonly string[];
  readonly defaultSort: string;
}

const AMOUNTS = ["pss", "uss", "rss", "swap"];

export const DIFF_VIEW_SPECS: Readonly<Record<DiffViewId, DiffViewSpec>> = {
  processes: {
    spec: processView,
    labels: new Set(["pid", "user", "name", "command"]),
    defaultColumns: ["pid", "user", "command", ...AMOUNTS],
    defaultSort: "pss",
  },
  commands: {
    spec: commandView,
    labels: new Set(["command"]),
    defaultColumns: ["command", "count", ...AMOUNTS],
    defaultSort: "pss",
  },
  users: {
    spec: userView,
    labels: new Set(["user"]),
    defaultColumns: ["user", "count", ...AMOUNTS],
    defaultSort: "pss",
  },
  mappings: {
    spec: mappingView,
    labels: new Set(["map"]),
    defaultColumns: ["map", "pids", ...AMOUNTS],
    defaultSort: "pss",
  },
  system: {
    spec: systemView,
    labels: new Set(["order", "area"]),
    defaultColumns: ["area", "used", "cache", "noncache"],
    defaultSort: "used",
  },
};

/** Whether a column names rows (text, or listed as a label) rather than measures them. */
function isLabel(view: DiffViewId, column: ColumnInfo): boolean {
  return column.quantity === "text" || DIFF_VIEW_SPECS[view].labels.has(column.id);
}

/** The columns of a request, split; in the order asked. */
function splitColumns<Row>(
  spec: ViewSpec<Row, string>,
  request: DiffViewRequest,
): DiffColumns<Row> {
  const columns: Column<Row>[] = request.columns.map((id) => spec.columns[id]!);
  return {
    labels: columns.filter((column) => isLabel(request.view, column)),
    metrics: columns.filter((column) => !isLabel(request.view, column)),
  };
}

/** The label and metric columns of a request, without their accessors. */
export function diffColumns(
  request: DiffViewRequest,
): { labels: ColumnInfo[]; metrics: ColumnInfo[] } {
  const { labels, metrics } = splitColumns(DIFF_VIEW_SPECS[request.view].spec, request);
  const info = ({ value: _, ...rest }: Column<never>): ColumnInfo => rest;
  return { labels: labels.map(info), metrics: metrics.map(info) };
}

/**
 * The label columns of a view to show beside a metric: those among
 * `columns` (the ones shown), or else the view's default ones.
 */
export function labelIds(view: DiffViewId, columns: readonly string[] = []): string[] {
  const { spec, defaultColumns } = DIFF_VIEW_SPECS[view];
  const labels = (ids: readonly string[]) => ids.filter((id) => isLabel(view, spec.columns[id]!));
  const shown = labels(columns);
  return shown.length > 0 ? shown : labels(defaultColumns);
}

/** The same process on both sides: same pid, same start (a reused pid is another). */
export function processKey(process: Pick<Process, "pid" | "startTime">): string {
  return `${process.pid}@${process.startTime ?? "?"}`;
}

/** A snapshot's side of a diff in a view. */
export function sideOf(
  snapshot: Snapshot,
  request: DiffViewRequest,
  options: SideOptions,
): KeyedSide {
  const processes = () => selectProcesses(snapshot, options.selection);
  switch (request.view) {
    case "processes": {
      const chosen = processes();
      const rows = processRows(snapshot, chosen, options);
      // processRows keeps the processes' order: a row's key is its process's.
      const keys = new Map(rows.map((row, i) => [row, processKey(chosen[i]!)]));
      return keyedSide(rows, (row) => keys.get(row)!, splitColumns(processView, request));
    }
    case "commands":
      return keyedSide(
        commandRows(snapshot, processes()),
        (row) => row.command,
        splitColumns(commandView, request),
      );
    case "users":
      return keyedSide(
        userRows(snapshot, processes(), options),
        (row) => String(row.user),
        splitColumns(userView, request),
      );
    case "mappings":
      return keyedSide(
        mappingRows(processes()),
        (row) => row.map,
        splitColumns(mappingView, request),
      );
    case "system":
      return keyedSide(
        systemRows(snapshot.meminfo, {
          ...(options.realMemKb !== undefined && { realMemKb: options.realMemKb }),
          kernelKb: 0,
        }),
        (row) => row.area,
        splitColumns(systemView, request),
      );
  }
}

/**
 * How the text table and the Markdown show a diff: percentages capped;
 * with the default columns (`brief`), the sort metric in full (the view's
 * default sort, PSS, under a label sort) and the others' change only, so
 * that the default table fits 120 columns. CSV and JSON keep every part.
 */
export function textStyle(request: DiffViewRequest, sort: string): DiffTableStyle {
  if (!request.brief) return { capPercent: true };
  const { labels, metrics } = diffColumns(request);
  const isMetric = (id: string) => metrics.some((m) => m.id === id);
  const defaultSort = DIFF_VIEW_SPECS[request.view].defaultSort;
  const full = isMetric(sort) && !labels.some((l) => l.id === sort)
    ? sort
    : isMetric(defaultSort)
    ? defaultSort
    : metrics[0]?.id;
  return { capPercent: true, ...(full !== undefined && { full }) };
}
