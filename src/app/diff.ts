/**
 * The diff: two snapshots (two sources, or a recording's first and last or
 * peak) → one view's rows on each side → matched, compared, sorted; and
 * the thresholds (--fail-if) checked on diffs of the same two snapshots.
 *
 * @module
 */

import { diffSides, type DiffTable } from "../diff/diff_table.ts";
import { sortDiff } from "../diff/diff_sort.ts";
import { diffColumns, labelIds, sideOf, textStyle } from "../diff/diff_view.ts";
import type { Threshold } from "../diff/threshold.ts";
import { crossings, metricsByView, missingScopes } from "../diff/threshold_eval.ts";
import { namesNothing, unreachableError } from "../diff/threshold_reach.ts";
import { estimatedLines } from "../diff/estimates.ts";
import { InputError, UsageError } from "../errors/memsnap_error.ts";
import { SourceError } from "../errors/source_error.ts";
import { isAmount } from "../view/column.ts";
import type { DiffDocument } from "../render/documents.ts";
import type { SideMeta } from "../render/diff_json.ts";
import { type LoadOptions, loadSnapshot } from "../snapshot/load_snapshot.ts";
import type { Snapshot } from "../snapshot/snapshot.ts";
import { compileSelection, type Filters, selectProcesses } from "../select/select.ts";
import { openSource } from "../source/open_source.ts";
import { type ViewId, viewOf } from "../view/registry.ts";
import type { Reading } from "../view/view.ts";
import { type Diagnostic, diagnosticsSink, skippedDiagnostics } from "./diagnostics.ts";
import { type ArchivedSnapshot, eachSnapshot, summaryOf } from "./each_snapshot.ts";
import { reportMeta } from "./report.ts";
import { readPages } from "./exact_pages.ts";
import type { PagesMode } from "../snapshot/pages.ts";
import {
  readingFor,
  type RowOptions,
  viewContext,
  type ViewQuery,
  viewQuery,
  type ViewRequest,
} from "./view_query.ts";

/** The live system, as a diff's source. */
export const LIVE = "live";

/** A diff, as a front end asks for it. */
export interface DiffQuery extends RowOptions {
  /**
   * One or two sources: `live`, a directory, an archive, FILE@N. One alone
   * is a recording: its first and last snapshots (or, with `peak`, the one
   * of highest total PSS).
   */
  readonly sources: readonly string[];
  readonly peak?: boolean;
  /** The view and its columns (a diff's: names and the metrics compared). */
  readonly view: DiffViewQuery;
  /** --fail-if, parsed. */
  readonly thresholds?: readonly Threshold[];
  /**
   * A threshold that names no row on either side only warns. Without it,
   * it is an error: a typo would disable a CI gate.
   */
  readonly allowMissing?: boolean;
  /**
   * Thresholds judge estimated numbers too (processes carried or RSS-only
   * in a sampled snapshot). Without it, a diff with thresholds refuses them.
   */
  readonly allowEstimates?: boolean;
  /**
   * How the exact columns' pages are read, when the columns hold some: live,
   * or stored by `capture --pages` (docs/exact.md); default frames.
   */
  readonly exact?: PagesMode;
}

/** A diff's view, and whether its columns are the defaults. */
export interface DiffViewQuery extends ViewQuery {
  /**
   * The view's default columns, not the user's: the text table shows the
   * sort metric in full and the others' change only (textStyle()).
   */
  readonly brief?: boolean;
}

/** A diff, what its thresholds found, and what the user should know of it. */
export interface DiffResult extends DiffDocument {
  readonly diagnostics: readonly Diagnostic[];
}

/** A side of the diff: its snapshot and what the output calls it. */
interface LoadedSide {
  readonly label: string;
  readonly snapshot: Snapshot;
}

/**
 * A diff's view: its columns (the diff's defaults unless given) and its
 * sort, a column shown: by default the view's (pss), or the first amount
 * shown. The same for a trend, whose rows sort by the metric's growth.
 *
 * @throws {UsageError} For an unknown column, or a sort field not shown.
 */
export function diffViewQuery(request: Omit<ViewRequest, "diff" | "data">): DiffViewQuery {
  const { sort: _, ...rest } = request;
  const query = { ...viewQuery({ ...rest, diff: true }), brief: request.columns === undefined };
  const view = viewOf(query.view);
  const { columns } = query;
  if (request.sort !== undefined) {
    if (!columns.includes(request.sort)) {
      throw new UsageError(
        `Sort field "${request.sort}" is not among the columns shown: ${
          columns.map((c) => `"${c}"`).join(", ")
        }`,
      );
    }
    return { ...query, sort: request.sort };
  }
  if (columns.includes(view.defaultSort)) return query;
  const amount = columns.find((id) => isAmount(view.columns[id]!));
  return { ...query, sort: amount ?? columns[0]! };
}

/**
 * Runs a diff.
 *
 * @throws {UsageError} Before reading, for a pattern RE2 refuses, or a
 *   threshold whose row -U, -M or -n leave out (unless allowMissing).
 * @throws {InputError} After reading, before any output, for a threshold
 *   whose row is on neither side (unless allowMissing).
 */
export async function runDiff(query: DiffQuery): Promise<DiffResult> {
  const { diagnostics, warn } = diagnosticsSink();
  const thresholds = query.thresholds ?? [];
  const options = readingOf(query, thresholds);
  const rows = { ...query, filters: await compileSelection(query.selection) };
  const unreached = unreachableError(thresholds, {
    filters: rows.filters,
    numeric: query.numeric ?? false,
  });
  if (unreached !== undefined && !query.allowMissing) throw new UsageError(unreached);
  const pages = options.exact
    ? { mode: query.exact ?? "frames", filters: rows.filters }
    : undefined;
  if (pages !== undefined && query.sources.length === 1) {
    throw new InputError(
      `The exact columns count pages, which a recording's snapshots do not hold: diff two captures taken with "memsnap capture --pages" (or one and live)`,
    );
  }
  const [a, b] = query.sources.length === 2
    ? await Promise.all(query.sources.map((spec) => loadSide(spec, options, warn, pages)))
    : await recordingSides(query.sources[0]!, query.peak ?? false, options, warn);
  const diff = sortDiff(
    diffOf(a!.snapshot, b!.snapshot, query.view, rows),
    query.view.sort,
    query.view.reverse,
  );
  if (thresholds.length > 0 && !query.allowEstimates) refuseEstimates(a!, b!, rows.filters);
  const found = thresholds.length === 0 ? undefined : crossings(thresholds, (view, metrics) => {
    const shown = view === "shown";
    const id = shown ? query.view.view : view;
    const labels = labelIds(id, shown ? query.view.columns : []);
    return diffOf(a!.snapshot, b!.snapshot, { view: id, columns: [...labels, ...metrics] }, rows);
  });
  const missing = found === undefined || query.allowMissing ? [] : missingScopes(found);
  if (missing[0] !== undefined) {
    throw new InputError(
      namesNothing(missing[0].threshold, missing[0].unevaluated!, missing.length - 1),
    );
  }
  found?.warnings.forEach(warn);
  const sides = { a: sideMeta(a!, rows), b: sideMeta(b!, rows) };
  // What each side left out, said for each (a live side is read now, as this user).
  for (const [name, side] of [["A", sides.a], ["B", sides.b]] as const) {
    for (const { message } of skippedDiagnostics(side.skipped, side.source)) {
      warn(`${name}: ${message}`);
    }
  }
  return {
    diff,
    view: query.view.view,
    sort: query.view.sort,
    sides,
    style: textStyle(query.view, query.view.sort),
    ...(found !== undefined && { thresholds: found }),
    diagnostics,
  };
}

/**
 * Refuses to judge thresholds on processes either side did not walk.
 *
 * @throws {InputError} Naming them.
 */
function refuseEstimates(a: LoadedSide, b: LoadedSide, filters: Filters): void {
  const lines = estimatedLines([
    { name: "A", processes: selectProcesses(a.snapshot, filters) },
    { name: "B", processes: selectProcesses(b.snapshot, filters) },
  ]);
  if (lines.length === 0) return;
  throw new InputError(
    `--fail-if judges measured numbers, and some processes were not walked in their snapshot (carried or RSS only): add --allow-estimates to judge them anyway, or record with --refresh 0 and no --budget or --max-rss`,
    lines,
  );
}

/**
 * What both sides must read: for the view shown, and for the views and
 * metrics the thresholds name (a map[...] threshold needs mappings).
 */
function readingOf(query: DiffQuery, thresholds: readonly Threshold[]): Reading {
  const views = [...metricsByView(thresholds)].map(([view, metrics]) => {
    const id = view === "shown" ? query.view.view : view;
    return { view: id, columns: [...labelIds(id), ...metrics] };
  });
  return readingFor([query.view, ...views], query.selection);
}

/**
 * The diff of two snapshots in a view, unsorted.
 *
 * @param options.filters The selection's patterns, compiled (compileSelection()).
 */
export function diffOf(
  a: Snapshot,
  b: Snapshot,
  view: { readonly view: ViewId; readonly columns: readonly string[] },
  options: Omit<RowOptions, "selection"> & { readonly filters: Filters },
): DiffTable {
  // Only a tree orders its rows by the sort: its siblings, which a diff re-sorts anyway.
  const order = { sort: viewOf(view.view).defaultSort, reverse: false };
  return diffSides(
    sideOf(viewContext(a, order, options), view),
    sideOf(viewContext(b, order, options), view),
    diffColumns(view),
  );
}

async function loadSide(
  spec: string,
  options: LoadOptions,
  warn: (message: string) => void,
  pages?: { readonly mode: PagesMode; readonly filters: Filters },
): Promise<LoadedSide> {
  const source = await openSource(spec === LIVE ? undefined : spec, { warn });
  const loaded = await loadSnapshot(source, options);
  if (pages === undefined) return { label: source.label, snapshot: loaded };
  const snapshot = await readPages(loaded, source, {
    mode: pages.mode,
    shown: new Set(selectProcesses(loaded, pages.filters)),
    warn: (message) => warn(`${source.label}: ${message}`),
  });
  return { label: source.label, snapshot };
}

/**
 * A recording's first snapshot, and its last (or, with `peak`, the one of
 * highest total PSS), in one pass. Only those two are loaded with all the
 * view needs; the others are decompressed, and with `peak` summed cheaply.
 */
async function recordingSides(
  file: string,
  peak: boolean,
  options: LoadOptions,
  warn: (message: string) => void,
): Promise<[LoadedSide, LoadedSide]> {
  let first: ArchivedSnapshot | undefined;
  let chosen: ArchivedSnapshot | undefined;
  let chosenPss = -1;
  const result = await eachSnapshot(file, async (snapshot) => {
    first ??= snapshot;
    if (!peak) chosen = snapshot;
    else {
      // The total PSS, as `list` shows it.
      const { pss } = await summaryOf(snapshot);
      if (pss > chosenPss) [chosen, chosenPss] = [snapshot, pss];
    }
  });
  if (result.warning !== null) warn(result.warning);
  if (result.snapshots < 2 || first === undefined || chosen === undefined) {
    throw new SourceError(
      `Cannot diff "${file}" alone: that needs a recording of 2 snapshots or more (it has ${result.snapshots}); to compare two files: memsnap diff A B`,
    );
  }
  const load = async (side: ArchivedSnapshot): Promise<LoadedSide> => ({
    label: `"${file}"@${side.index}`,
    snapshot: await side.load(options),
  });
  return [await load(first), await load(chosen)];
}

function sideMeta(side: LoadedSide, query: DiffQuery & { readonly filters: Filters }): SideMeta {
  const { view: _, ...meta } = reportMeta(side.snapshot, {
    view: query.view.view,
    source: side.label,
    filters: query.filters,
    ...(query.realMemKb !== undefined && { realMemKb: query.realMemKb }),
  });
  return meta;
}

/**
 * The diff of two snapshots already held (serve's first sample and its
 * latest), as runDiff makes it, without reading any source.
 */
export async function diffHeld(
  a: { readonly label: string; readonly snapshot: Snapshot },
  b: { readonly label: string; readonly snapshot: Snapshot },
  query: Omit<DiffQuery, "sources" | "peak" | "thresholds" | "allowMissing" | "allowEstimates">,
): Promise<DiffResult> {
  const rows = { ...query, sources: [], filters: await compileSelection(query.selection) };
  const diff = sortDiff(
    diffOf(a.snapshot, b.snapshot, query.view, rows),
    query.view.sort,
    query.view.reverse,
  );
  return {
    diff,
    view: query.view.view,
    sort: query.view.sort,
    sides: { a: sideMeta(a, rows), b: sideMeta(b, rows) },
    style: textStyle(query.view, query.view.sort),
    diagnostics: [],
  };
}
