/**
 * `memsnap diff --fail-if EXPR`: a threshold on a diff, for CI. Parsing
 * only (pure); {@link ./threshold_eval.ts} evaluates thresholds on diffs.
 *
 * The grammar (white space is allowed between the parts):
 *
 *     threshold = [ scope "." ] metric op amount
 *     scope     = "total" | ( "command" | "user" | "map" ) "[" name "]" | "pid" "[" digits "]"
 *     name      = any characters, at least one; brackets in pairs ("[heap]")
 *     metric    = a memory column id of the scope's view: pss, uss, rss, swap, vss...
 *     op        = ">" | ">=" | "<" | "<="
 *     amount    = [ "+" | "-" ] number [ unit ]
 *     number    = digits [ "." [ digits ] ] | "." digits
 *     unit      = "%" | ( "K" | "M" | "G" | "T" ) [ "i" ] [ "B" ]   (any case; no unit: kB)
 *
 * Without a scope a threshold applies to every row of the view shown;
 * `total` to that view's totals; `command[NAME]`, `user[NAME]`, `map[NAME]`
 * and `pid[N]` to that row of the commands, users, mappings or processes
 * view. A unit multiplies kB by 1024s as smem's -k shows them (1M = 1024
 * kB); `%` is the change as a share of A's value.
 *
 * @module
 */

import { isAmount, type Quantity } from "../view/column.ts";
import { closest } from "./closest_word.ts";

/** The scope words that name a row, and the view whose row they name. */
export const SCOPE_VIEWS = {
  command: "commands",
  user: "users",
  map: "mappings",
  pid: "processes",
} as const;
export type ScopeWord = keyof typeof SCOPE_VIEWS;
/** A view a named scope reads. */
export type NamedView = typeof SCOPE_VIEWS[ScopeWord];
/** The view a threshold reads: the one the diff shows, or a named scope's. */
export type ThresholdView = "shown" | NamedView;

/** Which rows a threshold looks at. */
export type Scope =
  /** Every row of the view shown. */
  | { readonly kind: "rows" }
  /** The totals of the view shown. */
  | { readonly kind: "total" }
  /** The row of `view` keyed `name` (for processes: every process with that pid). */
  | { readonly kind: "named"; readonly view: NamedView; readonly name: string };

export const OPERATORS = [">", ">=", "<", "<="] as const;
export type Operator = typeof OPERATORS[number];

/** How much a metric must change: in kB, or in percent of A's value. */
export type Amount =
  | { readonly kind: "kb"; readonly kb: number }
  | { readonly kind: "percent"; readonly percent: number };

/** One parsed `--fail-if` expression. */
export interface Threshold {
  /** The expression as written. */
  readonly text: string;
  readonly scope: Scope;
  /** A column id of the scope's view. */
  readonly metric: string;
  readonly op: Operator;
  readonly amount: Amount;
}

/** The memory column ids of a view, for a threshold scoped to it. */
export type KnownMetrics = (view: ThresholdView) => readonly string[];

/** The ids of the columns a threshold can compare (kB amounts), in catalogue order. */
export function amountMetricIds(
  columns: readonly { readonly id: string; readonly quantity: Quantity }[],
): string[] {
  return columns.filter(isAmount).map((c) => c.id);
}

/**
 * A malformed expression: the message says what is wrong, `details` shows
 * the expression with carets under the bad part. A usage error (exit 2).
 */
export class ThresholdError extends Error {
  override readonly name = "ThresholdError";
  /** The lines to print after the message. */
  readonly details: readonly string[];

  /**
   * @param start, end The bad part: UTF-16 indices into `text`, end exclusive.
   * @param extra More lines after the caret (the known metrics).
   */
  constructor(
    readonly text: string,
    readonly reason: string,
    readonly start: number,
    readonly end: number,
    extra: readonly string[] = [],
  ) {
    const shown = printable(text);
    super(`Invalid --fail-if "${shown}": ${reason}`);
    // Columns in code points; a tab stays a tab so that the caret lines up.
    const pad = [...text.slice(0, start)].map((c) => c === "\t" ? "\t" : " ").join("");
    const width = Math.max(1, [...text.slice(start, end)].length);
    this.details = [`  ${shown}`, `  ${pad}${"^".repeat(width)}`, ...extra];
  }
}

/** The expression with control characters (a newline...) shown as "?", one column each. */
function printable(text: string): string {
  return text.replace(/(?!\t)\p{Cc}/gu, "?");
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const SPACE = /\s*/y;
const OPERATOR_RUN = /[<>=!]+/y;
const NUMBER_RUN = /[0-9.]+/y;
const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
const UNIT_RUN = /[A-Za-z%]+/y;
const UNIT = /^([kmgt])(?:i?b)?$/i;
/** kB per unit: binary multiples, as smem's -k shows them. */
const UNIT_KB: Readonly<Record<string, number>> = { k: 1, m: 2 ** 10, g: 2 ** 20, t: 2 ** 30 };
const SCOPES_EXPECTED = "expected total, command[NAME], user[NAME], map[NAME] or pid[N]";
const OPERATORS_EXPECTED = "expected >, >=, < or <=";

/** What a sticky pattern matches at `at` ("" when nothing). */
function read(pattern: RegExp, text: string, at: number): string {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0] ?? "";
}

const skip = (text: string, at: number) => at + read(SPACE, text, at).length;

/**
 * Parses a `--fail-if` expression.
 *
 * @example
 * ```ts
 * parseThreshold("command[nginx].uss>+1M", () => ["pss", "uss"]);
 * // { text, scope: { kind: "named", view: "commands", name: "nginx" },
 * //   metric: "uss", op: ">", amount: { kind: "kb", kb: 1024 } }
 * ```
 *
 * @param known The metric ids of a view (of the view shown, for `total` and no scope).
 * @throws {ThresholdError} When the expression is malformed, pointing at the bad part.
 */
export function parseThreshold(text: string, known: KnownMetrics): Threshold {
  const fail = (reason: string, start: number, end = start + 1, extra: string[] = []): never => {
    throw new ThresholdError(text, reason, start, end, extra);
  };
  const start = skip(text, 0);
  const word = read(WORD, text, start);
  const next = skip(text, start + word.length);
  let scope: Scope = { kind: "rows" };
  let metricAt = start;
  if (text[next] === "[" || text[next] === ".") {
    const wordEnd = start + word.length;
    if (word === "") fail(`missing scope before "${text[next]}" (${SCOPES_EXPECTED})`, next);
    let dot = next;
    if (text[next] === "[") {
      if (!isScopeWord(word)) {
        const hint = word === "total" ? "total takes no name" : unknownWord("scope", word, [
          ...Object.keys(SCOPE_VIEWS),
          "total",
        ]);
        fail(`${hint} (${SCOPES_EXPECTED})`, start, wordEnd);
      }
      const close = closingBracket(text, next);
      if (close < 0) fail(`unclosed "[" (expected "]" after the name)`, next);
      const name = text.slice(next + 1, close);
      if (name === "") fail(`empty name in ${word}[]`, next, close + 1);
      if (word === "pid" && !/^\d+$/.test(name)) {
        fail(`expected a process ID in pid[], not "${name}"`, next + 1, close);
      }
      scope = { kind: "named", view: SCOPE_VIEWS[word as ScopeWord], name };
      dot = skip(text, close + 1);
      if (text[dot] !== ".") fail(`expected "." and a metric after ${word}[${name}]`, dot);
    } else if (word !== "total") {
      const hint = isScopeWord(word)
        ? `${word} needs a name: ${word}[${word === "pid" ? "N" : "NAME"}]`
        : unknownWord("scope", word, ["total", ...Object.keys(SCOPE_VIEWS)]);
      fail(`${hint} (${SCOPES_EXPECTED})`, start, wordEnd);
    } else {
      scope = { kind: "total" };
    }
    metricAt = skip(text, dot + 1);
  }

  const view: ThresholdView = scope.kind === "named" ? scope.view : "shown";
  const metrics = known(view);
  const metricsLine = `Known metrics${view === "shown" ? "" : ` of the ${view} view`}: ${
    metrics.join(", ")
  }`;
  const metric = read(WORD, text, metricAt);
  if (metric === "") fail("missing metric", metricAt, metricAt + 1, [metricsLine]);
  if (!metrics.includes(metric)) {
    fail(unknownWord("metric", metric, metrics), metricAt, metricAt + metric.length, [
      metricsLine,
    ]);
  }

  const opAt = skip(text, metricAt + metric.length);
  const op = read(OPERATOR_RUN, text, opAt);
  if (op === "") {
    fail(`missing operator after "${metric}" (${OPERATORS_EXPECTED})`, opAt);
  }
  if (!isOperator(op)) {
    fail(`unknown operator "${op}" (${OPERATORS_EXPECTED})`, opAt, opAt + op.length);
  }

  const amountAt = skip(text, opAt + op.length);
  const sign = text[amountAt] === "-" || text[amountAt] === "+" ? text[amountAt]! : "";
  const numberAt = skip(text, amountAt + sign.length);
  const digits = read(NUMBER_RUN, text, numberAt);
  if (!NUMBER.test(digits)) {
    if (numberAt >= text.length) {
      fail(`missing amount after "${op}${sign}" (for example +20M or +5%)`, numberAt);
    }
    const bad = digits || read(/\S+/y, text, numberAt);
    fail(
      `bad number "${bad}" (expected digits, as in +20M or +5%)`,
      numberAt,
      numberAt + bad.length,
    );
  }
  const value = (sign === "-" ? -1 : 1) * Number(digits);

  const unitAt = skip(text, numberAt + digits.length);
  const unit = read(UNIT_RUN, text, unitAt);
  let amount: Amount = { kind: "kb", kb: value };
  if (unit === "%") amount = { kind: "percent", percent: value };
  else if (unit !== "") {
    const letter = UNIT.exec(unit)?.[1];
    if (letter === undefined) {
      fail(`unknown unit "${unit}" (expected K, M, G, T or %)`, unitAt, unitAt + unit.length);
    }
    amount = { kind: "kb", kb: value * UNIT_KB[letter!.toLowerCase()]! };
  }

  const end = skip(text, unitAt + unit.length);
  if (end < text.length) {
    fail(
      `trailing text "${printable(text.slice(end))}" (one threshold per --fail-if)`,
      end,
      text.length,
    );
  }
  return { text, scope, metric, op: op as Operator, amount };
}

/** The index of the "]" that closes the "[" at `open`, brackets in pairs (`[[heap]]`); -1 when none. */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "[") depth++;
    else if (text[i] === "]" && --depth === 0) return i;
  }
  return -1;
}

function isScopeWord(word: string): word is ScopeWord {
  return Object.hasOwn(SCOPE_VIEWS, word);
}

function isOperator(text: string): text is Operator {
  return (OPERATORS as readonly string[]).includes(text);
}

/** `unknown metric "psss" (did you mean "pss"?)`, the hint when one is close. */
function unknownWord(what: string, word: string, known: readonly string[]): string {
  const close = closest(word, known);
  return `unknown ${what} "${word}"${close === undefined ? "" : ` (did you mean "${close}"?)`}`;
}

/** How a scope is written: `total`, `command[nginx]`; the rows scope as "". */
export function scopeText(scope: Scope): string {
  if (scope.kind === "rows") return "";
  if (scope.kind === "total") return "total";
  const word = Object.entries(SCOPE_VIEWS).find(([, view]) => view === scope.view)![0];
  return `${word}[${scope.name}]`;
}

/** The grammar and examples, for `memsnap diff --help`. */
export const THRESHOLD_HELP =
  `Thresholds: --fail-if EXPR (repeatable; quote it for the shell) exits 3
after the diff when one is crossed, and lists the rows that crossed it.
  EXPR    [SCOPE.]METRIC OP AMOUNT
  SCOPE   none: every row of the view shown; total: its totals; or one row:
          command[NAME], user[NAME], map[NAME], pid[N]
  METRIC  a memory column of that view: pss, uss, rss, swap, vss...
  OP      >, >=, <, <=   (compares the change, B - A)
  AMOUNT  a signed change: kB, or with K, M, G, T (1M = 1024 kB), or % of A's
          value (a row new in B has no A: percent thresholds skip it)
  total.pss>+5%                 total PSS grew by more than 5 %
  pss>+20M                      a row's PSS grew by more than 20 MiB
  rss>+10%                      a row's RSS grew by more than 10 %
  pss<-50M                      a row's PSS shrank by more than 50 MiB
  command[nginx].uss>+1M        nginx's USS (all its processes) grew by > 1 MiB
  user[www-data].pss>=+100M     www-data's PSS grew by 100 MiB or more
  map[/usr/lib/libc.so.6].rss>+1M    libc's RSS grew by more than 1 MiB
  pid[1234].pss>+10%            process 1234's PSS grew by more than 10 %
A named row on neither side is an error (exit 1; --allow-missing: a warning).
See docs/thresholds.md.`;
