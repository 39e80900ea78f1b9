/**
 * `memsnap capture-script` run as a program: the script it prints, its
 * --help, and its usage errors.
 */

import { deepStrictEqual, match } from "node:assert/strict";
import config from "../../deno.json" with { type: "json" };
import { memsnapProcess } from "../_helpers/memsnap.ts";

Deno.test("memsnap capture-script prints the sh script, full detail by default", async () => {
  const { code, stdout, stderr } = await memsnapProcess(["capture-script"]);
  deepStrictEqual([code, stderr], [0, ""]);
  match(stdout, /^#!\/bin\/sh\n/);
  match(
    stdout,
    new RegExp(`\nPRODUCER='memsnap capture-script ${config.version}'\nDETAIL='full'\n`),
  );
  deepStrictEqual(/@[A-Z]+@/.test(stdout), false, "every placeholder is filled");
});

Deno.test("memsnap capture-script --detail rollup makes rollup the script's default", async () => {
  for (const args of [["--detail", "rollup"], ["-d", "rollup"], ["--detail=rollup"]]) {
    const { code, stdout } = await memsnapProcess(["capture-script", ...args]);
    deepStrictEqual(code, 0);
    match(stdout, /\nDETAIL='rollup'\n/);
  }
});

Deno.test("memsnap capture-script --help explains the device workflow with examples", async () => {
  const { code, stdout } = await memsnapProcess(["capture-script", "--help"]);
  deepStrictEqual(code, 0);
  match(stdout, /^memsnap capture-script: /);
  match(stdout, /Usage: memsnap capture-script \[--detail full\|rollup\] > capture.sh/);
  match(stdout, /Examples:\n {2}memsnap capture-script > capture.sh\n/);
  match((await memsnapProcess(["--help"])).stdout, /memsnap capture-script/);
});

Deno.test("memsnap capture-script refuses bad arguments with exit 2", async () => {
  const cases: [string[], string][] = [
    [["--detail", "mappings"], `Unknown detail "mappings": expected "full" or "rollup"`],
    [["--detail"], `Option "-d (--detail)" needs a value`],
    [["-o", "x"], `Unknown option "-o"`],
    [["extra"], `Unexpected argument "extra"`],
  ];
  for (const [args, message] of cases) {
    const { code, stdout, stderr } = await memsnapProcess(["capture-script", ...args]);
    deepStrictEqual([code, stdout, stderr.split("\n")[0]], [
      2,
      "",
      `memsnap capture-script: ${message}`,
    ]);
  }
});
