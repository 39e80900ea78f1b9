/**
 * `memsnap diff`: two snapshots → one view's rows on each side → matched,
 * compared, sorted → rendered; thresholds checked; exit 3 when crossed.
 *
 * @module
 */

import {
  diffColumns,
  type DiffViewRequest,
  labelIds,
  sideOf,
  textStyle,
} from "../diff/diff_view.ts";
import {
  type Crossings,
  crossings,
  describeCrossings,
  metricsByView,
  missingScopes,
} from "../diff/threshold_eval.ts";
import { namesNothing } from "../diff/threshold_reach.ts";
import { InputError } from "../errors/memsnap_error.ts";
import { thresholdsJson } from "../render/threshold_json.ts";
import { diffAsTable } from "../diff/diff_report.ts";
import { sortDiff } from "../diff/diff_sort.ts";
import { diffSides, type DiffTable } from "../diff/diff_table.ts";
import { renderDiffJson, type SideMeta } from "../render/diff_json.ts";
import { renderDiffMarkdown } from "../render/diff_markdown.ts";
import { amountStyle, renderText } from "../render/table_text.ts";
import { type LoadOptions, loadSnapshot } from "../snapshot/load_snapshot.ts";
import type { Snapshot } from "../snapshot/snapshot.ts";
import { membersSource } from "../source/archive_source.ts";
import type { ScannedSnapshot } from "../archive/scan_archive.ts";
import { scanArchiveFile } from "../archive/scan_file.ts";
import { openSource } from "../source/open_source.ts";
import { SourceError } from "../errors/source_error.ts";
import { type DiffRequest, LIVE } from "./diff_args.ts";
import { EXIT } from "./errors.ts";
import type { Io } from "./io.ts";
import { loadOptionsFor } from "./report.ts";

/** A side of the diff: its snapshot and what the output calls it. */
export interface LoadedSide {
  readonly label: string;
  readonly snapshot: Snapshot;
}

/** Runs a diff and writes it; returns the exit code. */
export async function runDiff(request: DiffRequest, io: Io): Promise<number> {
  // --each: every snapshot of the recording, folded into each row's trend.
  if (request.each) return (await import("./trend.ts")).runTrend(request, io);
  const options = readingFor(request);
  const [a, b] = request.sources.length === 2
    ? await Promise.all(request.sources.map((spec) => loadSide(spec, options, io)))
    : await recordingSides(request.sources[0]!, request.peak, options, io);
  const diff = sortDiff(
    diffOf(a!.snapshot, b!.snapshot, request.view, request),
    request.sort,
    request.reverse,
  );
  const result = request.thresholds.length === 0
    ? undefined
    : crossings(request.thresholds, (view, metrics) => {
      const shown = view === "shown";
      const id = shown ? request.view.view : view;
      const labels = labelIds(id, shown ? request.view.columns : []);
      return diffOf(
        a!.snapshot,
        b!.snapshot,
        { view: id, columns: [...labels, ...metrics] },
        request,
      );
    });
  // A named row on neither side: a typo would disable the gate (exit 1, before any output).
  const missing = result === undefined || request.allowMissing ? [] : missingScopes(result);
  if (missing[0] !== undefined) {
    throw new InputError(
      namesNothing(missing[0].threshold, missing[0].unevaluated!, missing.length - 1),
    );
  }
  const sides = { a: metaOf(a!, request), b: metaOf(b!, request) };
  if (request.chart !== undefined) {
    // The chart stack loads only when a chart is asked for.
    const { writeDiffChart } = await import("./diff_chart.ts");
    await writeDiffChart(diff, {
      chart: request.chart,
      view: request.view.view,
      // A label sort (-s command) falls back to PSS.
      metric: request.sort,
      sides: [sides.a, sides.b],
      io,
    });
  } else {
    await io.out(await renderDiff(diff, request, sides, result));
  }
  if (result === undefined) return EXIT.ok;
  for (const warning of result.warnings) io.err(`memsnap: ${warning}\n`);
  for (const line of describeCrossings(result, { units: true })) io.err(`${line}\n`);
  return result.crossed ? EXIT.threshold : EXIT.ok;
}

/**
 * What both sides must read: for the view shown, and for the views and
 * metrics the thresholds name (a map[...] threshold needs mappings).
 */
function readingFor(request: DiffRequest): LoadOptions {
  const views = [...metricsByView(request.thresholds)].map(([view, metrics]) => {
    const id = view === "shown" ? request.view.view : view;
    return { view: id, columns: [...labelIds(id), ...metrics], sort: metrics[0]! };
  });
  return [{ ...request.view, sort: request.sort }, ...views]
    .map((view) => loadOptionsFor({ view, selection: request.selection }))
    .reduce((all, one) => ({
      processes: all.processes || one.processes,
      mappings: all.mappings || one.mappings,
      rollupCounters: all.rollupCounters || one.rollupCounters,
      ...((all.extras || one.extras) && { extras: { ...all.extras, ...one.extras } }),
    }));
}

/** The diff of two snapshots in a view, unsorted. */
export function diffOf(
  a: Snapshot,
  b: Snapshot,
  view: DiffViewRequest,
  request: Pick<DiffRequest, "selection" | "numeric" | "realMemKb">,
): DiffTable {
  const options = {
    selection: request.selection,
    numeric: request.numeric,
    ...(request.realMemKb !== undefined && { realMemKb: request.realMemKb }),
  };
  return diffSides(sideOf(a, view, options), sideOf(b, view, options), diffColumns(view));
}

async function loadSide(spec: string, options: LoadOptions, io: Io): Promise<LoadedSide> {
  const source = await openSource(spec === LIVE ? undefined : spec, {
    warn: (warning) => io.err(`memsnap: ${warning}\n`),
  });
  return { label: source.label, snapshot: await loadSnapshot(source, options) };
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
  io: Io,
): Promise<[LoadedSide, LoadedSide]> {
  const label = `"${file}"`;
  let first: ScannedSnapshot | undefined;
  let chosen: ScannedSnapshot | undefined;
  let chosenPss = -1;
  const sourceOf = ({ meta, members }: ScannedSnapshot) =>
    membersSource(members ?? new Map(), { label, meta });
  const result = await scanArchiveFile(file, {
    wants: () => true,
    async complete(scanned) {
      first ??= scanned;
      if (!peak) chosen = scanned;
      else {
        const sums = { processes: true, mappings: false, rollupCounters: false };
        const pss = totalPss(await loadSnapshot(sourceOf(scanned), sums));
        if (pss > chosenPss) [chosen, chosenPss] = [scanned, pss];
      }
      return true;
    },
  });
  if (result.warning !== null) io.err(`memsnap: ${result.warning}\n`);
  if (result.snapshots < 2 || first === undefined || chosen === undefined) {
    throw new SourceError(
      `Cannot diff ${label} alone: that needs a recording of 2 snapshots or more (it has ${result.snapshots}); to compare two files: memsnap diff A B`,
    );
  }
  const load = async (scanned: ScannedSnapshot): Promise<LoadedSide> => ({
    label: `${label}@${scanned.index}`,
    snapshot: await loadSnapshot(sourceOf(scanned), options),
  });
  return [await load(first), await load(chosen)];
}

/** The PSS of all processes: what --peak finds the highest of. */
function totalPss(snapshot: Snapshot): number {
  return snapshot.processes.reduce((sum, p) => sum + (p.totals.pss ?? 0), 0);
}

function metaOf(side: LoadedSide, request: DiffRequest): SideMeta {
  const { snapshot } = side;
  return {
    source: side.label,
    detail: snapshot.detail,
    takenAt: snapshot.takenAt,
    hostname: snapshot.host.hostname,
    kernel: snapshot.host.kernel,
    memTotal: request.realMemKb ?? snapshot.meminfo.MemTotal ?? 0,
    swapTotal: snapshot.meminfo.SwapTotal ?? 0,
  };
}

/** The diff in the format asked for. */
export async function renderDiff(
  diff: DiffTable,
  request: DiffRequest,
  sides: { readonly a: SideMeta; readonly b: SideMeta },
  thresholds?: Crossings,
): Promise<string> {
  switch (request.format) {
    case "json":
      return renderDiffJson(diff, {
        view: request.view.view,
        sort: request.sort,
        ...sides,
        ...(thresholds !== undefined && { thresholds: thresholdsJson(thresholds) }),
      });
    case "csv": {
      // The CSV writer loads only when CSV is asked for.
      const { renderCsv } = await import("../render/report_csv.ts");
      return renderCsv(diffAsTable(diff), { header: request.header, totals: request.totals });
    }
    case "markdown":
      return renderDiffMarkdown(diff, sides, {
        ...(thresholds !== undefined && { thresholds }),
        totals: request.totals,
        // Shares are of B's MemTotal and SwapTotal.
        amounts: amountStyle(request, sides.b),
      });
    case "table":
      return renderText(diffAsTable(diff, textStyle(request.view, request.sort)), {
        header: request.header,
        totals: request.totals,
        amounts: amountStyle(request, sides.b),
      });
  }
}
