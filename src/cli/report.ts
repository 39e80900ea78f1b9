/**
 * The report action: source → snapshot → select → view → render → sink.
 *
 * @module
 */

import { renderJson, type ReportMeta } from "../render/report_json.ts";
import { amountStyle, renderText } from "../render/table_text.ts";
import { type Selection, selectProcesses } from "../select/select.ts";
import { openSource } from "../source/open_source.ts";
import { type LoadOptions, loadSnapshot } from "../snapshot/load_snapshot.ts";
import type { ExtrasWanted } from "../snapshot/process_extras.ts";
import type { Process, Snapshot } from "../snapshot/snapshot.ts";
import type { ProcSource } from "../source/proc_source.ts";
import { cgroupKey, cgroupRows, cgroupsOf, cgroupView } from "../view/cgroups.ts";
import { commandRows, commandView } from "../view/commands.ts";
import { mappingRows, mappingView } from "../view/mappings.ts";
import { processTreeRows, processTreeView } from "../view/process_tree.ts";
import { EXTRA_COLUMNS, processRows, processView } from "../view/processes.ts";
import { systemRows, systemView } from "../view/system.ts";
import { type MemoryNode, systemTree } from "../view/system_tree.ts";
import { systemTreeRows, systemTreeView } from "../view/system_tree_view.ts";
import {
  describeGap,
  mappedShmemKb,
  type UserspaceGap,
  userspaceGap,
} from "../view/userspace_gap.ts";
import { buildTable, type Table } from "../view/table.ts";
import { userRows, userView } from "../view/users.ts";
import type { ViewId } from "../view/view_spec.ts";
import type { ReportRequest, ViewRequest } from "./args.ts";
import { chartColumns } from "./chart_args.ts";
import { EXIT } from "./errors.ts";
import type { Io } from "./io.ts";

// Columns that need more than smaps_rollup gives.
const MAPPING_DERIVED = new Set(["vss", "maps"]);
const ROLLUP_ONLY = new Set(["pss_anon", "pss_file", "pss_shmem"]);

/** What decides the reading: the view, its columns and sort field, and the selection. */
export interface ReadingRequest {
  readonly view: {
    readonly view: ViewId;
    readonly columns: readonly string[];
    readonly sort: string;
  };
  readonly selection: Selection;
}

/** Decides what must be read for a report (or a diff: the same views). */
export function loadOptionsFor(request: ReadingRequest): LoadOptions {
  const { view } = request;
  const asked: readonly string[] = [...view.columns, view.sort];
  return {
    processes: view.view !== "system",
    mappings: view.view === "mappings" || request.selection.mapping !== undefined ||
      asked.some((id) => MAPPING_DERIVED.has(id)),
    // The tree splits shmem by the processes' Pss_Shmem.
    rollupCounters: view.view === "system-tree" || asked.some((id) => ROLLUP_ONLY.has(id)),
    cgroups: view.view === "cgroups",
    ...(view.view === "processes" && extrasFor(asked)),
  };
}

/** The extras the process view's columns ask for; none for a plain report. */
function extrasFor(asked: readonly string[]): { extras: ExtrasWanted } | undefined {
  const wanted = Object.entries(EXTRA_COLUMNS).filter(([id]) => asked.includes(id));
  return wanted.length === 0
    ? undefined
    : { extras: Object.fromEntries(wanted.map(([, what]) => [what, true])) };
}

/** Runs a report and writes it; returns the exit code. */
export async function runReport(given: ReportRequest, io: Io): Promise<number> {
  // A chart's table also holds its label and size columns.
  const request = given.chart === undefined ? given : {
    ...given,
    view: {
      ...given.view,
      columns: chartColumns(given.view, given.chart),
    } as ViewRequest,
  };
  const options = loadOptionsFor(request);
  const source = await openSource(request.source, {
    warn: (warning) => io.err(`memsnap: ${warning}\n`),
    // CPU % compares with the recording's snapshot before the one shown.
    previous: options.extras?.cpuPercent === true,
    ...(request.maxFileBytes !== undefined && { maxFileBytes: request.maxFileBytes }),
  });
  const snapshot = await loadSnapshot(source, options);
  // -K's subprocess loads only when asked for.
  const system = request.view.view === "system" || request.view.view === "system-tree";
  const kernel = request.kernelImage !== undefined && system
    ? await (await import("../source/kernel_image.ts")).kernelImageSize(request.kernelImage)
    : { kb: 0, warnings: [] };
  for (const warning of kernel.warnings) io.err(`memsnap: ${warning}\n`);

  const charges = request.view.view === "cgroups"
    ? await readCharges(source, selectProcesses(snapshot, request.selection), request.depth)
    : new Map<string, number>();
  const { table, tree } = tableFor(request, snapshot, { kernelKb: kernel.kb, charges });
  const memTotal = request.realMemKb ?? snapshot.meminfo.MemTotal ?? 0;
  const swapTotal = snapshot.meminfo.SwapTotal ?? 0;
  const terminalColumns = io.terminalColumns() ?? 80;
  const meta: ReportMeta = {
    view: request.view.view,
    source: source.label,
    detail: snapshot.detail,
    takenAt: snapshot.takenAt,
    hostname: snapshot.host.hostname,
    kernel: snapshot.host.kernel,
    memTotal,
    swapTotal,
  };
  if (given.chart !== undefined) {
    const { writeReportChart } = await import("./chart_report.ts");
    await writeReportChart(table, { request: given, chart: given.chart, meta, io });
  } else {
    await io.out(await render(table, { request, terminalColumns, ...(tree && { tree }), meta }));
  }
  for (const line of skippedLines(snapshot, source.label)) io.err(`memsnap: ${line}\n`);
  return EXIT.ok;
}

/**
 * The charges of the cgroups a report shows, from the source's cgroup
 * filesystem; none for a source without one (a capture): unknown, not zero.
 */
async function readCharges(
  source: ProcSource,
  processes: readonly Process[],
  depth: number | undefined,
): Promise<Map<string, number>> {
  const charges = new Map<string, number>();
  if (source.cgroupRoot === undefined) return charges;
  const { cgroupChargeReader } = await import("../source/cgroup_charge.ts");
  const reader = cgroupChargeReader(source.cgroupRoot);
  for (const cgroup of cgroupsOf(processes, depth)) {
    const kb = await reader.charge(cgroup);
    if (kb !== undefined) charges.set(cgroupKey(cgroup), kb);
  }
  return charges;
}

/** What the views need beside the snapshot, read at the edge. */
interface Extras {
  /** -K: the kernel image's size, kB. */
  readonly kernelKb: number;
  /** The cgroups' charges, kB. */
  readonly charges: ReadonlyMap<string, number>;
}

/** The system tree and, beside its userspace, the processes' PSS. */
interface TreeReport {
  readonly tree: MemoryNode;
  readonly userspace: UserspaceGap;
}

function treeReport(request: ReportRequest, snapshot: Snapshot, kernelKb: number): TreeReport {
  const shmem = mappedShmemKb(snapshot.processes);
  return {
    tree: systemTree(snapshot.meminfo, {
      ...(request.realMemKb !== undefined && { realMemKb: request.realMemKb }),
      ...(request.kernelImage !== undefined && { kernelKb }),
      ...(shmem !== undefined && { mappedShmemKb: shmem }),
    }),
    userspace: userspaceGap(snapshot.meminfo, snapshot.processes, snapshot.skipped),
  };
}

/** The view's table; for the system tree, the tree too. */
function tableFor(
  request: ReportRequest,
  snapshot: Snapshot,
  extras: Extras,
): { table: Table; tree?: TreeReport } {
  const { view, reverse } = request;
  if (view.view === "system-tree") {
    const tree = treeReport(request, snapshot, extras.kernelKb);
    return {
      table: buildTable(systemTreeView, systemTreeRows(tree.tree), { ...view, reverse }),
      tree,
    };
  }
  return { table: viewTable({ ...request, view }, snapshot, extras) };
}

/** A view whose rows are a table's rows, every view but the system tree. */
type TableView = Exclude<ViewRequest, { view: "system-tree" }>;

function viewTable(
  request: ReportRequest & { view: TableView },
  snapshot: Snapshot,
  extras: Extras,
): Table {
  const { view, reverse, numeric } = request;
  const processes = () => selectProcesses(snapshot, request.selection);
  switch (view.view) {
    case "processes":
      return buildTable(processView, processRows(snapshot, processes(), { numeric }), {
        ...view,
        reverse,
      });
    case "users":
      return buildTable(userView, userRows(snapshot, processes(), { numeric }), {
        ...view,
        reverse,
      });
    case "mappings":
      return buildTable(mappingView, mappingRows(processes()), { ...view, reverse });
    case "system":
      return buildTable(
        systemView,
        systemRows(snapshot.meminfo, {
          ...(request.realMemKb !== undefined && { realMemKb: request.realMemKb }),
          kernelKb: extras.kernelKb,
        }),
        { ...view, reverse },
      );
    case "cgroups":
      return buildTable(
        cgroupView,
        cgroupRows(processes(), {
          ...(request.depth !== undefined && { depth: request.depth }),
          charges: extras.charges,
        }),
        { ...view, reverse },
      );
    case "commands":
      return buildTable(commandView, commandRows(snapshot, processes()), { ...view, reverse });
    case "process-tree":
      return buildTable(
        processTreeView,
        processTreeRows(snapshot, processes(), { numeric, sort: view.sort, reverse }),
        { ...view, reverse },
      );
  }
}

/** What a report's rendering needs beside its table. */
interface RenderContext {
  readonly request: ReportRequest;
  readonly terminalColumns: number;
  readonly tree?: TreeReport;
  readonly meta: ReportMeta;
}

async function render(
  table: Table,
  { request, terminalColumns, tree, meta }: RenderContext,
): Promise<string> {
  switch (request.format) {
    case "json":
      return renderJson(table, meta, tree);
    case "csv": {
      // The CSV writer loads only when CSV is asked for.
      const { renderCsv } = await import("../render/report_csv.ts");
      return renderCsv(table, { header: request.header, totals: request.totals });
    }
    case "table": {
      const text = renderText(table, {
        header: request.header,
        totals: request.totals,
        amounts: amountStyle(request, meta),
        // smem's width when it finds no terminal: 80.
        ...(request.autosize && { autosize: { terminalColumns } }),
      });
      return tree === undefined
        ? text
        : text + "\n" + describeGap(tree.userspace).map((line) => line + "\n").join("");
    }
  }
}

/** What the snapshot left out that the user should know of. */
function skippedLines(snapshot: Snapshot, label: string): string[] {
  const { unreadable, withoutMappings } = snapshot.skipped;
  const processes = (n: number) => `${n} process${n === 1 ? "" : "es"}`;
  const lines: string[] = [];
  if (unreadable > 0) {
    lines.push(
      `${
        processes(unreadable)
      } skipped: permission denied reading their memory maps (reading other users' processes needs root or CAP_SYS_PTRACE)`,
    );
  }
  if (withoutMappings > 0) {
    lines.push(`${processes(withoutMappings)} skipped: only smaps_rollup in ${label}, no smaps`);
  }
  return lines;
}
