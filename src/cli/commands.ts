/**
 * The command table: every command memsnap runs, by name. The parser,
 * --help and `memsnap help` derive from it; adding a command is one module
 * and one line here.
 *
 * @module
 */

import type { Command } from "./command.ts";
import { captureScriptCommand } from "./commands/capture_script.ts";
import { chartCommand, chartRenderCommand } from "./commands/charts.ts";
import { diffCommand } from "./commands/diff.ts";
import { reportCommand } from "./commands/report.ts";
import { serveCommand } from "./commands/serve.ts";
import { captureCommand, listCommand, recordCommand } from "./commands/snapshots.ts";
import { topCommand } from "./commands/top.ts";
import { uiCommand } from "./commands/ui.ts";

/** The subcommands, in --help's order; the report is memsnap without one. */
export const SUBCOMMANDS: readonly Command[] = [
  captureCommand,
  recordCommand,
  listCommand,
  topCommand,
  diffCommand,
  serveCommand,
  uiCommand,
  chartCommand,
  captureScriptCommand,
  chartRenderCommand,
];

export { reportCommand };

/** The subcommand of a name; undefined for none. */
export function subcommand(name: string | undefined): Command | undefined {
  return SUBCOMMANDS.find((command) => command.name === name);
}
