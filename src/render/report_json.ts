/**
 * The JSON form of a report (schema: docs/report.schema.json). Values are
 * raw: kB integers whatever -k or -p say; unknown values are null.
 *
 * @module
 */

import type { Quantity } from "../view/column.ts";
import type { MemoryNode } from "../view/system_tree.ts";
import type { UserspaceGap } from "../view/userspace_gap.ts";
import type { Table } from "../view/table.ts";
import type { ViewId } from "../view/registry.ts";
import { jsonText } from "./terminal_text.ts";

/** Where a report's numbers come from. */
export interface ReportMeta {
  readonly view: ViewId;
  /** The source's label: `live /proc`, `"capture.tar.gz"`. */
  readonly source: string;
  readonly detail: "rollup" | "full";
  readonly takenAt: string | null;
  readonly hostname: string | null;
  readonly kernel: string | null;
  /** What -p takes shares of: MemTotal (or -R) and SwapTotal, kB. */
  readonly memTotal: number;
  readonly swapTotal: number;
}

/** The version of the JSON report format. */
export const REPORT_FORMAT_VERSION = 1;

/** The unit a JSON document gives a column of each quantity. */
export const UNITS: Record<Quantity, "kB" | "count" | "ticks" | "percent" | "text"> = {
  memory: "kB",
  swap: "kB",
  count: "count",
  ticks: "ticks",
  percent: "percent",
  text: "text",
};

/**
 * What the system tree's report adds to the rows: the tree itself, nested
 * as scripts walk it, and the processes' PSS beside its userspace.
 */
export interface TreeExtras {
  readonly tree: MemoryNode;
  readonly userspace: UserspaceGap;
}

/** Renders a report as JSON, one document, ending with a newline. */
export function renderJson(table: Table, meta: ReportMeta, extras?: TreeExtras): string {
  const ids = table.columns.map((c) => c.id);
  const record = (values: readonly (string | number | undefined)[]) =>
    Object.fromEntries(ids.map((id, i) => [id, values[i] ?? null]));
  const totals = Object.fromEntries(
    table.columns.flatMap((column, i) =>
      column.total === "none" ? [] : [[column.id, table.totals[i] ?? null]]
    ),
  );
  const document = {
    format: "memsnap-report",
    version: REPORT_FORMAT_VERSION,
    ...meta,
    columns: table.columns.map((c) => ({
      id: c.id,
      header: c.header,
      unit: UNITS[c.quantity],
      total: c.total,
    })),
    rows: table.rows.map(record),
    totals,
    ...(extras && { tree: extras.tree, userspace: extras.userspace }),
  };
  return jsonText(document) + "\n";
}
