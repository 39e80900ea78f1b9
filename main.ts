/**
 * memsnap's command-line entry point: runs the CLI on the process's
 * arguments and exits with its code.
 *
 * @module
 */

import process from "node:process";
import { processIo } from "./src/cli/io.ts";
import { run } from "./src/cli/run.ts";
import { exitOnStopSignals } from "./src/cli/signals.ts";

exitOnStopSignals();
process.exitCode = await run(process.argv.slice(2), processIo());
