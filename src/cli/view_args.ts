/**
 * The option groups' values → the use cases' query parts, the same for
 * every command that takes the group: which view, its columns, the
 * filters, how amounts are shown, sizes, a chart's file. Pure: no I/O.
 *
 * @module
 */

import { viewNamed } from "../app/view_query.ts";
import { type ChartLimits, LIMIT_OPTIONS } from "../chart/limits.ts";
import { UsageError } from "../errors/memsnap_error.ts";
import { type Format, isFormat } from "../render/formats.ts";
import type { RenderOptions } from "../render/formats.ts";
import { selectionOf } from "../select/filters.ts";
import type { Selection } from "../select/select.ts";
import { parseSize } from "../units/size.ts";
import { parseDuration } from "../units/duration.ts";
import type { CostLimits } from "../snapshot/walk_plan.ts";
import type { PagesMode } from "../snapshot/pages.ts";
import { EXACT_COLUMN_IDS } from "../view/exact_columns.ts";
import { type ViewId, viewOf, VIEWS } from "../view/registry.ts";
import { VIEW_OPTIONS } from "../view/view.ts";
import type { ParsedArgs } from "./argv.ts";
import { CHART_FILE_GROUP, type OptionGroup, VIEW_FLAGS } from "./option.ts";

/**
 * The view the flags or --by ask for: smem's -m over -u over -w; --tree
 * makes the process view the process tree and -w the system tree; memsnap's
 * own views take no other.
 *
 * @throws {UsageError} For views that exclude each other, or an unknown --by.
 */
export function chosenView(args: ParsedArgs): ViewId {
  const flags = VIEW_FLAGS.filter((flag) => args.flag(flag.long));
  const by = args.value("by");
  const own = flags.filter((flag) => !flag.smem);
  if (by !== undefined && flags.length > 0) {
    throw new UsageError(
      `Options "--by" and ${
        flags.map((flag) => `"${shown(flag)}"`).join(", ")
      } ask for different views: choose one`,
    );
  }
  if (own.length > 0 && flags.length > 1) {
    const named = [...own, ...flags.filter((flag) => flag.smem)];
    throw new UsageError(
      `Options ${
        named.map((flag) => `"${shown(flag)}"`).join(", ")
      } ask for different views: choose one`,
    );
  }
  if (by !== undefined) {
    if (args.flag("tree")) {
      throw new UsageError(`Options "--by" and "--tree" ask for different views: choose one`);
    }
    return viewNamed(by);
  }
  // smem's precedence: the first of its flags in VIEW_FLAGS' order.
  const flag = flags[0];
  if (args.flag("tree")) {
    if (flag === undefined) return "process-tree";
    if (flag.view === "system") return "system-tree";
    throw new UsageError(
      `Option "--tree" applies to the process view and the system view (-w), not "${shown(flag)}"`,
    );
  }
  return flag?.view ?? "processes";
}

function shown(flag: { readonly long: string; readonly short?: string }): string {
  return flag.short === undefined ? `--${flag.long}` : `-${flag.short}`;
}

/** -c's column ids: split on spaces and commas; undefined when not given or empty. */
export function columnsArg(args: ParsedArgs): string[] | undefined {
  const ids = args.value("columns")?.split(/[\s,]+/).filter((id) => id !== "");
  return ids === undefined || ids.length === 0 ? undefined : ids;
}

/** -P, -U and -M, compiled. */
export function selectionArg(args: ParsedArgs): Selection {
  return selectionOf({
    process: args.value("processfilter"),
    user: args.value("userfilter"),
    mapping: args.value("mapfilter"),
  });
}

/** How a result is shown: -H, -t, -k, -p. */
export function showArgs(args: ParsedArgs): RenderOptions {
  return {
    header: !args.flag("no-header"),
    totals: args.flag("totals"),
    abbreviate: args.flag("abbreviate"),
    percent: args.flag("percent"),
  };
}

/** --max-file-size, in bytes. */
export function maxFileArg(args: ParsedArgs): { maxFileBytes?: number } {
  const text = args.value("max-file-size");
  return text === undefined ? {} : { maxFileBytes: parseSize(text) * 1024 };
}

/**
 * --budget and --max-rss: what a live sample may spend. They apply to the
 * live system only: stored data is read whole.
 *
 * @throws {UsageError} For a bad time or size, or with -S.
 */
export function costArg(args: ParsedArgs): { cost?: CostLimits } {
  const budget = args.value("budget");
  const maxRss = args.value("max-rss");
  if (budget === undefined && maxRss === undefined) return {};
  if (args.given("source")) {
    const given = budget !== undefined ? "--budget" : "--max-rss";
    throw new UsageError(
      `Option "${given}" limits what sampling the live system costs: -S data is read whole`,
    );
  }
  return {
    cost: {
      ...(budget !== undefined && { budgetMs: durationArg("--budget", budget) }),
      ...(maxRss !== undefined && { maxRssKb: maxRss.trim() === "0" ? 0 : parseSize(maxRss) }),
    },
  };
}

/** --refresh, in ms: 5 intervals by default, 0 for none (every process walked every time). */
export function refreshArg(args: ParsedArgs, intervalMs: number, floorMs = 0): number {
  const text = args.value("refresh");
  if (text === undefined) return Math.max(5 * intervalMs, floorMs);
  return text.trim() === "0" ? 0 : durationArg("--refresh", text);
}

/** The longest interval, duration or budget taken: a year, where times stay exact. */
const LONGEST_MS = 366 * 24 * 3_600_000;

/**
 * A duration option's value, in ms: more than 0, at most a year.
 *
 * @throws {UsageError} When it is none.
 */
export function durationArg(option: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new UsageError(
      `Invalid duration "${text}" for ${option}: expected a number and a unit, e.g. 500ms, 1s, 10m, 1h`,
    );
  }
  if (ms > LONGEST_MS) {
    throw new UsageError(`Invalid duration "${text}" for ${option}: at most a year (8784h)`);
  }
  return ms;
}

/** -R, in kB. */
export function realMemArg(args: ParsedArgs): { realMemKb?: number } {
  const text = args.value("realmem");
  return text === undefined ? {} : { realMemKb: parseSize(text) };
}

/**
 * --format, one of the formats.
 *
 * @throws {UsageError} For a name that is none.
 */
export function formatArg(args: ParsedArgs, formats: readonly Format[]): Format {
  const format = args.value("format") ?? "table";
  if (!isFormat(format) || !formats.includes(format)) {
    throw new UsageError(
      `Unknown format "${format}": expected ${formats.map((f) => `"${f}"`).join(", ")}`,
    );
  }
  return format;
}

/**
 * A whole number option within bounds.
 *
 * @throws {UsageError} For anything else.
 */
export function wholeArg(option: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(
      `Invalid value "${text}" for ${option}: expected a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

/** Where and how big a chart is written: -o, --force, --width, --height, --scale, --top. */
export interface ChartFile {
  /** -o; undefined: a name memsnap chooses (and prints). */
  readonly output?: string;
  readonly force: boolean;
  readonly width?: number;
  readonly height?: number;
  /** PNG/JPG pixels per CSS pixel. */
  readonly scale?: number;
  /** How many rows or groups get their own slice, bar or area. */
  readonly top?: number;
  /** --max-megapixels, --max-data: what drawing may cost (the defaults otherwise). */
  readonly limits?: Partial<ChartLimits>;
}

/** The chart file's options, checked. */
export function chartFileArgs(args: ParsedArgs): ChartFile {
  const output = args.value("output");
  if (output === "") throw new UsageError(`Option "-o" needs a file name`);
  const width = args.value("width");
  const height = args.value("height");
  const scale = args.value("scale");
  const top = args.value("top");
  return {
    ...(output !== undefined && { output }),
    force: args.flag("force"),
    ...(width !== undefined && { width: wholeArg("--width", width, 50, 20000) }),
    ...(height !== undefined && { height: wholeArg("--height", height, 50, 20000) }),
    ...(scale !== undefined && { scale: positiveArg("--scale", scale, 10) }),
    ...(top !== undefined && { top: wholeArg("--top", top, 1, 1000) }),
    ...chartLimitArgs(args),
  };
}

/** --max-megapixels and --max-data, checked: the caps a chart is drawn under. */
export function chartLimitArgs(args: ParsedArgs): { limits?: Partial<ChartLimits> } {
  const megapixels = args.value("max-megapixels");
  const data = args.value("max-data");
  const limits = {
    ...(megapixels !== undefined &&
      { maxMegapixels: positiveArg(LIMIT_OPTIONS.maxMegapixels, megapixels) }),
    ...(data !== undefined && { maxData: wholeArg(LIMIT_OPTIONS.maxData, data, 1, 1e9) }),
  };
  return Object.keys(limits).length === 0 ? {} : { limits };
}

/**
 * A decimal number above 0 (and at most `max`, when given).
 *
 * @throws {UsageError} For anything else.
 */
function positiveArg(option: string, text: string, max?: number): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value <= 0 || (max !== undefined && value > max)) {
    throw new UsageError(
      `Invalid value "${text}" for ${option}: expected a number above 0${
        max === undefined ? "" : `, at most ${max}`
      }`,
    );
  }
  return value;
}

/** The chart file options given, for "applies to charts" messages. */
export function chartFileGiven(args: ParsedArgs): string[] {
  return CHART_FILE_GROUP.options.map((option) => option.long).filter((long) => args.given(long));
}

/**
 * Refuses options given where they do not apply.
 *
 * @param longs The options' long names.
 * @param where What they would need: `to charts: add "--pie FIELD" or "--bar FIELD"`.
 */
export function refuseGiven(args: ParsedArgs, longs: readonly string[], where: string): void {
  const given = longs.filter((long) => args.given(long));
  if (given.length === 0) return;
  throw new UsageError(
    `Option${given.length > 1 ? "s" : ""} ${given.map((long) => `"--${long}"`).join(", ")} appl${
      given.length > 1 ? "y" : "ies"
    } ${where}`,
  );
}

/**
 * Options only some views take (--depth), and the rules of a view in a
 * fixed order (no sort, filter or totals) or of options that need another
 * (-K needs -R in the system tree).
 *
 * @param groups The command's options, to name them as --help does.
 * @throws {UsageError} For an option the view does not take.
 */
export function checkViewOptions(
  args: ParsedArgs,
  id: ViewId,
  groups: readonly OptionGroup[],
): void {
  const view = viewOf(id);
  const optionOf = (long: string) =>
    groups.flatMap((group) => group.options).find((option) => option.long === long);
  const flagOf = (long: string) => {
    const short = optionOf(long)?.short;
    return short === undefined ? `--${long}` : `-${short}`;
  };
  // Only the options this command takes can be given.
  const given = (long: string) => optionOf(long) !== undefined && args.given(long);
  for (const option of VIEW_OPTIONS) {
    // smem takes its own (-K) with any view, and ignores it where it does not apply.
    if (!given(option) || view.options.includes(option) || optionOf(option)?.smem) continue;
    const takers = VIEWS.filter((v) => v.options.includes(option));
    throw new UsageError(
      `Option "${flagOf(option)}" applies to the ${
        takers.map((v) => `${v.noun} view (--by ${v.id})`).join(", ")
      }`,
    );
  }
  if (view.fixedOrder) {
    const refused = ["sort", "reverse", "totals", "processfilter", "userfilter", "mapfilter"]
      .filter(given)
      .map((long) => `--${long}`);
    if (refused.length > 0) {
      throw new UsageError(
        `The ${view.id} view shows all of RAM in a fixed order: ${refused.join(", ")} cannot apply`,
      );
    }
  }
  for (const rule of view.optionRules) {
    if (given(rule.option) && !given(rule.needs)) {
      throw new UsageError(
        `The ${view.id} view needs ${flagOf(rule.needs)} with ${flagOf(rule.option)}: ${rule.why}`,
      );
    }
  }
}

/** --depth: a whole number, 0 or more. */
export function depthArg(args: ParsedArgs): { depth?: number } {
  const text = args.value("depth");
  if (text === undefined) return {};
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`Invalid depth "${text}": expected a whole number, 0 or more`);
  }
  return { depth: Number(text) };
}

/** --limit N: only the N rows that weigh most by the sort field. */
export function limitArg(args: ParsedArgs): number | undefined {
  const text = args.value("limit");
  return text === undefined ? undefined : wholeArg("--limit", text, 1, 1_000_000_000);
}

/**
 * What a report asks of its source besides the view (memsnap's and top's):
 * the selection, smem's -n, --realmem and --depth, and the source.
 */
export function sourceQueryArgs(args: ParsedArgs) {
  const source = args.value("source");
  return {
    selection: selectionArg(args),
    numeric: args.flag("numeric"),
    ...realMemArg(args),
    ...depthArg(args),
    ...(source !== undefined && { source }),
    ...maxFileArg(args),
  };
}

/**
 * --exact[=lower-bound]: the view's exact columns (lower-bound: those it can
 * bound, GroupUSS and Unique) and how their pages are read.
 */
export function exactArg(
  args: ParsedArgs,
  id: ViewId,
): { columns: string[]; mode: PagesMode } | undefined {
  if (!args.flag("exact")) return undefined;
  const given = args.value("exact") ?? "";
  if (given !== "" && given !== "lower-bound") {
    throw new UsageError(`Option "--exact" takes no value or "lower-bound", not "${given}"`);
  }
  const mode: PagesMode = given === "" ? "frames" : "lower-bound";
  const columns = Object.keys(viewOf(id).columns).filter((column) =>
    EXACT_COLUMN_IDS.has(column) && (mode === "frames" || BOUNDED.has(column))
  );
  if (columns.length === 0) {
    const views = VIEWS.filter((view) =>
      Object.keys(view.columns).some((c) => EXACT_COLUMN_IDS.has(c))
    );
    throw new UsageError(
      `Option "--exact" applies to the ${views.map((view) => view.id).join(", ")} views`,
    );
  }
  return { columns, mode };
}

/** The exact columns a lower bound is known for. */
const BOUNDED: ReadonlySet<string> = new Set(["guss", "unique"]);
