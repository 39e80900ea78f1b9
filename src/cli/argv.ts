/**
 * The one argument parser of every command, with smem's optparse behaviour
 * on node's parseArgs: unique prefixes of long options, values that start
 * with "-" (`-P -bash`), bundled short flags (`-tk`), and one shape of
 * message for every mistake. Pure: no I/O.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { closest } from "../errors/closest_word.ts";
import { UsageError } from "../errors/memsnap_error.ts";
import type { OptionSpec } from "./option.ts";

/** A command line, parsed against a command's options. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  /** What follows `--`, for a command that runs one; null when there is none. */
  readonly rest: readonly string[] | null;
  /** Whether a flag was given. */
  flag(long: string): boolean;
  /** An option's value (the last, if given twice); undefined when not given. */
  value(long: string): string | undefined;
  /** Every value of an option given more than once. */
  values(long: string): readonly string[];
  /** Whether an option was given at all. */
  given(long: string): boolean;
}

/** What the parser needs to know of a command. */
export interface ArgvSpec {
  readonly options: readonly OptionSpec[];
  /** `--` ends the options and starts a command to run (`record -- make`). */
  readonly rest?: boolean;
}

/**
 * Parses a command's arguments.
 *
 * @throws {UsageError} For an unknown or ambiguous option, a missing value,
 *   or a value given to a flag.
 */
export function parseArgv(spec: ArgvSpec, argv: readonly string[]): ParsedArgs {
  const byLong = new Map(spec.options.map((option) => [option.long, option]));
  const byShort = new Map(
    spec.options.flatMap((option) => option.short === undefined ? [] : [[option.short, option]]),
  );
  const dash = spec.rest ? argv.indexOf("--") : -1;
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const { tokens } = parseArgs({
    args: normalise(own, spec.options),
    options: Object.fromEntries(spec.options.map((option) => [option.long, {
      type: option.value === undefined || option.optionalValue
        ? "boolean" as const
        : "string" as const,
      ...(option.short !== undefined && { short: option.short }),
      ...(option.multiple && { multiple: true }),
    }])),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });

  const found = new Map<string, string[]>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    const option = token.rawName.startsWith("--")
      ? byLong.get(token.name)
      : byShort.get(token.rawName.slice(1));
    if (option === undefined) throw unknownOption(token.rawName, spec.options);
    const takesValue = option.value !== undefined;
    if (option.optionalValue) {
      found.set(option.long, [...found.get(option.long) ?? [], token.value ?? ""]);
      continue;
    }
    if (!takesValue && token.value !== undefined) {
      throw new UsageError(`Option "${named(option)}" takes no value`);
    }
    if (takesValue && token.value === undefined) {
      throw new UsageError(`Option "${named(option)}" needs a value`);
    }
    found.set(option.long, [...found.get(option.long) ?? [], token.value ?? ""]);
  }

  const known = (long: string): OptionSpec => {
    const option = byLong.get(long);
    // A command reading an option it does not declare is memsnap's own bug.
    if (option === undefined) throw new Error(`undeclared option "--${long}"`);
    return option;
  };
  return {
    positionals,
    rest: dash === -1 ? null : argv.slice(dash + 1),
    flag: (long) => {
      const option = known(long);
      return (option.value === undefined || option.optionalValue === true) && found.has(long);
    },
    value: (long) => known(long).value === undefined ? undefined : found.get(long)?.at(-1),
    values: (long) => (known(long), found.get(long) ?? []),
    given: (long) => (known(long), found.has(long)),
  };
}

/** How messages name an option: `-c (--columns)`, or `--by`. */
export function named(option: OptionSpec): string {
  return option.short === undefined ? `--${option.long}` : `-${option.short} (--${option.long})`;
}

function unknownOption(raw: string, options: readonly OptionSpec[]): UsageError {
  const near = raw.startsWith("--")
    ? closest(raw.slice(2), options.map((option) => option.long))
    : undefined;
  return new UsageError(
    `Unknown option "${raw}"${near === undefined ? "" : ` (did you mean "--${near}"?)`}`,
  );
}

/**
 * Rewrites argv the way smem's optparse reads it, for node's parseArgs:
 * a unique prefix of a long option names it (`--rev` → `--reverse`), and an
 * option that takes a value takes the next argument whatever it looks like
 * (`-P -bash`), attached so that parseArgs cannot mistake it for an option.
 */
function normalise(argv: readonly string[], options: readonly OptionSpec[]): string[] {
  const shortTakesValue = new Set(
    options.flatMap((option) =>
      option.short !== undefined && option.value !== undefined ? [option.short] : []
    ),
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
      const option = longOption(options, given);
      if (option === undefined) out.push(arg);
      else if (
        value === undefined && option.value !== undefined && !option.optionalValue && hasNext
      ) {
        out.push(`--${option.long}=${argv[++i]}`);
      } else out.push(`--${option.long}${value ?? ""}`);
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
function longOption(options: readonly OptionSpec[], given: string): OptionSpec | undefined {
  const exact = options.find((option) => option.long === given);
  if (exact !== undefined) return exact;
  const matching = options.filter((option) => option.long.startsWith(given));
  // smem's options first: what named one option in smem still does.
  const smem = matching.filter((option) => option.smem);
  const candidates = smem.length > 0 ? smem : matching;
  if (candidates.length > 1) {
    throw new UsageError(
      `Ambiguous option "--${given}": could be ${
        candidates.map((option) => `--${option.long}`).join(", ")
      }`,
    );
  }
  return candidates[0];
}
