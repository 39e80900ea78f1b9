/**
 * The report: a source's snapshot, in one view, as a table (and what the
 * view shows beside it), with what was left out as diagnostics.
 *
 * @module
 */

import type { ReportDocument } from "../render/documents.ts";
import type { ReportMeta, SkippedCounts } from "../render/report_json.ts";
import { InputError } from "../errors/memsnap_error.ts";
import { loadSnapshot } from "../snapshot/load_snapshot.ts";
import type { PagesMode } from "../snapshot/pages.ts";
import { readPages } from "./exact_pages.ts";
import { counted } from "../units/plural.ts";
import type { Process, Snapshot } from "../snapshot/snapshot.ts";
import { compileSelection, type Filters, selectProcesses, skippedShown } from "../select/select.ts";
import { openSource } from "../source/open_source.ts";
import type { ProcSource } from "../source/proc_source.ts";
import { cgroupKey, cgroupsOf } from "../view/cgroups.ts";
import { viewOf } from "../view/registry.ts";
import { isColumnOf } from "../view/view.ts";
import type { CostLimits } from "../snapshot/walk_plan.ts";
import type { Reading } from "../view/view.ts";
import {
  type Diagnostic,
  diagnosticsSink,
  provenanceCounts,
  provenanceDiagnostics,
  skippedDiagnostics,
} from "./diagnostics.ts";
import { readingFor, type RowOptions, viewContext, type ViewQuery } from "./view_query.ts";

/** A report, as a front end asks for it. */
export interface ReportQuery extends RowOptions {
  /** What `-S` names; undefined: the live system. */
  readonly source?: string;
  readonly view: ViewQuery;
  /** -K: the kernel image to measure (the system views). */
  readonly kernelImage?: string;
  /** The most read of one file of a mirror or archive, bytes (docs/security.md). */
  readonly maxFileBytes?: number;
  /** The rows that split the whole, flat (a chart's), rather than every row. */
  readonly parts?: boolean;
  /** What walking the live system's processes may cost; absent: every one is walked. */
  readonly cost?: CostLimits;
  /** The processes whose memory maps cannot be read, as rss-only rows (--all; JSON). */
  readonly rssOnly?: boolean;
  /**
   * Every row of a sampled source (live, a recording that sampled) says how
   * it was measured (JSON, CSV: a script finds the same columns whatever
   * the sample); otherwise only when some row is not exact.
   */
  readonly alwaysProvenance?: boolean;
  /**
   * How the exact columns' pages are read (docs/exact.md): frame numbers
   * (root), or the lower bound from pagemap's exclusive bit; default frames.
   */
  readonly exact?: PagesMode;
  /**
   * --wss: reset the shown processes' referenced bits, wait this many ms,
   * then read: Referenced is then what they touched meanwhile (docs/exact.md).
   */
  readonly wssMs?: number;
}

/** A report and what the user should know of it. */
export interface ReportResult extends ReportDocument {
  readonly diagnostics: readonly Diagnostic[];
}

/** Runs a report. */
export async function runReport(query: ReportQuery): Promise<ReportResult> {
  const { diagnostics, warn } = diagnosticsSink();
  const reading = readingFor([query.view], query.selection);
  // Before any source is read: a pattern RE2 refuses is a usage error.
  const filters = await compileSelection(query.selection);
  const source = await openSource(query.source, {
    warn,
    // CPU % compares with the recording's snapshot before the one shown.
    previous: reading.extras?.cpuPercent === true,
    ...(query.maxFileBytes !== undefined && { maxFileBytes: query.maxFileBytes }),
  });
  if (query.wssMs !== undefined) {
    await resetReferenced(source, filters, { reading, waitMs: query.wssMs, warn });
  }
  const loaded = await loadSnapshot(source, {
    ...reading,
    ...(query.cost !== undefined && { cost: { limits: query.cost } }),
    ...(query.rssOnly && { rssOnly: true }),
  });
  const snapshot = reading.exact
    ? await readPages(loaded, source, {
      mode: query.exact ?? "frames",
      shown: new Set(selectProcesses(loaded, filters)),
      warn,
    })
    : loaded;
  const report = await reportOn({ snapshot, source }, query, filters);
  return { ...report, diagnostics: [...diagnostics, ...report.diagnostics] };
}

/**
 * --wss: clears the referenced bits of the processes the filters select,
 * then waits.
 *
 * @throws {InputError} For a source that is not live.
 */
async function resetReferenced(
  source: ProcSource,
  filters: Filters,
  options: {
    /** What the report reads: -M's filter needs the mappings to select. */
    readonly reading: Reading;
    readonly waitMs: number;
    readonly warn: (message: string) => void;
  },
): Promise<void> {
  if (!source.live) {
    throw new InputError(`--wss measures the live system: ${source.label} is a copy`);
  }
  const before = await loadSnapshot(source, { ...options.reading, processes: true });
  const { clearReferenced } = await import("../source/clear_refs.ts");
  let denied = 0;
  for (const process of selectProcesses(before, filters)) {
    if (await clearReferenced(process.pid) === "denied") denied++;
  }
  if (denied > 0) {
    options.warn(
      `${
        counted(denied, "process")
      }' referenced bits could not be reset (other users'): their Referenced is not the working set`,
    );
  }
  await new Promise((resolve) => setTimeout(resolve, options.waitMs));
}

/** A snapshot already read, and the source it was read from. */
export interface HeldSnapshot {
  readonly snapshot: Snapshot;
  /** Its label and kind; a live one's cgroup filesystem gives the cgroup view's charges. */
  readonly source: Pick<ProcSource, "label" | "live" | "recorded" | "cgroupRoot">;
}

/**
 * The report of a snapshot already read: what a long-running front end
 * (serve, top) answers from the sample it holds, without reading /proc
 * again. Only the cgroup view's charges are read, from the cgroup
 * filesystem, when the view shows them.
 *
 * @param filters The query's selection, compiled (compileSelection()).
 */
export async function reportOn(
  held: HeldSnapshot,
  query: Omit<ReportQuery, "source" | "cost" | "rssOnly">,
  filters: Filters,
): Promise<ReportResult> {
  const { snapshot, source } = held;
  const view = viewOf(query.view.view);
  const reading = readingFor([query.view], query.selection);
  const diagnostics: Diagnostic[] = [];
  // -K's subprocess loads only when asked for.
  let kernelKb: number | undefined;
  if (query.kernelImage !== undefined && view.options.includes("kernel")) {
    const { kernelImageSize } = await import("../source/kernel_image.ts");
    const kernel = await kernelImageSize(query.kernelImage);
    kernel.warnings.forEach((message) => diagnostics.push({ message }));
    kernelKb = kernel.kb;
  }
  // A sampled source (live, or a recording that sampled) may measure a process either way.
  const sampled = source.live || source.recorded?.provenance !== undefined;
  const viewQuery = withProvenance(
    query.view,
    snapshot,
    (query.alwaysProvenance ?? false) && sampled,
  );
  const context = viewContext(snapshot, viewQuery, {
    ...query,
    filters,
    ...(kernelKb !== undefined && { kernelKb }),
  });
  const charges = reading.charges
    ? await readCharges(source, context.processes, query.depth)
    : new Map<string, number>();
  const shown = { ...context, charges };
  const table = view.table(shown, { ...viewQuery, ...(query.parts && { parts: true }) });
  const provenance = provenanceCounts(context.processes);
  const meta = {
    ...reportMeta(snapshot, {
      view: view.id,
      source: source.label,
      filters,
      ...(query.realMemKb !== undefined && { realMemKb: query.realMemKb }),
    }),
    ...(provenance !== undefined && { provenance }),
  };
  return {
    table,
    meta,
    ...(view.annex !== undefined && { annex: view.annex(shown) }),
    diagnostics: [
      ...diagnostics,
      ...skippedDiagnostics(meta.skipped, source.label),
      ...provenanceDiagnostics(context.processes),
    ],
  };
}

/**
 * The view's columns, with how each row was measured added when some
 * process was not walked now (the view shows processes one per row).
 */
function withProvenance(query: ViewQuery, snapshot: Snapshot, always: boolean): ViewQuery {
  const view = viewOf(query.view);
  if (!isColumnOf(view, "provenance")) return query;
  if (!always && snapshot.processes.every((p) => p.provenance === undefined)) return query;
  const added = ["provenance", "age"].filter((id) => !query.columns.includes(id));
  return { ...query, columns: [...query.columns, ...added] };
}

/**
 * Where a snapshot's numbers come from, what -p takes shares of, and what
 * was left out (the unreadable processes the filters would have kept).
 */
export function reportMeta(
  snapshot: Snapshot,
  options: {
    readonly view: ReportMeta["view"];
    readonly source: string;
    readonly realMemKb?: number;
    readonly filters: Filters;
  },
): ReportMeta {
  return {
    view: options.view,
    source: options.source,
    detail: snapshot.detail,
    takenAt: snapshot.takenAt,
    hostname: snapshot.host.hostname,
    kernel: snapshot.host.kernel,
    memTotal: options.realMemKb ?? snapshot.meminfo.MemTotal ?? 0,
    swapTotal: snapshot.meminfo.SwapTotal ?? 0,
    skipped: skippedCounts(snapshot, options.filters),
  };
}

/** What a snapshot left out, by reason: of the unreadable, those the filters would have kept. */
export function skippedCounts(snapshot: Snapshot, filters: Filters): SkippedCounts {
  const { kernelThreads, vanished, withoutMappings } = snapshot.skipped;
  return {
    unreadable: skippedShown(snapshot, filters),
    vanished,
    kernelThreads,
    withoutMappings,
  };
}

/**
 * The charges of the cgroups a report shows, from the source's cgroup
 * filesystem; none for a source without one (a capture): unknown, not zero.
 */
async function readCharges(
  source: Pick<ProcSource, "cgroupRoot">,
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
