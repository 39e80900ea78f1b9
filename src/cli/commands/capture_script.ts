/**
 * `memsnap capture-script`: prints the POSIX sh script that captures a
 * snapshot on a device without memsnap.
 *
 * @module
 */

import { VERSION } from "../../app/version.ts";
import { UsageError } from "../../errors/memsnap_error.ts";
import type { Command } from "../command.ts";
import { EXIT } from "../errors.ts";
import { HELP_OPTION } from "../option.ts";

export const captureScriptCommand: Command = {
  name: "capture-script",
  summary: `print a POSIX sh script that captures one snapshot
on a device without memsnap, with nothing but sh, tar and gzip (BusyBox's
will do). The archive it writes is what \`memsnap capture\` writes: a tar.gz
in smem's layout that memsnap -S and smem read.`,
  usage: [
    "capture-script [--detail full|rollup] > capture.sh",
    "     sh capture.sh [-o FILE|-] [-d full|rollup]     (on the device)",
  ],
  description: `The script writes memsnap-HOST-TIME.tar.gz in the current directory, or
FILE with -o, or standard output with -o -. Run it as root: another user's
memory cannot be read otherwise. It never leaves a partial file behind.`,
  groups: [{
    title: "Options",
    options: [
      {
        long: "detail",
        short: "d",
        value: "full|rollup",
        help:
          "what the script captures by default: every mapping (smaps, the default) or one record per process (smaps_rollup, Linux 4.14+, smaller)",
      },
      HELP_OPTION,
    ],
  }],
  examples: [
    ["memsnap capture-script > capture.sh"],
    ["scp capture.sh board:/tmp/"],
    ["ssh board sh /tmp/capture.sh -o - > board.tar.gz"],
    ["memsnap -S board.tar.gz -u -t"],
    ["memsnap capture-script --detail rollup | ssh board sh -s -- -o - > board.tar.gz"],
  ],
  async run(args, io) {
    if (args.positionals.length > 0) {
      throw new UsageError(`Unexpected argument "${args.positionals[0]}"`);
    }
    const detail = args.value("detail") ?? "full";
    if (detail !== "full" && detail !== "rollup") {
      throw new UsageError(`Unknown detail "${detail}": expected "full" or "rollup"`);
    }
    const { captureScript } = await import("../../capture/capture_script.ts");
    await io.out(captureScript({ detail, version: VERSION }));
    return EXIT.ok;
  },
};
