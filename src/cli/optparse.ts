/**
 * smem's optparse behaviour on node's parseArgs: unique prefixes of long
 * options, values that start with "-", and parseArgs's errors reworded in
 * memsnap's style. Pure: no I/O.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { UsageError } from "./errors.ts";
import {
  type OptionSpec,
  REPORT_OPTIONS,
  type ReportOptionName,
  SMEM_OPTION_NAMES,
} from "./options.ts";

/** Parses the report options, normalised first, or throws a UsageError. */
export function parseReportArgs(argv: readonly string[]) {
  const args = normalise(argv);
  try {
    return parseArgs({ args, options: REPORT_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(explainParseError(error));
  }
}

/** Rewords node's parseArgs errors in memsnap's style. */
export function explainParseError(error: unknown): string {
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
 * Rewrites argv the way smem's optparse reads it, for node's parseArgs:
 * a unique prefix of a long option names it (`--rev` → `--reverse`), and an
 * option that takes a value takes the next argument whatever it looks like
 * (`-P -bash`), attached so that parseArgs cannot mistake it for an option.
 */
function normalise(argv: readonly string[]): string[] {
  const names = Object.keys(REPORT_OPTIONS) as ReportOptionName[];
  const takesValue = (name: ReportOptionName) => REPORT_OPTIONS[name].type === "string";
  const shortTakesValue = new Set(
    names.flatMap((name) => {
      const spec: OptionSpec = REPORT_OPTIONS[name];
      return spec.short !== undefined && takesValue(name) ? [spec.short] : [];
    }),
  );
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const hasNext = i + 1 < argv.length;
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const long = /^--([^=]+)(=.*)?$/s.exec(arg);
    if (long !== null) {
      const [, given, value] = long as unknown as [string, string, string | undefined];
      const name = longName(names, given);
      if (name === undefined) out.push(arg);
      else if (value === undefined && takesValue(name) && hasNext) {
        out.push(`--${name}=${argv[++i]}`);
      } else out.push(`--${name}${value ?? ""}`);
      continue;
    }
    // A short group: the first letter that takes a value takes the rest of
    // the group, or, when it ends the group, the next argument.
    if (/^-[^-]/.test(arg)) {
      const letters = [...arg.slice(1)];
      const valueAt = letters.findIndex((letter) => shortTakesValue.has(letter));
      // Only a value that looks like an option needs attaching ("" must not).
      if (valueAt === letters.length - 1 && hasNext && argv[i + 1]!.startsWith("-")) {
        out.push(arg + argv[++i]);
        continue;
      }
    }
    out.push(arg);
  }
  return out;
}

/** The option a long name or its unique prefix names; undefined if none. */
function longName(names: readonly ReportOptionName[], given: string): ReportOptionName | undefined {
  if ((names as readonly string[]).includes(given)) return given as ReportOptionName;
  const matching = names.filter((name) => name.startsWith(given));
  // smem's options first: what named one option in smem still does.
  const smem = matching.filter((name) => SMEM_OPTION_NAMES.has(name));
  const candidates = smem.length > 0 ? smem : matching;
  if (candidates.length > 1) {
    throw new UsageError(
      `Ambiguous option "--${given}": could be ${candidates.map((c) => `--${c}`).join(", ")}`,
    );
  }
  return candidates[0];
}
