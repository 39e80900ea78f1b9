/**
 * The CLI's signal handlers: only a front end knows about signals.
 *
 * @module
 */

import process from "node:process";

/** The signals that ask memsnap to stop what it is doing, cleanly. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Calls `stop` with each stop signal memsnap receives, until released.
 *
 * @returns Releases the handlers.
 */
export function onStopSignals(stop: (signal: NodeJS.Signals) => void): () => void {
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
  };
}
