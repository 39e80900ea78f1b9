/**
 * top's key state machine: each key's new state and effect, without a
 * terminal.
 */

import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  initialState,
  INTERVAL_RANGE,
  type Key,
  pressKey,
  queryOf,
  sortColumns,
  type TopState,
} from "../../src/app/top_state.ts";

const start = initialState({ view: "processes", intervalMs: 2000, abbreviate: true });

/** The state after typing each key in turn, and the last key's effect. */
function press(state: TopState, ...keys: (string | Key)[]) {
  let effect = "none";
  for (const key of keys) {
    const next = pressKey(state, typeof key === "string" ? { sequence: key, name: key } : key);
    state = next.state;
    effect = next.effect;
  }
  return { state, effect };
}

Deno.test("initialState(): the processes view, largest PSS first, as `memsnap -r`", () => {
  const query = queryOf(start);
  strictEqual(query.view, "processes");
  strictEqual(query.sort, "pss");
  strictEqual(query.reverse, true);
  strictEqual(start.mode, "table");
  strictEqual(start.quit, false);
});

Deno.test("pressKey(): 1-5 pick the views, Tab cycles them; a view switch drops the sort", () => {
  deepStrictEqual(
    ["2", "3", "4", "5", "1"].map((k) => press(start, k).state.view),
    ["users", "commands", "cgroups", "process-tree", "processes"],
  );
  const tab = { name: "tab", sequence: "\t" };
  deepStrictEqual(
    [1, 2, 5].map((n) => press(start, ...Array(n).fill(tab)).state.view),
    ["users", "commands", "processes"],
  );
  const sorted = press(start, "s");
  strictEqual(sorted.state.sort !== undefined, true);
  const switched = press(sorted.state, "2");
  strictEqual(switched.state.sort, undefined);
  strictEqual(switched.effect, "redraw");
  // The view shown already: nothing to do.
  deepStrictEqual(press(start, "1"), { state: start, effect: "none" });
});

Deno.test("pressKey(): s and > step through the view's amounts, < back; r reverses", () => {
  const columns = sortColumns("processes");
  deepStrictEqual(columns, ["swap", "uss", "pss", "rss"]);
  strictEqual(press(start, "s").state.sort, "rss");
  strictEqual(press(start, ">", ">").state.sort, "swap");
  strictEqual(press(start, "<").state.sort, "uss");
  strictEqual(queryOf(press(start, "s").state).sort, "rss");
  const reversed = press(start, "r");
  strictEqual(reversed.state.descending, false);
  strictEqual(queryOf(reversed.state).reverse, false);
  strictEqual(press(reversed.state, "r").state.descending, true);
});

Deno.test("pressKey(): / types a filter, Enter applies it, Escape leaves the old one", () => {
  const typing = press(start, "/", "p", "y", "t", "h");
  strictEqual(typing.state.mode, "filter");
  strictEqual(typing.state.draft, "pyth");
  // Keys while typing are text, not commands: q does not quit.
  const q = press(typing.state, "q");
  strictEqual(q.state.quit, false);
  strictEqual(q.state.draft, "pythq");
  const erased = press(q.state, { name: "backspace", sequence: "\x7f" });
  strictEqual(erased.state.draft, "pyth");
  const applied = press(erased.state, { name: "return", sequence: "\r" });
  deepStrictEqual([applied.state.mode, applied.state.filter, applied.effect], [
    "table",
    "pyth",
    "redraw",
  ]);
  const escaped = press(applied.state, "/", "x", { name: "escape", sequence: "\x1b" });
  deepStrictEqual([escaped.state.mode, escaped.state.filter], ["table", "pyth"]);
  // A control sequence (an arrow key) is no part of a pattern.
  const arrow = press(start, "/", { name: "up", sequence: "\x1b[A" });
  strictEqual(arrow.state.draft, "");
});

Deno.test("pressKey(): + and - double and halve the interval within its range, and sample", () => {
  const slower = press(start, "+");
  deepStrictEqual([slower.state.intervalMs, slower.effect], [4000, "sample"]);
  strictEqual(press(start, "-").state.intervalMs, 1000);
  strictEqual(press(start, ...Array(20).fill("-")).state.intervalMs, INTERVAL_RANGE.minMs);
  strictEqual(press(start, ...Array(30).fill("+")).state.intervalMs, INTERVAL_RANGE.maxMs);
});

Deno.test("pressKey(): space pauses (redraw), again resumes (sample now); k toggles units", () => {
  const paused = press(start, " ");
  deepStrictEqual([paused.state.paused, paused.effect], [true, "redraw"]);
  const resumed = press(paused.state, "p");
  deepStrictEqual([resumed.state.paused, resumed.effect], [false, "sample"]);
  strictEqual(press(start, "k").state.abbreviate, false);
  strictEqual(press(start, "k", "k").state.abbreviate, true);
});

Deno.test("pressKey(): ? shows the help, any key leaves it, q there quits; q and Ctrl-C quit", () => {
  const help = press(start, "?");
  strictEqual(help.state.mode, "help");
  const left = press(help.state, "x");
  deepStrictEqual([left.state.mode, left.state.quit], ["table", false]);
  strictEqual(press(help.state, "q").state.quit, true);
  strictEqual(press(start, "q").state.quit, true);
  strictEqual(press(start, { name: "c", ctrl: true, sequence: "\x03" }).state.quit, true);
  // Ctrl-C quits while a filter is typed too.
  strictEqual(press(start, "/", { name: "c", ctrl: true, sequence: "\x03" }).state.quit, true);
  // An unknown key changes nothing.
  deepStrictEqual(press(start, "z"), { state: start, effect: "none" });
});

Deno.test("pressKey(): ↑ ↓ move the chosen row within the rows shown; Enter on a process shows its mappings, Escape goes back to the row", () => {
  const rows = [{ pid: 10, name: "a" }, { pid: 20, name: "b" }, { pid: 30, name: "c" }];
  const sorted = press(start, "s").state;
  let state = pressKey(sorted, { name: "down" }, rows).state;
  state = pressKey(state, { name: "down" }, rows).state;
  state = pressKey(state, { name: "down" }, rows).state;
  strictEqual(state.cursor, 2);
  state = pressKey(state, { name: "up" }, rows).state;
  strictEqual(state.cursor, 1);
  const entered = pressKey(state, { name: "return" }, rows);
  deepStrictEqual(entered.effect, "redraw");
  deepStrictEqual(
    [entered.state.view, entered.state.cursor, entered.state.sort, entered.state.focus],
    ["mappings", 0, undefined, {
      pid: 20,
      name: "b",
      from: { view: "processes", sort: sorted.sort, cursor: 1 },
    }],
  );
  strictEqual(queryOf(entered.state).view, "mappings");
  // Enter again does nothing; Escape returns to the view, its sort and the row.
  strictEqual(pressKey(entered.state, { name: "return" }, rows).effect, "none");
  const back = pressKey(entered.state, { name: "escape" }).state;
  deepStrictEqual([back.view, back.sort, back.cursor, back.focus], [
    "processes",
    sorted.sort,
    1,
    undefined,
  ]);
  // A view key leaves the mappings too; rows that are no process (a user's) give Enter nothing.
  strictEqual(press(entered.state, "2").state.focus, undefined);
  const users = press(start, "2").state;
  strictEqual(pressKey(users, { name: "return" }, [{ name: "root" }]).effect, "none");
  // Escape with nothing to go back to does nothing.
  strictEqual(pressKey(start, { name: "escape" }).effect, "none");
});

Deno.test("pressKey(): w asks the front end to start or stop the recording, and changes nothing else", () => {
  deepStrictEqual(press(start, "w"), { state: start, effect: "record" });
});
