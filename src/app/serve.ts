/**
 * memsnap serve's use case: samples a source on a schedule in the
 * background (the cost-aware sampler), holds the latest sample and the
 * first, and answers every request from them: a scrape never reads /proc.
 * The HTTP edge (src/http/server.ts) only routes requests here.
 *
 * @module
 */

import type { CostLimits } from "../snapshot/walk_plan.ts";
import { type Family, renderMetrics } from "../render/prometheus.ts";
import { memoryFamilies, QUANTITY_COLUMNS, systemFamily } from "../render/metric_families.ts";
import { VIEWS } from "../view/registry.ts";
import { readingFor, viewQuery } from "./view_query.ts";
import {
  type Answer,
  diffAnswer,
  indexParam,
  JSON_TYPE,
  reportAnswer,
  textAnswer,
} from "./api_answers.ts";
import { openSampler, type Sample } from "./live_sampler.ts";
import { reportOn } from "./report.ts";
import { ticks } from "./sampler.ts";
import { VERSION } from "./version.ts";
import { provenanceCounts } from "./diagnostics.ts";
import { parseDuration } from "../units/duration.ts";

/** How serve samples. */
export interface ServeOptions {
  readonly source?: string;
  readonly cost?: CostLimits;
  readonly intervalMs: number;
  /** Processes with series of their own in /metrics. */
  readonly topN: number;
  /** Recent samples held for /api/v1/report and /diff, besides the first. */
  readonly keep: number;
  readonly maxFileBytes?: number;
  readonly signal: AbortSignal;
}

export type { Answer };

/** An answer whose body is written as it is made (a capture). */
export interface StreamedAnswer {
  readonly status: number;
  readonly type: string;
  readonly name?: string;
  readonly stream: (write: (chunk: Uint8Array) => Promise<void>) => Promise<unknown>;
}

/** What the edge asks of the running use case. */
export interface Serving {
  /** GET path with its query, and the Accept header. */
  answer(
    path: string,
    query: URLSearchParams,
    accept: string | undefined,
  ): Promise<Answer | StreamedAnswer>;
  /** The sampling loop's end (after the signal aborts). */
  readonly done: Promise<void>;
  /** Resolves once the first sample is held. */
  readonly ready: Promise<void>;
}

/** Every column of every view: the API may ask for any. */
const READING = readingFor(
  VIEWS.map((view) => ({ view: view.id, columns: Object.keys(view.columns) })),
  {},
);

/**
 * Opens the source and starts sampling; the first sample is taken before
 * `ready` resolves.
 *
 * @throws {SourceError} When the source cannot be opened.
 */
export async function startServing(options: ServeOptions): Promise<Serving> {
  const sampler = await openSampler({
    reading: READING,
    rssOnly: true,
    ...(options.source !== undefined && { source: options.source }),
    ...(options.cost !== undefined && { cost: options.cost }),
    ...(options.maxFileBytes !== undefined && { maxFileBytes: options.maxFileBytes }),
  });
  let first: Sample | undefined;
  let latest: Sample | undefined;
  // The last `keep` samples, oldest first; the first is held besides them.
  const recent: Sample[] = [];
  let failures = 0;
  // Scrapes answered by format: what a scraper negotiated shows in its own metrics.
  const scrapes = { text: 0, openmetrics: 0 };
  let lastError: string | undefined;
  let readyResolve!: () => void;
  const ready = new Promise<void>((resolve) => readyResolve = resolve);
  const done = (async () => {
    for await (
      const _tick of ticks({ intervalMs: options.intervalMs }, { signal: options.signal })
    ) {
      try {
        const sample = await sampler.sample();
        first ??= sample;
        latest = sample;
        recent.push(sample);
        if (recent.length > Math.max(1, options.keep)) recent.shift();
        readyResolve();
      } catch (error) {
        // A failed sample keeps the one before; /healthz and the self metrics say so.
        failures++;
        lastError = error instanceof Error ? error.message : String(error);
      }
    }
    readyResolve();
  })();

  /** Every sample held, oldest first. */
  function heldSamples(): Sample[] {
    return [first!, ...recent].filter((s, i, all) => all.indexOf(s) === i);
  }

  /**
   * The sample a query parameter names by its index, or `fallback` when it
   * names none; an Answer when the name is bad or the sample is not held.
   */
  function sampleNamed(query: URLSearchParams, name: string, fallback: Sample): Sample | Answer {
    const index = indexParam(query, name);
    if (index === undefined) return fallback;
    if (typeof index !== "number") return index;
    const found = heldSamples().find((s) => s.index === index);
    if (found !== undefined) return found;
    const held = heldSamples().map((s) => s.index).join(", ");
    return textAnswer(404, `sample ${index} is not held (held: ${held}; see /api/v1/samples)`);
  }

  /**
   * The sample's memory and system families, built once per sample: a
   * scrape then only renders (the self metrics, such as the age, are fresh).
   */
  let built: { index: number; families: Promise<Family[]> } | undefined;

  function sampleFamilies(held: Sample): Promise<Family[]> {
    if (built?.index !== held.index) {
      built = { index: held.index, families: buildSampleFamilies(held) };
    }
    return built.families;
  }

  async function buildSampleFamilies(held: Sample): Promise<Family[]> {
    const table = async (
      view: "users" | "processes" | "commands" | "cgroups",
      columns: string[],
    ) =>
      (await reportOn(held, {
        view: viewQuery({ view, columns: [...columns, ...QUANTITY_COLUMNS], reverse: false }),
        selection: {},
        numeric: false,
      }, {})).table;
    const families: Family[] = memoryFamilies({
      users: await table("users", ["user"]),
      processes: await table("processes", ["pid", "name"]),
      commands: await table("commands", ["command"]),
      cgroups: await table("cgroups", ["cgroup", "hierarchy"]),
      topN: options.topN,
    });
    families.push(systemFamily(await systemTree(held)));
    return families;
  }

  async function metrics(held: Sample, openMetrics: boolean): Promise<string> {
    const families = [...await sampleFamilies(held), ...selfFamilies(held)];
    return renderMetrics(families, openMetrics);
  }

  /** The system tree of a sample: the rows `memsnap -w --tree` prints. */
  async function systemTree(held: Sample) {
    return (await reportOn(held, {
      view: viewQuery({ view: "system-tree", columns: ["path", "depth", "kb"], reverse: false }),
      selection: {},
      numeric: false,
    }, {})).table;
  }

  function selfFamilies(held: Sample): Family[] {
    const provenance = provenanceCounts(held.snapshot.processes) ??
      { exact: held.snapshot.processes.length, carried: 0, rssOnly: 0 };
    const skipped = held.snapshot.skipped;
    return [
      gauge(
        "memsnap_sample_duration_seconds",
        "how long reading the latest sample took",
        held.durationMs / 1000,
        "seconds",
      ),
      gauge(
        "memsnap_sample_age_seconds",
        "how old the latest sample is",
        (Date.now() - held.startedAt) / 1000,
        "seconds",
      ),
      gauge("memsnap_sample_index", "0-based count of the latest sample since start", held.index),
      {
        name: "memsnap_sample_failures",
        help: "samples that failed (the one before kept)",
        type: "counter",
        series: [{ labels: {}, value: failures }],
      },
      {
        name: "memsnap_scrapes",
        help: "scrapes of /metrics answered, by the format negotiated (this one counted)",
        type: "counter",
        series: Object.entries(scrapes).map(([format, value]) => ({ labels: { format }, value })),
      },
      {
        name: "memsnap_processes",
        help: "processes of the latest sample, by how they were measured (docs/sampling.md)",
        type: "gauge",
        series: [
          { labels: { measured: "exact" }, value: provenance.exact },
          { labels: { measured: "carried" }, value: provenance.carried },
          { labels: { measured: "rss_only" }, value: provenance.rssOnly },
        ],
      },
      {
        name: "memsnap_processes_skipped",
        help: "processes left out of the latest sample, by reason",
        type: "gauge",
        series: [
          { labels: { reason: "vanished" }, value: skipped.vanished },
          { labels: { reason: "kernel_thread" }, value: skipped.kernelThreads },
          { labels: { reason: "without_mappings" }, value: skipped.withoutMappings },
        ],
      },
      {
        name: "memsnap_build",
        help: "memsnap's version",
        type: "info",
        series: [{ labels: { version: VERSION }, value: 1 }],
      },
    ];
  }

  /**
   * One snapshot read now, as the very tar.gz `memsnap capture` writes,
   * streamed as it is read (remote capture: docs/remote.md). It reads the
   * source afresh (a capture holds raw files, which samples do not keep),
   * within serve's --budget and --max-rss.
   */
  async function captureAnswer(query: URLSearchParams): Promise<Answer | StreamedAnswer> {
    const detail = query.get("detail") ?? "full";
    if (detail !== "full" && detail !== "rollup") {
      return textAnswer(400, `detail must be full or rollup`);
    }
    const { startCapture } = await import("./capture.ts");
    const capture = await startCapture({
      detail,
      ...(options.source !== undefined && { source: options.source }),
      ...(options.maxFileBytes !== undefined && { maxFileBytes: options.maxFileBytes }),
      ...(options.cost !== undefined && { cost: options.cost }),
    });
    return {
      status: 200,
      type: "application/gzip",
      name: capture.defaultName,
      stream: (write) => capture.write(write),
    };
  }

  /**
   * Snapshots every `interval` (at least 1 s), in the recording format, as
   * they are taken; `count` of them, then the end member, or until the
   * client goes. Each is read afresh, within serve's --budget and --max-rss.
   */
  function streamAnswer(query: URLSearchParams): Answer | StreamedAnswer {
    const detail = query.get("detail") ?? "rollup";
    if (detail !== "full" && detail !== "rollup") {
      return textAnswer(400, `detail must be full or rollup`);
    }
    const intervalMs = parseDuration(query.get("interval") ?? "15s");
    if (intervalMs === undefined || intervalMs < 1000 || intervalMs > 86_400_000) {
      return textAnswer(400, "interval must be a duration from 1s to 24h (e.g. 5s, 1m)");
    }
    const countText = query.get("count");
    if (countText !== null && !/^[1-9]\d{0,8}$/.test(countText)) {
      return textAnswer(400, `count must be a whole number ≥ 1`);
    }
    return {
      status: 200,
      type: "application/gzip",
      stream: async (write) => {
        const { streamRecording } = await import("./stream_recording.ts");
        await streamRecording({
          ...(options.source !== undefined && { source: options.source }),
          ...(options.maxFileBytes !== undefined && { maxFileBytes: options.maxFileBytes }),
          ...(options.cost !== undefined && { cost: options.cost }),
          detail,
          intervalMs,
          ...(countText !== null && { count: Number(countText) }),
        }, write);
      },
    };
  }

  return {
    ready,
    done,
    async answer(path, query, accept) {
      const held = latest;
      if (path === "/healthz") {
        const body = JSON.stringify({
          status: held === undefined ? "starting" : "ok",
          sampleIndex: held?.index ?? null,
          sampleAgeMs: held === undefined ? null : Date.now() - held.startedAt,
          intervalMs: options.intervalMs,
          failures,
          ...(lastError !== undefined && { lastError }),
        });
        return { status: held === undefined ? 503 : 200, type: JSON_TYPE, body: `${body}\n` };
      }
      if (held === undefined) return textAnswer(503, "no sample yet");
      if (path === "/metrics") {
        const { OPENMETRICS_TEXT, PROMETHEUS_TEXT, wantsOpenMetrics } = await import(
          "../render/prometheus.ts"
        );
        const open = wantsOpenMetrics(accept);
        scrapes[open ? "openmetrics" : "text"]++;
        return {
          status: 200,
          type: open ? OPENMETRICS_TEXT : PROMETHEUS_TEXT,
          body: await metrics(held, open),
        };
      }
      if (path === "/api/v1/report") {
        const sample = sampleNamed(query, "sample", held);
        return "status" in sample ? sample : await reportAnswer(sample, query);
      }
      if (path === "/api/v1/diff") {
        const a = sampleNamed(query, "from", first!);
        if ("status" in a) return a;
        const b = sampleNamed(query, "to", held);
        return "status" in b ? b : await diffAnswer(
          { label: `sample ${a.index}`, held: a },
          { label: `sample ${b.index}`, held: b },
          query,
        );
      }
      if (path === "/api/v1/source") {
        const body = JSON.stringify({
          mode: options.source === undefined ? "live" : "capture",
          label: held.source.label,
          intervalMs: options.intervalMs,
        });
        return { status: 200, type: JSON_TYPE, body: `${body}\n` };
      }
      if (path === "/api/v1/samples") {
        const list = heldSamples().map((s) => ({
          index: s.index,
          startedAt: new Date(s.startedAt).toISOString(),
          durationMs: s.durationMs,
          processes: s.snapshot.processes.length,
        }));
        return {
          status: 200,
          type: JSON_TYPE,
          body: `${JSON.stringify({ samples: list }, null, 2)}\n`,
        };
      }
      if (path === "/api/v1/capture") return await captureAnswer(query);
      if (path === "/api/v1/stream") return streamAnswer(query);
      return textAnswer(
        404,
        "not found: /metrics, /healthz, /api/v1/report, /api/v1/diff, /api/v1/samples, /api/v1/capture, /api/v1/stream",
      );
    },
  };
}

function gauge(name: string, help: string, value: number, unit?: "seconds"): Family {
  return {
    name,
    help,
    type: "gauge",
    ...(unit !== undefined && { unit }),
    series: [{ labels: {}, value }],
  };
}
