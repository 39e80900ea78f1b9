/**
 * The CLI's entry: argv → command → parsed options → action → exit code.
 * Errors become one line on stderr (and the lines that explain it) and an
 * exit code, never a stack trace.
 *
 * @module
 */

import { MemsnapError } from "../errors/memsnap_error.ts";
import { parseArgv } from "./argv.ts";
import { type Command, invocation, optionsOf } from "./command.ts";
import { reportCommand, subcommand, SUBCOMMANDS } from "./commands.ts";
import { EXIT, EXIT_OF_KIND } from "./errors.ts";
import { helpText } from "./help.ts";
import type { Io } from "./io.ts";
import { UsageError } from "../errors/memsnap_error.ts";

/** Runs memsnap with the given arguments; resolves to the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  if (argv[0] === "help") return await runHelp(argv.slice(1), io);
  const command = subcommand(argv[0]) ?? reportCommand;
  try {
    const args = parseArgv(
      { options: optionsOf(command), ...(command.rest && { rest: true }) },
      command === reportCommand ? argv : argv.slice(1),
    );
    if (args.flag("help")) {
      await io.out(help(command));
      return EXIT.ok;
    }
    return await command.run(args, io);
  } catch (error) {
    return reportError(error, io, command);
  }
}

/** `memsnap help [COMMAND]`: memsnap's help, or a command's. */
async function runHelp(topic: readonly string[], io: Io): Promise<number> {
  const [name, extra] = topic;
  const command = name === undefined ? reportCommand : subcommand(name);
  if (command === undefined || extra !== undefined) {
    const message = extra !== undefined
      ? `Unexpected argument "${extra}"`
      : `Unknown command "${name}": expected ${SUBCOMMANDS.map((c) => `"${c.name}"`).join(", ")}`;
    return reportError(new UsageError(message), io, { name: "help" });
  }
  await io.out(help(command));
  return EXIT.ok;
}

/** A command's help; memsnap's own lists the commands too. */
function help(command: Command): string {
  if (command !== reportCommand) return helpText(command);
  const width = Math.max(...SUBCOMMANDS.map((c) => c.name.length));
  const commands = SUBCOMMANDS.map((c) =>
    `  ${c.name.padEnd(width)}  ${c.summary.split(/[.:]\s/)[0]!.replace(/\s+/g, " ")}`
  );
  return helpText(command, {
    commands: `Commands (memsnap COMMAND --help, or memsnap help COMMAND, for each):\n${
      commands.join("\n")
    }`,
  });
}

function reportError(error: unknown, io: Io, command: Pick<Command, "name">): number {
  const name = invocation(command);
  if (error instanceof MemsnapError) {
    io.err(`${error.kind === "usage" ? name : "memsnap"}: ${error.message}\n`);
    for (const line of error.details) io.err(`${line}\n`);
    if (error.kind === "usage") io.err(`Try "${name} --help" for more information.\n`);
    return EXIT_OF_KIND[error.kind];
  }
  // A bug: still one line, the stack only on request.
  const message = error instanceof Error ? error.message : String(error);
  io.err(`memsnap: internal error: ${message}\n`);
  return EXIT.failure;
}
