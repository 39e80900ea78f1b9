/**
 * `memsnap capture-script`'s command line and help. Pure: no I/O.
 *
 * @module
 */

import { parseArgs } from "node:util";
import type { Detail } from "../snapshot/snapshot.ts";
import { UsageError } from "./errors.ts";

/** `memsnap capture-script`, as the command line asks for it. */
export type CaptureScriptCommand =
  | { readonly kind: "capture-script"; readonly detail: Detail }
  | { readonly kind: "help"; readonly topic: "capture-script" };

const DETAILS: readonly Detail[] = ["full", "rollup"];

/**
 * Parses the arguments after `capture-script`.
 *
 * @param explain Rewords node's parseArgs errors in memsnap's style.
 * @throws {UsageError} For an unknown option or argument, or an unknown detail.
 */
export function parseCaptureScriptArgs(
  argv: readonly string[],
  explain: (error: unknown) => string,
): CaptureScriptCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { detail: { type: "string", short: "d" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(explain(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help", topic: "capture-script" };
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}"`);
  const detail = values.detail ?? "full";
  if (!(DETAILS as readonly string[]).includes(detail)) {
    throw new UsageError(`Unknown detail "${detail}": expected "full" or "rollup"`);
  }
  return { kind: "capture-script", detail: detail as Detail };
}

/** memsnap capture-script --help. */
export function captureScriptHelp(): string {
  return `memsnap capture-script: print a POSIX sh script that captures one snapshot
on a device without memsnap, with nothing but sh, tar and gzip (BusyBox's
will do). The archive it writes is what \`memsnap capture\` writes: a tar.gz
in smem's layout that memsnap -S and smem read.

Usage: memsnap capture-script [--detail full|rollup] > capture.sh
       sh capture.sh [-o FILE|-] [-d full|rollup]     (on the device)

Options:
  -d, --detail full|rollup  what the script captures by default: every
                            mapping (smaps, the default) or one record per
                            process (smaps_rollup, Linux 4.14+, smaller)
  -h, --help                this help

The script writes memsnap-HOST-TIME.tar.gz in the current directory, or
FILE with -o, or standard output with -o -. Run it as root: another user's
memory cannot be read otherwise. It never leaves a partial file behind.

Examples:
  memsnap capture-script > capture.sh
  scp capture.sh board:/tmp/
  ssh board sh /tmp/capture.sh -o - > board.tar.gz
  memsnap -S board.tar.gz -u -t
  memsnap capture-script --detail rollup | ssh board sh -s -- -o - > board.tar.gz

Documentation: docs/capture-script.md in memsnap's repository.
`;
}
