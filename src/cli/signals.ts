/**
 * The CLI's signal handlers: only a front end knows about signals. By
 * default SIGINT and SIGTERM end memsnap at once, the temporary files of
 * its writes removed first, with 128 + the signal's number; a command that
 * stops cleanly on a signal (record) claims them while it runs.
 *
 * @module
 */

import { constants } from "node:os";
import process from "node:process";
import { removeTemporaries } from "../sink/write_file.ts";

/** The signals that ask memsnap to stop what it is doing. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

let claims = 0;

/**
 * Calls `stop` with each stop signal memsnap receives, until released;
 * meanwhile the signals do not end memsnap.
 *
 * @returns Releases the handlers.
 */
export function onStopSignals(stop: (signal: NodeJS.Signals) => void): () => void {
  claims++;
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  return () => {
    claims--;
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
  };
}

/**
 * Ends memsnap on a stop signal that no command has claimed, leaving no
 * temporary file behind: for the process's entry point, once.
 */
export function exitOnStopSignals(): void {
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (claims > 0) return;
      removeTemporaries();
      process.exit(128 + (constants.signals[signal] ?? 0));
    });
  }
}
