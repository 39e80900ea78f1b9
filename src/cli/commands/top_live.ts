/**
 * The full-screen `memsnap top`: the terminal's side (alternate screen,
 * raw keys, resize, signals) around the pure state machine
 * (app/top_state.ts) and screen (render/top_screen.ts). Escape sequences
 * come from ansi-escapes; keys from node:readline's keypress events. The
 * terminal is restored on q, Ctrl-C, SIGTERM, SIGHUP and any exception.
 *
 * @module
 */

import ansiEscapes from "ansi-escapes";
import process from "node:process";
import { emitKeypressEvents } from "node:readline";
import type { Sample } from "../../app/live_sampler.ts";
import { startRecording } from "../../app/record.ts";
import { reportOn, type ReportQuery } from "../../app/report.ts";
import { openTopSampler, topHeader } from "../../app/top.ts";
import {
  initialState,
  pressKey,
  queryOf,
  type RowRef,
  TOP_VIEWS,
  type TopState,
} from "../../app/top_state.ts";
import { readingFor, viewQuery } from "../../app/view_query.ts";
import { MemsnapError, UsageError } from "../../errors/memsnap_error.ts";
import { helpScreen, measureIndex, rowKey, topScreen } from "../../render/top_screen.ts";
import { compileSelection, type Filters } from "../../select/select.ts";
import type { Table } from "../../view/table.ts";
import { counted } from "../../units/plural.ts";
import { EXIT } from "../errors.ts";
import { onStopSignals } from "../signals.ts";

/** What the full-screen view starts with. */
export interface LiveOptions {
  readonly query: ReportQuery;
  readonly intervalMs: number;
  readonly count?: number;
  readonly abbreviate: boolean;
}

/**
 * Runs the full-screen view until q, a signal or the count of refreshes.
 *
 * @throws {UsageError} When standard input or output is no terminal.
 */
export async function runLive(options: LiveOptions): Promise<number> {
  const { stdin, stdout } = process;
  if (!stdin.isTTY || !stdout.isTTY) {
    throw new UsageError(
      `The full-screen view needs a terminal: "memsnap top -b" prints successive reports`,
    );
  }
  const { query } = options;
  const views = [query.view, ...TOP_VIEWS.map(({ view }) => viewQuery({ view }))];
  const sampler = await openTopSampler(query, views);
  const selected = TOP_VIEWS.some((v) => v.view === query.view.view);
  let state: TopState = initialState({
    view: selected ? query.view.view : "processes",
    intervalMs: options.intervalMs,
    abbreviate: options.abbreviate,
    filter: query.selection.process ?? "",
  });
  let filters: Filters = await compileSelection(query.selection);
  // The rows on screen, for the cursor and Enter.
  let shownRows: readonly RowRef[] = [];
  // The recording `w` writes: memsnap record's, beside the view.
  let recording: { file: string; snapshots: number; stop(): Promise<void> } | undefined;
  const toggleRecording = async () => {
    if (recording !== undefined) {
      const under = recording;
      recording = undefined;
      await under.stop();
      return poke();
    }
    if (query.source !== undefined) {
      message = `w records the live system; this top reads ${query.source}`;
      return poke();
    }
    try {
      const started = await startRecording({
        force: false,
        intervalMs: state.intervalMs,
        detail: "rollup",
        tree: false,
        command: null,
        ...(query.cost !== undefined && { cost: query.cost }),
      });
      const shown = {
        file: started.output,
        snapshots: 0,
        stop: async () => {
          started.stop();
          const result = await ended;
          if (result !== undefined) {
            message = `recorded ${counted(result.snapshots, "snapshot")} into ${started.output}`;
          }
        },
      };
      const ended = (async () => {
        let next = await started.snapshots.next();
        for (; !next.done; next = await started.snapshots.next()) {
          shown.snapshots = next.value.index + 1;
          poke();
        }
        return next.value;
      })().catch((error) => {
        // A recording that cannot go on (a full disk) ends; what it wrote is whole.
        message = firstLine(error);
        if (recording === shown) recording = undefined;
        poke();
        return undefined;
      });
      recording = shown;
    } catch (error) {
      if (!(error instanceof MemsnapError)) throw error;
      message = firstLine(error);
    }
    poke();
  };
  let message: string | undefined;
  const colour = (process.env.NO_COLOR ?? "") === "";

  // Wakes the loop: a key, a resize, a signal, or the interval.
  let wake: () => void = () => {};
  const poke = () => wake();
  let stopped = false;
  const stop = () => {
    stopped = true;
    poke();
  };

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    stdin.off("keypress", onKey);
    stdout.off("resize", poke);
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
    stdout.write(ansiEscapes.exitAlternativeScreen + ansiEscapes.cursorShow);
  };
  let pendingSample = false;
  const onKey = (
    _text: string | undefined,
    key: { name?: string; sequence?: string; ctrl?: boolean },
  ) => {
    const before = state;
    const pressed = pressKey(state, key ?? {}, shownRows);
    state = pressed.state;
    if (state.quit) return stop();
    if (pressed.effect === "sample") pendingSample = true;
    if (pressed.effect === "record") void toggleRecording();
    // A new filter draws once compiled: never its name over the old filter's rows.
    if (state.filter !== before.filter) void applyFilter(state.filter);
    else if (pressed.effect !== "none") poke();
  };
  const applyFilter = async (pattern: string) => {
    try {
      const { process: _, ...others } = query.selection;
      filters = await compileSelection(pattern === "" ? others : { ...others, process: pattern });
      message = undefined;
    } catch (error) {
      message = firstLine(error);
    }
    poke();
  };

  const releaseSignals = onStopSignals(stop);
  process.on("SIGHUP", stop);
  process.on("exit", restore);
  stdout.write(ansiEscapes.enterAlternativeScreen + ansiEscapes.cursorHide);
  stdin.setRawMode(true);
  emitKeypressEvents(stdin);
  stdin.on("keypress", onKey);
  stdin.resume();
  stdout.on("resize", poke);

  // The PSS of each row at the first and the last sample, per view and filter.
  const amounts = new Map<string, Map<string, number>>();
  const amountsId = (sample: Sample, state: TopState) =>
    `${sample.index} ${state.view} ${state.filter}`;
  const amountsOf = async (sample: Sample, state: TopState): Promise<Map<string, number>> => {
    const id = amountsId(sample, state);
    const known = amounts.get(id);
    if (known !== undefined) return known;
    const report = await reportOn(sample, { ...query, view: queryOf(state) }, filters);
    const map = amountsIn(report.table);
    amounts.set(id, map);
    return map;
  };

  try {
    let first: Sample | undefined;
    let last: Sample | undefined;
    let current: Sample | undefined;
    let taken = 0;
    let due = 0;
    while (!stopped) {
      if (current === undefined || pendingSample || (!state.paused && Date.now() >= due)) {
        pendingSample = false;
        if (options.count !== undefined && taken >= options.count) break;
        last = current;
        current = await sampler.sample();
        taken++;
        first ??= current;
        due = current.startedAt + state.intervalMs;
        // Only the first and the last two samples' amounts are kept.
        for (const id of amounts.keys()) {
          const index = Number(id.split(" ")[0]);
          if (index !== first.index && index < current.index - 1) amounts.delete(id);
        }
      }
      await draw(current, last, first!);
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = state.paused ? undefined : setTimeout(resolve, Math.max(0, due - Date.now()));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = () => {};
    }
  } finally {
    await recording?.stop();
    releaseSignals();
    process.off("SIGHUP", stop);
    restore();
    process.off("exit", restore);
  }
  return EXIT.ok;

  /**
   * The report on screen: the sample's, or, for a process's mappings, that
   * process read alone now (samples hold rollups). Where it cannot be read
   * (a capture without mapping detail), the view Enter left, with why.
   */
  async function shownReport(current: Sample) {
    const focus = state.focus;
    if (focus !== undefined) {
      try {
        const alone = await sampler.oneProcess(focus.pid, MAPPINGS_READING);
        return await reportOn(alone, { ...query, view: queryOf(state) }, filters);
      } catch (error) {
        if (!(error instanceof MemsnapError)) throw error;
        message = firstLine(error);
        state = pressKey(state, { name: "escape" }).state;
      }
    }
    return await reportOn(current, { ...query, view: queryOf(state) }, filters);
  }

  async function draw(current: Sample, last: Sample | undefined, first: Sample): Promise<void> {
    const width = stdout.columns ?? 80;
    const height = stdout.rows ?? 24;
    let lines: string[];
    if (state.mode === "help") {
      lines = helpScreen(width, height);
    } else {
      const report = await shownReport(current);
      const shown = queryOf(state);
      // The drawn report's amounts are the next refresh's ΔLAST: not built again then.
      if (state.focus === undefined) {
        amounts.set(amountsId(current, state), amountsIn(report.table));
      }
      shownRows = rowRefs(report.table);
      const pointable = shownRows.some((row) => row.pid !== undefined);
      if (state.cursor >= shownRows.length && state.cursor > 0) {
        state = { ...state, cursor: Math.max(0, shownRows.length - 1) };
      }
      lines = topScreen({
        header: topHeader(current.snapshot),
        status: {
          view: state.view,
          sort: shown.sort,
          descending: state.descending,
          filter: state.filter,
          ...(state.mode === "filter" && { typing: state.draft }),
          paused: state.paused,
          intervalMs: state.intervalMs,
          abbreviate: state.abbreviate,
          takenAt: new Date(current.startedAt).toISOString().slice(11, 19),
          ...(message !== undefined && { message }),
          ...(state.focus !== undefined && { focus: `${state.focus.pid} ${state.focus.name}` }),
          ...(recording !== undefined &&
            { recording: { file: recording.file, snapshots: recording.snapshots } }),
        },
        table: report.table,
        ...(state.focus === undefined
          ? {
            last: last === undefined ? new Map() : await amountsOf(last, state),
            first: await amountsOf(first, state),
          }
          : { last: new Map(), first: new Map(), changes: false }),
        ...(pointable && { cursor: state.cursor }),
        width,
        height,
        colour,
      });
    }
    stdout.write(
      ansiEscapes.cursorTo(0, 0) +
        lines.map((line) => line + ansiEscapes.eraseEndLine).join("\n") +
        ansiEscapes.eraseDown,
    );
  }
}

/** What a process's mappings need read. */
const MAPPINGS_READING = readingFor([viewQuery({ view: "mappings" })], {});

/** The rows of a table as Enter needs them: the pid and name of each, where it has them. */
function rowRefs(table: Table): RowRef[] {
  const pid = table.columns.findIndex((c) => c.id === "pid");
  const name = table.columns.findIndex((c) => c.id === "command" || c.id === "name");
  return table.rows.map((row) => ({
    ...(pid !== -1 && typeof row[pid] === "number" && { pid: row[pid] as number }),
    name: name === -1 ? "" : String(row[name] ?? ""),
  }));
}

/** The measured amount (PSS) of each row of a table, by its key. */
function amountsIn(table: Table): Map<string, number> {
  const measure = measureIndex(table.columns);
  const map = new Map<string, number>();
  if (measure === -1) return map;
  for (const row of table.rows) {
    const value = row[measure];
    if (typeof value === "number") map.set(rowKey(row), value);
  }
  return map;
}

/** An error's first line, for the status line. */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
}
