/**
 * Samples held in memory, one after another, for the front ends that run
 * for long (serve, top): each sample reads the source once with the
 * cost-aware collector, carrying walks from the sample before, and every
 * answer is then made from the sample held (report.ts's reportOn), never
 * from /proc.
 *
 * @module
 */

import type { Memory } from "../snapshot/process_outcome.ts";
import type { Snapshot } from "../snapshot/snapshot.ts";
import { loadSnapshot } from "../snapshot/load_snapshot.ts";
import type { WalkCache } from "../snapshot/costed_pass.ts";
import type { CostLimits } from "../snapshot/walk_plan.ts";
import { openSource } from "../source/open_source.ts";
import type { ProcSource } from "../source/proc_source.ts";
import type { Reading } from "../view/view.ts";
import { type Diagnostic, diagnosticsSink } from "./diagnostics.ts";
import type { HeldSnapshot } from "./report.ts";

/** What a sampler reads, and what each sample may spend. */
export interface SamplerOptions {
  /** What `-S` names; undefined: the live system. A stored source gives the same sample each time. */
  readonly source?: string;
  /** What the views answered from a sample need (readingFor() of them all). */
  readonly reading: Reading;
  /** What walking the live processes may cost; absent: every process walked each time. */
  readonly cost?: CostLimits;
  /** Processes whose memory maps cannot be read are rows from their status (rss-only). */
  readonly rssOnly?: boolean;
  /** The most read of one file of a mirror or archive, bytes. */
  readonly maxFileBytes?: number;
  /** ms since the epoch; a test's clock. */
  readonly clock?: () => number;
}

/** One sample, as held. */
export interface Sample extends HeldSnapshot {
  /** 0-based count of samples this sampler took. */
  readonly index: number;
  /** When reading began, ms since the epoch. */
  readonly startedAt: number;
  /** How long reading took, ms. */
  readonly durationMs: number;
  /** What the source said while it was read. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Takes samples of one source, carrying walks between them. */
export interface Sampler {
  sample(): Promise<Sample>;
  /**
   * One process read now, alone, as `reading` asks (its mappings, where a
   * sample holds only rollups): what top shows on Enter. A process gone
   * since is a snapshot without it.
   *
   * @throws {SourceError} When the source cannot give what `reading` asks.
   */
  oneProcess(pid: number, reading: Reading): Promise<HeldSnapshot>;
}

/**
 * Opens the source (live /proc by default) for repeated sampling.
 *
 * @throws {SourceError} When the source cannot be opened.
 */
export async function openSampler(options: SamplerOptions): Promise<Sampler> {
  const { diagnostics: opening, warn } = diagnosticsSink();
  const clock = options.clock ?? Date.now;
  const source = await openSource(options.source, {
    warn,
    ...(options.maxFileBytes !== undefined && { maxFileBytes: options.maxFileBytes }),
  });
  // The walks each sample keeps, for the next to carry.
  const cache: WalkCache<Memory> = { kept: new Map() };
  let index = 0;
  // An archive holds one moment: it is parsed once, not at every sample.
  let stored: Promise<Snapshot> | undefined;
  const load = () =>
    loadSnapshot(source, {
      ...options.reading,
      ...(options.cost !== undefined && { cost: { limits: options.cost, cache, clock } }),
      ...(options.rssOnly && { rssOnly: true }),
    });
  return {
    async sample() {
      const startedAt = clock();
      const snapshot = source.fixed ? await (stored ??= load()) : await load();
      const diagnostics = index === 0 ? [...opening] : [];
      return {
        snapshot,
        source,
        index: index++,
        startedAt,
        durationMs: clock() - startedAt,
        diagnostics,
      };
    },
    async oneProcess(pid, reading) {
      const alone: ProcSource = {
        ...source,
        pids: async () => (await source.pids()).includes(pid) ? [pid] : [],
      };
      return { snapshot: await loadSnapshot(alone, reading), source };
    },
  };
}
