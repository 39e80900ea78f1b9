/**
 * argv → a typed command, or a UsageError. Pure: no I/O.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type Format, FORMATS, isFormat } from "../render/formats.ts";
import { compilePythonRegex, RegexError } from "../select/python_regex.ts";
import type { Selection } from "../select/select.ts";
import { type MappingColumnId, mappingView } from "../view/mappings.ts";
import { type ProcessColumnId, processView } from "../view/processes.ts";
import { type SystemColumnId, systemView } from "../view/system.ts";
import { type UserColumnId, userView } from "../view/users.ts";
import { isColumnOf, type ViewId, type ViewSpec } from "../view/view_spec.ts";
import { UsageError } from "./errors.ts";
import { REPORT_OPTIONS } from "./options.ts";
import { parseSize } from "./size.ts";

/** A view with columns and sort field checked against its catalogue. */
export interface ViewChoice<V extends ViewId, Id extends string> {
  readonly view: V;
  readonly columns: readonly Id[];
  readonly sort: Id;
}

export type ViewRequest =
  | ViewChoice<"processes", ProcessColumnId>
  | ViewChoice<"users", UserColumnId>
  | ViewChoice<"mappings", MappingColumnId>
  | ViewChoice<"system", SystemColumnId>;

/** A report, as the command line asks for it. */
export interface ReportRequest {
  readonly view: ViewRequest;
  readonly reverse: boolean;
  readonly totals: boolean;
  readonly header: boolean;
  readonly autosize: boolean;
  readonly numeric: boolean;
  readonly percent: boolean;
  readonly abbreviate: boolean;
  /** -R, in kB. */
  readonly realMemKb?: number;
  /** -K: the kernel image to measure. */
  readonly kernelImage?: string;
  readonly selection: Selection;
  /** -S; undefined for the live system. */
  readonly source?: string;
  readonly format: Format;
}

export type Command =
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "report"; readonly request: ReportRequest };

/**
 * Parses memsnap's command line.
 *
 * @throws {UsageError} For an unknown option, a missing value, an unknown
 *   column or sort field, a bad regular expression or size.
 */
export function parseCommand(argv: readonly string[]): Command {
  const { values, positionals } = parseOrExplain(expandPrefixes(argv));
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  if (positionals.length > 0) {
    throw new UsageError(`Unexpected argument "${positionals[0]}"`);
  }
  const format = values.format ?? "table";
  if (!isFormat(format)) {
    throw new UsageError(
      `Unknown format "${format}": expected ${FORMATS.map((f) => `"${f}"`).join(", ")}`,
    );
  }
  const columns = values.columns?.split(/[\s,]+/).filter((c) => c !== "");
  const choose = <V extends ViewId, Row, Id extends string>(
    spec: ViewSpec<Row, Id, V>,
  ): ViewChoice<V, Id> => chooseColumns(spec, columns, values.sort);
  const view: ViewRequest = values.mappings
    ? choose(mappingView)
    : values.users
    ? choose(userView)
    : values.system
    ? choose(systemView)
    : choose(processView);

  return {
    kind: "report",
    request: {
      view,
      reverse: values.reverse ?? false,
      totals: values.totals ?? false,
      header: !(values["no-header"] ?? false),
      autosize: values.autosize ?? false,
      numeric: values.numeric ?? false,
      percent: values.percent ?? false,
      abbreviate: values.abbreviate ?? false,
      ...(values.realmem !== undefined && { realMemKb: parseSize(values.realmem) }),
      ...(values.kernel !== undefined && { kernelImage: values.kernel }),
      selection: {
        ...(values.processfilter !== undefined &&
          { process: regex("-P", values.processfilter) }),
        ...(values.userfilter !== undefined && { user: regex("-U", values.userfilter) }),
        ...(values.mapfilter !== undefined && { mapping: regex("-M", values.mapfilter) }),
      },
      ...(values.source !== undefined && { source: values.source }),
      format,
    },
  };
}

function parseOrExplain(args: string[]) {
  try {
    return parseArgs({ args, options: REPORT_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(explainParseError(error));
  }
}

/** Rewords node's parseArgs errors in memsnap's style. */
function explainParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === "object" && error !== null && "code" in error
    ? String(error.code)
    : "";
  // parseArgs names options as '-c, --columns <value>' or '--bogus'.
  const named = /'(-[^-' ,]+)?(?:, )?(--[^' ]+)?/.exec(message);
  const option = [named?.[1], named?.[2]].filter((n) => n !== undefined).join(" (") +
    (named?.[1] && named[2] ? ")" : "");
  switch (code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `Unknown option "${option}"`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return /argument missing/.test(message)
        ? `Option "${option}" needs a value`
        : `Option "${option}" takes no value`;
    default:
      return message.split("\n")[0]!;
  }
}

/**
 * Expands a unique prefix of a long option to the option (`--rev` →
 * `--reverse`), as smem's optparse does.
 */
function expandPrefixes(argv: readonly string[]): string[] {
  const names = Object.keys(REPORT_OPTIONS) as (keyof typeof REPORT_OPTIONS)[];
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const match = /^--([^=]+)(=.*)?$/s.exec(arg);
    if (match === null) {
      out.push(arg);
      continue;
    }
    const given = match[1]!;
    const value = match[2];
    const candidates = names.includes(given as typeof names[number])
      ? [given as typeof names[number]]
      : names.filter((name) => name.startsWith(given));
    if (candidates.length > 1) {
      throw new UsageError(
        `Ambiguous option "--${given}": could be ${candidates.map((c) => `--${c}`).join(", ")}`,
      );
    }
    const name = candidates[0];
    out.push(name === undefined ? arg : `--${name}${value ?? ""}`);
    // An option that takes a value takes the next argument as it is.
    if (
      name !== undefined && REPORT_OPTIONS[name].type === "string" &&
      value === undefined && i + 1 < argv.length
    ) {
      out.push(argv[++i]!);
    }
  }
  return out;
}

function chooseColumns<V extends ViewId, Row, Id extends string>(
  spec: ViewSpec<Row, Id, V>,
  columns: readonly string[] | undefined,
  sort: string | undefined,
): ViewChoice<V, Id> {
  // smem checks the sort field first, then the columns.
  const sortId = sort ?? spec.defaultSort;
  if (!isColumnOf(spec, sortId)) {
    throw new UsageError(
      `Unknown sort field "${sortId}" for the ${spec.id} view`,
      knownColumns(spec),
    );
  }
  const ids = columns === undefined || columns.length === 0 ? spec.defaultColumns : columns;
  const unknown = ids.filter((id) => !isColumnOf(spec, id));
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown column${unknown.length > 1 ? "s" : ""} ${
        unknown.map((id) => `"${id}"`).join(", ")
      } for the ${spec.id} view`,
      knownColumns(spec),
    );
  }
  return { view: spec.id, columns: ids as Id[], sort: sortId };
}

/** The lines that list a view's columns with their descriptions. */
export function knownColumns<Row, Id extends string>(spec: ViewSpec<Row, Id>): string[] {
  const columns = Object.values<{ id: string; description: string }>(spec.columns);
  const width = Math.max(...columns.map((c) => c.id.length));
  return [
    "known fields:",
    ...columns.map((c) => `  ${c.id.padEnd(width)}  ${c.description}`),
  ];
}

function regex(option: string, pattern: string): RegExp {
  try {
    return compilePythonRegex(pattern);
  } catch (error) {
    if (!(error instanceof RegexError)) throw error;
    throw new UsageError(`Invalid regular expression for ${option} "${pattern}": ${error.message}`);
  }
}
