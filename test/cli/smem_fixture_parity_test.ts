/**
 * Parity with smem's own output, kept beside each capture in
 * fixtures/captures (made by Debian's smem 1.5; see the README there).
 * Every line must be equal, but for smem's -R float bug, pinned below.
 */

import { deepStrictEqual, notDeepStrictEqual } from "node:assert/strict";
import { memsnap } from "../_helpers/memsnap.ts";
import { capturePath } from "../_helpers/mirror.ts";

/** smem's command line for each output file (fixtures/captures/README.md). */
const COMMANDS: Record<string, string[]> = {
  "processes": ["-c", "pid user command swap uss pss rss vss maps"],
  "users": ["-u"],
  "maps": ["-m", "-c", "map pids avgpss pss"],
  "maps-all": ["-m", "-c", "map count pids swap uss pss rss vss avgpss avgrss", "-s", "uss", "-r"],
  "system": ["-w"],
  "system-realmem": ["-w", "-R", "32G", "-c", "area used cache noncache"],
  "processes-k-totals": ["-t", "-k", "-c", "pid user name swap uss pss rss"],
  "processes-pct-filtered": ["-p", "-U", "mem[ab]", "-P", "cow|filemap"],
  "processes-mapfilter": ["-M", "memfd|shared-file", "-c", "pid user pss uss rss"],
};

/**
 * smem 1.5 under Python 3 prints -R's firmware/hardware as a float
 * ("8870336.0"); memsnap prints the integer, right-aligned the same.
 */
function withoutFloatBug(text: string): string {
  return text.replace(/( +)(\d+)\.0(?= )/g, "$1  $2");
}

for (const capture of ["n8", "n60"]) {
  for (const [name, args] of Object.entries(COMMANDS)) {
    Deno.test(`memsnap ${args.join(" ")} prints smem's ${capture}.smem-${name}.txt`, async () => {
      const smemOutput = await Deno.readTextFile(capturePath(`${capture}.smem-${name}.txt`));
      const { code, stdout, stderr } = await memsnap([
        "-S",
        capturePath(`${capture}.tar.gz`),
        ...args,
      ]);
      deepStrictEqual({ code, stderr }, { code: 0, stderr: "" });
      if (name === "system-realmem") {
        // The pinned difference: smem's float, and nothing else.
        notDeepStrictEqual(stdout, smemOutput);
        deepStrictEqual(stdout.split("\n"), withoutFloatBug(smemOutput).split("\n"));
      } else {
        deepStrictEqual(stdout.split("\n"), smemOutput.split("\n"));
      }
    });
  }
}
