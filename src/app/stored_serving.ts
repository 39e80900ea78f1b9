/**
 * `memsnap ui`'s answers over stored sources: one capture, one recording
 * (each of its snapshots a sample, loaded when asked), or two sources to
 * diff. The same endpoints as serve's API (/api/v1/report?sample=N,
 * /api/v1/diff?from=N&to=M, /api/v1/samples), plus /api/v1/timeline for a
 * recording: each snapshot's rows of a view, by their measure.
 *
 * @module
 */

import { stat } from "node:fs/promises";
import { splitSourceSpec } from "../archive/pick.ts";
import { existsSync } from "node:fs";
import { timelinePoint } from "../chart/timeline_data.ts";
import { SourceError } from "../errors/source_error.ts";
import { viewOf, VIEWS } from "../view/registry.ts";
import {
  type Answer,
  diffAnswer,
  indexParam,
  JSON_TYPE,
  reportAnswer,
  textAnswer,
} from "./api_answers.ts";
import { type ArchivedSnapshot, eachSnapshot } from "./each_snapshot.ts";
import { openSampler, type Sample } from "./live_sampler.ts";
import type { Serving } from "./serve.ts";
import { readingFor, viewContext, viewNamed } from "./view_query.ts";

/** What is served, as the page is told. */
export type UiMode = "live" | "capture" | "recording" | "diff";

/** What `memsnap ui` serves from stored sources. */
export interface StoredOptions {
  /** One or two `-S` sources. */
  readonly sources: readonly string[];
  readonly maxFileBytes?: number;
}

/** Every column of every view: the page may ask for any. */
const READING = readingFor(
  VIEWS.map((view) => ({ view: view.id, columns: Object.keys(view.columns) })),
  {},
);

/** What a snapshot of smaps_rollup only gives (a recording's, usually): all but mappings. */
const ROLLUP_READING = { ...READING, mappings: false };

/** One snapshot the page can name by index. */
interface Entry {
  readonly index: number;
  readonly label: string;
  readonly takenAt: string | null;
  /** The source that reads it alone (`FILE@N` for a recording's). */
  readonly spec: string;
}

/** Reads a snapshot held in memory as a sample (full smaps when it has them, else its rollups). */
async function heldSample(
  snapshot: Pick<ArchivedSnapshot, "load" | "source">,
  index: number,
  label: string,
): Promise<Sample> {
  const startedAt = Date.now();
  const loaded = await snapshot.load(READING).catch(() => snapshot.load(ROLLUP_READING));
  return {
    snapshot: loaded,
    source: { ...snapshot.source, label },
    index,
    startedAt,
    durationMs: Date.now() - startedAt,
    diagnostics: [],
  };
}

/**
 * The snapshots a recording file holds (one for a capture), in one pass;
 * the last one's members are kept, so that the latest snapshot (what the
 * page shows first) needs no second pass.
 */
async function entriesOf(
  spec: string,
): Promise<{ entries: Entry[]; recording: boolean; latest?: () => Promise<Sample> }> {
  const { path, pick } = splitSourceSpec(spec, existsSync);
  const file = await stat(path).then((info) => info.isFile(), () => false);
  if (pick !== undefined || !file) {
    return { entries: [{ index: 0, label: spec, takenAt: null, spec }], recording: false };
  }
  const entries: Entry[] = [];
  let last: ArchivedSnapshot | undefined;
  await eachSnapshot(path, (snapshot) => {
    const { index, meta } = snapshot;
    entries.push({ index, label: `${spec}@${index}`, takenAt: meta?.takenAt ?? null, spec });
    last = snapshot;
  });
  if (entries.length <= 1) {
    return {
      entries: [{ index: 0, label: spec, takenAt: entries[0]?.takenAt ?? null, spec }],
      recording: false,
    };
  }
  const kept = last!;
  return {
    entries: entries.map((e) => ({ ...e, spec: `${path}@${e.index}` })),
    recording: true,
    latest: () => heldSample(kept, kept.index, `"${path}"@${kept.index}`),
  };
}

/**
 * Opens the sources (their snapshots listed, the first loaded) and answers
 * from them.
 *
 * @throws {SourceError} When a source cannot be opened.
 */
export async function startStored(options: StoredOptions): Promise<Serving & { mode: UiMode }> {
  if (options.sources.length < 1 || options.sources.length > 2) {
    throw new SourceError(
      `memsnap ui takes one source, or two to diff (given ${options.sources.length})`,
    );
  }
  let entries: Entry[];
  let mode: UiMode;
  let latest: (() => Promise<Sample>) | undefined;
  if (options.sources.length === 2) {
    entries = options.sources.map((spec, index) => ({ index, label: spec, takenAt: null, spec }));
    mode = "diff";
  } else {
    const found = await entriesOf(options.sources[0]!);
    entries = found.entries;
    mode = found.recording ? "recording" : "capture";
    latest = found.latest;
  }
  // Loaded snapshots, the most recently asked last: a few held, not the recording.
  const loaded = new Map<number, Promise<Sample>>();
  const HELD = 6;
  function load(entry: Entry): Promise<Sample> {
    let sample = loaded.get(entry.index);
    if (sample === undefined) {
      const read = (reading: typeof READING) =>
        openSampler({
          source: entry.spec,
          reading,
          rssOnly: true,
          ...(options.maxFileBytes !== undefined && { maxFileBytes: options.maxFileBytes }),
        }).then((sampler) => sampler.sample());
      // Full smaps when the snapshot has them, else its rollups (no mapping view then).
      sample = read(READING).catch(() => read(ROLLUP_READING));
      sample.catch(() => loaded.delete(entry.index));
    } else {
      loaded.delete(entry.index);
    }
    loaded.set(entry.index, sample);
    if (loaded.size > HELD) loaded.delete(loaded.keys().next().value!);
    return sample;
  }
  if (latest !== undefined) {
    const sample = latest();
    sample.catch(() => loaded.delete(entries.length - 1));
    loaded.set(entries.length - 1, sample);
  }
  // The sources read before the page asks: a bad one fails here, not later.
  await Promise.all(
    (mode === "recording" ? [entries[entries.length - 1]!] : entries).map(load),
  );

  const recordingFile = entries[0]!.spec.replace(/@\d+$/, "");
  // Each computed on the first ask, in a pass over the whole recording, and kept.
  const timeline = memoised((view: ReturnType<typeof viewNamed>) =>
    timelineBody(recordingFile, view)
  );
  /** The recording's trend (leak suspects): the JSON of `memsnap diff --each REC --format json`. */
  const trend = memoised((view: ReturnType<typeof viewNamed>) => trendBody(recordingFile, view));

  const entryNamed = (query: URLSearchParams, name: string, fallback: Entry): Entry | Answer => {
    const index = indexParam(query, name);
    if (index === undefined) return fallback;
    if (typeof index !== "number") return index;
    return entries[index] ??
      textAnswer(404, `sample ${index} does not exist (0 to ${entries.length - 1})`);
  };

  return {
    mode,
    ready: Promise.resolve(),
    done: Promise.resolve(),
    async answer(path, query) {
      if (path === "/healthz") {
        return { status: 200, type: JSON_TYPE, body: `${JSON.stringify({ status: "ok" })}\n` };
      }
      if (path === "/api/v1/source") {
        const body = JSON.stringify({ mode, label: options.sources.join(" → ") });
        return { status: 200, type: JSON_TYPE, body: `${body}\n` };
      }
      if (path === "/api/v1/samples") {
        const samples = entries.map((e) => ({
          index: e.index,
          label: e.label,
          takenAt: e.takenAt,
        }));
        return { status: 200, type: JSON_TYPE, body: `${JSON.stringify({ samples }, null, 2)}\n` };
      }
      if (path === "/api/v1/report") {
        const entry = entryNamed(query, "sample", entries[entries.length - 1]!);
        return "status" in entry ? entry : await reportAnswer(await load(entry), query);
      }
      if (path === "/api/v1/diff") {
        const a = entryNamed(query, "from", entries[0]!);
        if ("status" in a) return a;
        const b = entryNamed(query, "to", entries[entries.length - 1]!);
        if ("status" in b) return b;
        return await diffAnswer(
          { label: a.label, held: await load(a) },
          { label: b.label, held: await load(b) },
          query,
        );
      }
      if (path === "/api/v1/trend") {
        if (mode !== "recording") return textAnswer(404, "a trend needs a recording");
        return {
          status: 200,
          type: JSON_TYPE,
          body: await trend(viewNamed(query.get("view") ?? "processes")),
        };
      }
      if (path === "/api/v1/timeline") {
        if (mode !== "recording") return textAnswer(404, "a timeline needs a recording");
        const view = viewNamed(query.get("view") ?? "users");
        return { status: 200, type: JSON_TYPE, body: await timeline(view) };
      }
      return textAnswer(404, "not found");
    },
  };
}

/** `make` once per key, its promise kept; a failed one is forgotten, to be made again when asked. */
function memoised<K, V>(make: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const made = new Map<K, Promise<V>>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) {
      value = make(key);
      value.catch(() => made.delete(key));
      made.set(key, value);
    }
    return value;
  };
}

/**
 * A recording's timeline as JSON: per snapshot, its time, MemAvailable and
 * the view's rows (key, name, kB of the view's measure), read front to back once.
 */
async function timelineBody(file: string, viewId: ReturnType<typeof viewNamed>): Promise<string> {
  const view = viewOf(viewId);
  const reading = readingFor([{ view: view.id, columns: [view.measure] }], {});
  const order = { sort: view.defaultSort, reverse: false };
  const points: unknown[] = [];
  await eachSnapshot(file, async ({ index, load }) => {
    const snapshot = await load(reading);
    const context = viewContext(snapshot, order, { filters: {}, numeric: false });
    const point = timelinePoint(
      { takenAt: snapshot.takenAt ?? "", meminfo: snapshot.meminfo },
      view.parts(context, view.measure),
    );
    points.push({
      index,
      takenAt: snapshot.takenAt,
      memAvailableKb: point.memAvailableKb,
      groups: [...point.groups].map(([key, kb]) => ({
        key,
        name: point.names?.get(key) ?? key,
        kb,
      })),
    });
  });
  return `${JSON.stringify({ view: view.id, noun: view.noun, measure: view.measure, points })}\n`;
}

async function trendBody(file: string, view: ReturnType<typeof viewNamed>): Promise<string> {
  const { runTrend } = await import("./trend.ts");
  const { diffViewQuery } = await import("./diff.ts");
  const { render } = await import("../render/formats.ts");
  const result = await runTrend({
    recording: file,
    view: diffViewQuery({ view, reverse: false }),
    selection: {},
    numeric: false,
  });
  return await render("trend", "json", result, {
    header: true,
    totals: false,
    abbreviate: false,
    percent: false,
  });
}
