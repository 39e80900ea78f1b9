/**
 * What a subcommand is to the CLI: its options (declared once), its help
 * text's parts, and the action that runs it. The command table
 * (commands.ts) lists them; the parser and --help derive from them.
 *
 * @module
 */

import type { ParsedArgs } from "./argv.ts";
import type { Io } from "./io.ts";
import type { OptionGroup } from "./option.ts";

/** One command of memsnap's. */
export interface Command {
  /** What follows `memsnap`: "" for the report (smem's command line). */
  readonly name: string;
  /** One line: what it does. */
  readonly summary: string;
  /** Usage lines, without the leading `memsnap`. */
  readonly usage: readonly string[];
  /** What --help says after the usage: a paragraph or more. */
  readonly description: string;
  /** Its options, in --help's order. */
  readonly groups: readonly OptionGroup[];
  /** `--` ends its options and starts a command it runs. */
  readonly rest?: boolean;
  /** What --help says after the options (a grammar, a note). */
  readonly notes?: string;
  /** Command lines, each with what it does. */
  readonly examples: readonly (readonly [string, string?])[];
  /** Runs it; resolves to the exit code. */
  readonly run: (args: ParsedArgs, io: Io) => Promise<number>;
}

/** Every option of a command. */
export function optionsOf(command: Command) {
  return command.groups.flatMap((group) => group.options);
}

/** `memsnap diff`, `memsnap`: how messages and help name a command. */
export function invocation(command: Pick<Command, "name">): string {
  return command.name === "" ? "memsnap" : `memsnap ${command.name}`;
}
