/**
 * The JSON form of a report (schema: docs/report.schema.json). Values are
 * raw: kB integers whatever -k or -p say; unknown values are null.
 *
 * @module
 */

import type { Quantity } from "../view/column.ts";
import type { MemoryNode } from "../view/system_tree.ts";
import { reclaimableWord } from "../view/system_tree_view.ts";
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
  /** The processes left out, by reason: the unreadable ones the filters would have shown. */
  readonly skipped: SkippedCounts;
  /**
   * How the processes shown were measured, when not every one was walked
   * now (sampling with --budget, --max-rss, --all, carried numbers).
   */
  readonly provenance?: ProvenanceCounts;
}

/** How many processes' numbers were obtained each way. */
export interface ProvenanceCounts {
  /** Walked in this snapshot. */
  readonly exact: number;
  /** An earlier walk's numbers, their status unchanged since. */
  readonly carried: number;
  /** RSS and swap from status alone: PSS and USS unknown. */
  readonly rssOnly: number;
}

/** Processes left out of a report, by reason. */
export interface SkippedCounts {
  /** Their memory could not be read (another user's, without root), of those -P and -U keep. */
  readonly unreadable: number;
  /** They exited while read. */
  readonly vanished: number;
  /** Kernel threads: no user memory (smem leaves them out too). */
  readonly kernelThreads: number;
  /** Rollup data only, in a snapshot of full detail. */
  readonly withoutMappings: number;
}

/**
 * The version of the JSON report format. 2: `skipped`; `counts` apart from
 * `totals`; the tree's `reclaimable` in the rows' words.
 */
export const REPORT_FORMAT_VERSION = 2;

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
  // Sums are totals; a count of rows or of distinct values (pid, user) is no pid or user.
  const byRule = (counted: boolean) =>
    Object.fromEntries(
      table.columns.flatMap((column, i) =>
        column.total === "none" || (column.total !== "sum") !== counted
          ? []
          : [[column.id, table.totals[i] ?? null]]
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
    totals: byRule(false),
    counts: byRule(true),
    ...(extras && { tree: treeJson(extras.tree), userspace: extras.userspace }),
  };
  return jsonText(document) + "\n";
}

/** A tree node as JSON: its reclaimable flag in the words the rows use. */
interface NodeJson {
  readonly name: string;
  readonly kb: number | null;
  readonly reclaimable: string;
  readonly children?: readonly NodeJson[];
}

function treeJson(node: MemoryNode): NodeJson {
  return {
    name: node.name,
    kb: node.kb,
    reclaimable: reclaimableWord(node),
    ...(node.children !== undefined && { children: node.children.map(treeJson) }),
  };
}
