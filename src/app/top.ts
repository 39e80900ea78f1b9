/**
 * `memsnap top`'s use case: samples on a schedule (sampler.ts's ticks), each
 * read once with the cost-aware collector carrying walks from the sample
 * before (live_sampler.ts), and each answered as the report runReport would
 * give of it (report.ts's reportOn). The batch front end prints each
 * report; the full-screen one draws it.
 *
 * @module
 */

import type { ScheduleLimits } from "../capture/schedule.ts";
import { compileSelection } from "../select/select.ts";
import type { Snapshot } from "../snapshot/snapshot.ts";
import type { TopHeader } from "../render/top_screen.ts";
import { userspaceGap } from "../view/userspace_gap.ts";
import { openSampler, type Sample, type Sampler } from "./live_sampler.ts";
import { reportOn, type ReportQuery, type ReportResult } from "./report.ts";
import { type Clock, ticks } from "./sampler.ts";
import { readingFor, type ViewQuery } from "./view_query.ts";

/** What top watches, and how often. */
export interface TopOptions {
  /** The report each refresh shows (source, view, filters, cost). */
  readonly query: ReportQuery;
  /** Time between refreshes, and how many (count) or how long (durationMs); none: until aborted. */
  readonly schedule: ScheduleLimits;
  /** Ends the refreshes (a signal, `q`). */
  readonly signal: AbortSignal;
  /** A test's clock. */
  readonly clock?: Clock;
}

/** One refresh: the sample held and its report. */
export interface TopRefresh {
  readonly sample: Sample;
  readonly report: ReportResult;
}

/**
 * Each refresh's sample and report, when due, until the schedule ends or
 * the signal aborts.
 *
 * @throws {UsageError} For a filter RE2 refuses (before anything is read).
 * @throws {SourceError} When the source cannot be opened.
 */
export async function* topRefreshes(options: TopOptions): AsyncGenerator<TopRefresh> {
  const { query } = options;
  const filters = await compileSelection(query.selection);
  const sampler = await openTopSampler(query, [query.view], options.clock);
  const schedule = ticks(options.schedule, {
    signal: options.signal,
    ...(options.clock !== undefined && { clock: options.clock }),
  });
  for await (const _tick of schedule) {
    const sample = await sampler.sample();
    const report = await reportOn(sample, query, filters);
    yield {
      sample,
      report: { ...report, diagnostics: [...sample.diagnostics, ...report.diagnostics] },
    };
  }
}

/**
 * The sampler of a query's source and cost, reading what `views` show.
 *
 * @throws {SourceError} When the source cannot be opened.
 */
export function openTopSampler(
  query: ReportQuery,
  views: readonly ViewQuery[],
  clock?: Clock,
): Promise<Sampler> {
  return openSampler({
    reading: readingFor(views, query.selection),
    ...(query.source !== undefined && { source: query.source }),
    ...(query.cost !== undefined && { cost: query.cost }),
    ...(query.rssOnly && { rssOnly: true }),
    ...(query.maxFileBytes !== undefined && { maxFileBytes: query.maxFileBytes }),
    ...(clock !== undefined && { clock: clock.now }),
  });
}

/** The header of a sample. */
export function topHeader(snapshot: Snapshot): TopHeader {
  const m = snapshot.meminfo;
  const known = (value: number | undefined) => value ?? null;
  const total = known(m.MemTotal);
  const available = known(m.MemAvailable);
  const swapTotal = known(m.SwapTotal);
  return {
    hostname: snapshot.host.hostname,
    memTotalKb: total,
    usedKb: total === null || available === null ? null : total - available,
    cacheKb: known(m.Cached),
    availableKb: available,
    swapTotalKb: swapTotal,
    swapUsedKb: swapTotal === null || m.SwapFree === undefined ? null : swapTotal - m.SwapFree,
    gap: userspaceGap(snapshot.meminfo, snapshot.processes, snapshot.skipped),
    notExact: snapshot.processes.filter((p) => p.provenance !== undefined).length,
  };
}
