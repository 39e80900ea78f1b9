/**
 * top's screen, drawn from a real refresh of a stored capture (n8): the
 * header's numbers are its meminfo's, the rows smem's, the changes against
 * the maps given; lines fit the width and height.
 */

import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { topHeader, type TopRefresh, topRefreshes } from "../../src/app/top.ts";
import { viewQuery } from "../../src/app/view_query.ts";
import {
  HELP_LINES,
  helpScreen,
  measureIndex,
  rowKey,
  type ScreenInput,
  topScreen,
} from "../../src/render/top_screen.ts";
import { viewOf } from "../../src/view/registry.ts";
import type { ColumnInfo } from "../../src/view/table.ts";
import { ROOT } from "../_helpers/memsnap.ts";

const N8 = `${ROOT}fixtures/captures/n8.tar.gz`;

async function refreshOf(view: "processes" | "users"): Promise<TopRefresh> {
  const refreshes = topRefreshes({
    query: {
      source: N8,
      view: viewQuery({ view, reverse: true }),
      selection: {},
      numeric: false,
    },
    schedule: { intervalMs: 10, count: 1 },
    signal: new AbortController().signal,
  });
  for await (const refresh of refreshes) return refresh;
  throw new Error("no refresh");
}

function input(refresh: TopRefresh, more: Partial<ScreenInput> = {}): ScreenInput {
  return {
    header: topHeader(refresh.sample.snapshot),
    status: {
      view: "processes",
      sort: "pss",
      descending: true,
      filter: "",
      paused: false,
      intervalMs: 2000,
      abbreviate: false,
      takenAt: "10:00:00",
    },
    table: refresh.report.table,
    last: new Map(),
    first: new Map(),
    width: 160,
    height: 50,
    colour: false,
    ...more,
  };
}

Deno.test("topScreen(): the header holds n8's MemTotal, as `memsnap -w --tree --format json`", async () => {
  const refresh = await refreshOf("processes");
  const header = topHeader(refresh.sample.snapshot);
  // n8.tar.gz's meminfo (the system tree's memTotal of the same capture).
  strictEqual(header.memTotalKb, 24684096);
  strictEqual(header.swapTotalKb, 0);
  const lines = topScreen(input(refresh));
  match(lines[1]!, /^Mem total 24684096 kB {2}used \d+ kB {2}cache \d+ kB {2}available \d+ kB/);
  match(lines[2]!, /^userspace gap -?\d+ kB \(mapped \d+ kB, PSS \d+ kB of 8 processes\)$/);
  match(lines[3]!, /^view processes {2}· {2}sort pss largest first {2}· {2}\? help$/);
  // With units, the same total abbreviated.
  match(
    topScreen(input(refresh, { status: { ...input(refresh).status, abbreviate: true } }))[1]!,
    /^Mem total 23\.5G /,
  );
});

Deno.test("topScreen(): rows largest PSS first, smem's numbers, and their changes marked ▲/▼", async () => {
  const refresh = await refreshOf("processes");
  const table = refresh.report.table;
  const pss = measureIndex(table.columns);
  strictEqual(table.columns[pss]!.id, "pss");
  const [top, second] = table.rows;
  // n8: wl-memfd0-0 (pid 18846) has the largest PSS, 39502 kB (smem's figure).
  deepStrictEqual([rowKey(top!), top![pss]], ["18846", 39502]);
  const last = new Map([[rowKey(top!), 39502 - 1000], [rowKey(second!), 39400 + 200]]);
  const first = new Map([[rowKey(top!), 39502]]);
  const lines = topScreen(input(refresh, { last, first }));
  const head = lines[4]!;
  match(head, /PID .*PSS .*ΔLAST +ΔSTART$/);
  const row = (pid: string) => lines.find((line) => line.trimStart().startsWith(`${pid} `))!;
  match(row("18846"), / 39502 .*\+1000 ▲ +0$/);
  match(row("18845"), / 39400 .*-200 ▼ +new$/);
  // Every process is on screen, in PSS order.
  const shown = lines.slice(5).map((line) => line.trim().split(/\s+/)[0]);
  deepStrictEqual(shown, table.rows.map((r) => rowKey(r)));
});

Deno.test("topScreen(): lines fit the width and the height; NO_COLOR's screen has no escapes", async () => {
  const refresh = await refreshOf("processes");
  for (const [width, height] of [[160, 50], [60, 8], [20, 3]] as const) {
    const lines = topScreen(input(refresh, { width, height }));
    ok(lines.length <= height, `${lines.length} lines in ${height}`);
    for (const line of lines) ok(line.length <= width, `"${line}" wider than ${width}`);
    for (const line of lines) ok(!line.includes("\x1b"), "no escape sequence");
  }
  // 8 lines: 5 of header, status and column heads, then the 3 largest.
  const short = topScreen(input(refresh, { height: 8 }));
  strictEqual(short.length, 8);
  match(short[5]!, /^18846 /);
  // Colour: the column heads in reverse video, padded to the width.
  const coloured = topScreen(input(refresh, { colour: true, width: 100 }));
  ok(coloured[4]!.startsWith("\x1b[7m  PID "), coloured[4]!);
  ok(coloured[4]!.endsWith("\x1b[0m"), coloured[4]!);
});

Deno.test("topScreen(): how a row was measured is a ~ on its PSS, not the provenance and age columns", async () => {
  const refresh = await refreshOf("processes");
  const table = refresh.report.table;
  const catalogue = viewOf("processes").columns as Record<string, ColumnInfo>;
  const provenance = catalogue.provenance!;
  const age = catalogue.age!;
  const measured = {
    ...table,
    columns: [...table.columns, provenance, age],
    rows: table.rows.map((row, i) => [...row, i === 0 ? "carried" : "exact", i === 0 ? 4 : 0]),
    totals: [...table.totals, undefined, undefined],
  };
  const lines = topScreen(input(refresh, { table: measured }));
  ok(!/Provenance|Age/.test(lines[4]!), lines[4]!);
  match(lines[4]!, /PSS +RSS +ΔLAST +ΔSTART$/);
  // The first row (18846) carried: its PSS marked; the others exact, unmarked.
  match(lines[5]!, /^18846 .* 39502~ /);
  ok(lines.slice(6).every((line) => !line.includes("~")));
});

Deno.test("topScreen(): a process name's control characters are shown escaped", async () => {
  const refresh = await refreshOf("processes");
  const table = refresh.report.table;
  const name = table.columns.findIndex((c) => c.id === "command" || c.id === "name");
  ok(name !== -1);
  const rows = table.rows.map((row, i) =>
    i === 0 ? row.map((cell, c) => c === name ? "evil\x1b[2Jname\x07" : cell) : row
  );
  const lines = topScreen(input(refresh, { table: { ...table, rows } }));
  const control = (line: string) => [...line].some((c) => c < " " || c === "\x7f");
  ok(lines.every((line) => !control(line)), "no control character on screen");
  ok(lines.some((line) => line.includes("evil")), "the name is shown");
});

Deno.test("topScreen(): the users view's rows change by user", async () => {
  const refresh = await refreshOf("users");
  const table = refresh.report.table;
  const keys = table.rows.map((row) => rowKey(row));
  const lines = topScreen(input(refresh, { last: new Map(keys.map((k) => [k, 0])) }));
  // Every user grew from 0 by its whole PSS.
  const pss = measureIndex(table.columns);
  for (const row of table.rows) {
    const line = lines.find((l) => l.startsWith(String(row[0])))!;
    ok(line.includes(`+${row[pss]} ▲`), line);
  }
});

Deno.test("helpScreen(): every key of the help, cut to the screen", () => {
  deepStrictEqual(helpScreen(200, 100), [...HELP_LINES]);
  const small = helpScreen(30, 4);
  strictEqual(small.length, 4);
  ok(small.every((line) => line.length <= 30));
});

Deno.test("topScreen(): the chosen row is marked '> ' and kept on screen; a process's mappings have no change columns", async () => {
  const refresh = await refreshOf("processes");
  const rows = refresh.report.table.rows;
  // 8 lines: 5 of header, status and heads, then 3 rows; the 6th row chosen scrolls them.
  const lines = topScreen(input(refresh, { height: 8, cursor: 5 }));
  const shown = lines.slice(5);
  deepStrictEqual(shown.map((line) => line.slice(0, 2)), ["  ", "  ", "> "]);
  ok(shown[2]!.slice(2).trimStart().startsWith(`${rowKey(rows[5]!)} `), shown[2]!);
  match(lines[4]!, /^ {2}/);
  const plain = topScreen(input(refresh, { changes: false }));
  ok(!plain[4]!.includes("ΔLAST"), plain[4]!);
});
