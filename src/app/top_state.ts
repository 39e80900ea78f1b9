/**
 * What the full-screen `memsnap top` shows, and how keys change it: a pure
 * state machine (no terminal, no clock), so that every key's effect is
 * tested without a screen.
 *
 * @module
 */

import { isAmount } from "../view/column.ts";
import { type ViewId, viewOf } from "../view/registry.ts";
import { type ViewQuery, viewQuery } from "./view_query.ts";

/** The views top switches between, with the key of each. */
export const TOP_VIEWS: readonly { readonly key: string; readonly view: ViewId }[] = [
  { key: "1", view: "processes" },
  { key: "2", view: "users" },
  { key: "3", view: "commands" },
  { key: "4", view: "cgroups" },
  { key: "5", view: "process-tree" },
];

/** The shortest and longest refresh interval the keys reach. */
export const INTERVAL_RANGE = { minMs: 250, maxMs: 3_600_000 } as const;

/** What is on screen, and how it is read. */
export interface TopState {
  readonly view: ViewId;
  /** The sort column's id; the view's default when undefined. */
  readonly sort?: string;
  /** Largest first (true by default, as top). */
  readonly descending: boolean;
  /** The process filter (a regex on process names, as -P); "" for none. */
  readonly filter: string;
  /** Keys go to the filter being typed (after `/`), or to the help screen. */
  readonly mode: "table" | "filter" | "help";
  /** The filter being typed. */
  readonly draft: string;
  readonly paused: boolean;
  readonly intervalMs: number;
  /** K/M/G, or smem's raw kB. */
  readonly abbreviate: boolean;
  readonly quit: boolean;
  /** The chosen row (↑ ↓), 0 the first shown. */
  readonly cursor: number;
  /** A process whose mappings are shown (Enter on its row), and where Escape goes back to. */
  readonly focus?: Focus;
}

/** The process whose mappings are on screen. */
export interface Focus {
  readonly pid: number;
  /** Its name, for the status line. */
  readonly name: string;
  readonly from: { readonly view: ViewId; readonly sort?: string; readonly cursor: number };
}

/** A row on screen, as Enter needs it: the process it is, when it is one. */
export interface RowRef {
  readonly pid?: number;
  readonly name: string;
}

/** A key as node:readline's keypress event gives it. */
export interface Key {
  readonly name?: string;
  readonly sequence?: string;
  readonly ctrl?: boolean;
}

/** What a key asks of the front end, beside the new state. */
export type Effect =
  /** Draw again from the sample held. */
  | "redraw"
  /** Take a sample now (the interval changed, or unpaused). */
  | "sample"
  /** Start writing a recording of what is watched, or stop the one under way. */
  | "record"
  | "none";

/** The state top starts in. */
export function initialState(
  options: { view: ViewId; intervalMs: number; abbreviate: boolean; filter?: string },
): TopState {
  return {
    view: options.view,
    descending: true,
    filter: options.filter ?? "",
    mode: "table",
    draft: "",
    paused: false,
    intervalMs: options.intervalMs,
    abbreviate: options.abbreviate,
    quit: false,
    cursor: 0,
  };
}

/** The view query the state shows. */
export function queryOf(state: TopState): ViewQuery {
  // smem sorts ascending and -r reverses: largest first is reverse.
  return viewQuery({
    view: state.view,
    ...(state.sort !== undefined && { sort: state.sort }),
    reverse: state.descending,
  });
}

/** The columns a view can be sorted on from the keyboard: its default amounts. */
export function sortColumns(view: ViewId): string[] {
  const spec = viewOf(view);
  return spec.defaultColumns.filter((id) => isAmount(spec.columns[id]!));
}

/**
 * The new state after a key, and what the front end must do; `rows` are
 * the rows on screen (for the cursor and Enter).
 */
export function pressKey(
  state: TopState,
  key: Key,
  rows: readonly RowRef[] = [],
): { state: TopState; effect: Effect } {
  if (key.ctrl && key.name === "c") return { state: { ...state, quit: true }, effect: "none" };
  if (state.mode === "filter") return filterKey(state, key);
  if (state.mode === "help") {
    // Any key leaves the help; q still quits.
    const quit = key.sequence === "q";
    return { state: { ...state, mode: "table", quit }, effect: "redraw" };
  }
  const char = key.sequence ?? "";
  const redraw = (next: Partial<TopState>) => ({
    state: { ...state, ...next },
    effect: "redraw" as const,
  });
  const last = Math.max(0, rows.length - 1);
  switch (key.name) {
    case "up":
      return redraw({ cursor: Math.max(0, Math.min(state.cursor, last) - 1) });
    case "down":
      return redraw({ cursor: Math.min(last, state.cursor + 1) });
    case "return":
    case "enter": {
      const row = rows[Math.min(state.cursor, last)];
      if (state.focus !== undefined || row?.pid === undefined) return { state, effect: "none" };
      const { sort, ...rest } = state;
      const from = { view: state.view, ...(sort !== undefined && { sort }), cursor: state.cursor };
      return {
        state: {
          ...rest,
          view: "mappings",
          cursor: 0,
          focus: { pid: row.pid, name: row.name, from },
        },
        effect: "redraw",
      };
    }
    case "escape":
    case "backspace":
      return state.focus === undefined
        ? { state, effect: "none" }
        : { state: back(state), effect: "redraw" };
  }
  switch (char) {
    case "q":
      return { state: { ...state, quit: true }, effect: "none" };
    case "?":
    case "h":
      return redraw({ mode: "help" });
    case "r":
      return redraw({ descending: !state.descending });
    case "s":
    case ">":
      return redraw({ sort: nextSort(state, 1) });
    case "<":
      return redraw({ sort: nextSort(state, -1) });
    case "/":
      return redraw({ mode: "filter", draft: state.filter });
    case " ":
    case "p":
      return {
        state: { ...state, paused: !state.paused },
        effect: state.paused ? "sample" : "redraw",
      };
    case "+":
      return { state: { ...state, intervalMs: interval(state.intervalMs * 2) }, effect: "sample" };
    case "-":
      return { state: { ...state, intervalMs: interval(state.intervalMs / 2) }, effect: "sample" };
    case "k":
    case "u":
      return redraw({ abbreviate: !state.abbreviate });
    case "w":
      return { state, effect: "record" };
  }
  const view = TOP_VIEWS.find((v) => v.key === char)?.view ??
    (key.name === "tab" ? nextView(state.view) : undefined);
  if (view !== undefined && (view !== state.view || state.focus !== undefined)) {
    const { sort: _, focus: __, ...rest } = state;
    return { state: { ...rest, view, cursor: 0 }, effect: "redraw" };
  }
  return { state, effect: "none" };
}

/** From a process's mappings back to the view, sort and row Enter was pressed on. */
function back(state: TopState): TopState {
  const { focus, sort: _, ...rest } = state;
  const from = focus!.from;
  return {
    ...rest,
    view: from.view,
    cursor: from.cursor,
    ...(from.sort !== undefined && { sort: from.sort }),
  };
}

/** Keys while a filter is typed: Enter applies it, Escape leaves it as it was. */
function filterKey(state: TopState, key: Key): { state: TopState; effect: Effect } {
  if (key.name === "return" || key.name === "enter") {
    return { state: { ...state, mode: "table", filter: state.draft }, effect: "redraw" };
  }
  if (key.name === "escape") return { state: { ...state, mode: "table" }, effect: "redraw" };
  if (key.name === "backspace") {
    return { state: { ...state, draft: state.draft.slice(0, -1) }, effect: "redraw" };
  }
  const char = key.sequence ?? "";
  // Printable characters only: a control sequence is no part of a pattern.
  if (char.length === 1 && char >= " " && char !== "\x7f") {
    return { state: { ...state, draft: state.draft + char }, effect: "redraw" };
  }
  return { state, effect: "none" };
}

function nextSort(state: TopState, step: number): string {
  const columns = sortColumns(state.view);
  const current = columns.indexOf(state.sort ?? viewOf(state.view).defaultSort);
  return columns[(current + step + columns.length) % columns.length]!;
}

function nextView(view: ViewId): ViewId {
  const index = TOP_VIEWS.findIndex((v) => v.view === view);
  return TOP_VIEWS[(index + 1) % TOP_VIEWS.length]!.view;
}

function interval(ms: number): number {
  return Math.min(INTERVAL_RANGE.maxMs, Math.max(INTERVAL_RANGE.minMs, Math.round(ms)));
}
