/**
 * The CLI's entry: argv → command → action → exit code. Errors become one
 * line on stderr and an exit code, never a stack trace.
 *
 * @module
 */

import { ParseError } from "../parse/parse_error.ts";
import { InputError } from "../errors/memsnap_error.ts";
import { SourceError } from "../errors/source_error.ts";
import { MissingMeminfoError } from "../view/system.ts";
import { type Command, parseCommand } from "./args.ts";
import { captureScriptHelp } from "./capture_script_args.ts";
import { chartHelp } from "./chart_args.ts";
import { EXIT, UsageError } from "./errors.ts";
import { helpText } from "./help.ts";
import type { Io } from "./io.ts";
import { runReport } from "./report.ts";
import { currentVersionLine, VERSION } from "./version.ts";

export { VERSION } from "./version.ts";

/** Runs memsnap with the given arguments; resolves to the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    const command = parseCommand(argv);
    switch (command.kind) {
      case "help":
        await io.out(await helpFor(command));
        return EXIT.ok;
      case "version":
        await io.out(`${currentVersionLine()}\n`);
        return EXIT.ok;
      case "report":
        return await runReport(command.request, io);
      // The snapshot commands load only when used.
      case "capture":
        return await (await import("./capture.ts")).runCapture(command.request, io);
      case "record":
        return await (await import("./record.ts")).runRecord(command.request, io);
      case "list":
        return await (await import("./list.ts")).runList(command.request, io);
      case "snap-help":
        await io.out((await import("./snap_help.ts")).snapHelpText(command.command));
        return EXIT.ok;
      case "chart-render":
        return await (await import("./chart_render.ts")).runChartRender(command.request, io);
      case "chart":
        return await (await import("./chart_timeline.ts")).runTimelineChart(command.request, io);
      case "diff":
        return await (await import("./diff.ts")).runDiff(command.request, io);
      case "diff-help":
        await io.out((await import("./diff_help.ts")).diffHelp());
        return EXIT.ok;
      case "chart-help":
        await io.out(chartHelp());
        return EXIT.ok;
      case "capture-script": {
        const { captureScript } = await import("../capture/capture_script.ts");
        await io.out(captureScript({ detail: command.detail, version: VERSION }));
        return EXIT.ok;
      }
    }
  } catch (error) {
    return reportError(error, io, argv[0] === "diff" ? "diff" : undefined);
  }
}

/** The help a `help` command asks for: memsnap's, or a command's own. */
async function helpFor(command: Extract<Command, { kind: "help" }>): Promise<string> {
  if (!("topic" in command)) return helpText();
  if (command.topic === "chart-render") {
    return (await import("./chart_render_args.ts")).chartRenderHelp();
  }
  return captureScriptHelp();
}

function reportError(error: unknown, io: Io, command: string | undefined): number {
  if (error instanceof UsageError) {
    io.err(`memsnap: ${error.message}\n`);
    for (const line of error.details) io.err(`${line}\n`);
    const help = command === undefined ? "memsnap --help" : `memsnap ${command} --help`;
    io.err(`Try "${help}" for more information.\n`);
    return EXIT.usage;
  }
  if (
    error instanceof SourceError || error instanceof ParseError ||
    error instanceof MissingMeminfoError || error instanceof InputError
  ) {
    io.err(`memsnap: ${error.message}\n`);
    return EXIT.failure;
  }
  // A bug: still one line, the stack only on request.
  const message = error instanceof Error ? error.message : String(error);
  io.err(`memsnap: internal error: ${message}\n`);
  return EXIT.failure;
}
