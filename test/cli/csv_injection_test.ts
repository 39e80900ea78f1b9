/**
 * Formulas in CSV (issue 19, item 7): a command line such as
 * `=HYPERLINK("http://x.invalid")` reaches a spreadsheet as text, not as a
 * live formula, in every CSV memsnap writes. Run against `deno run` and the
 * compiled binary.
 */

import assert from "node:assert/strict";
import { memsnapProcess } from "../_helpers/memsnap.ts";
import { hostileCapture, namedProcess } from "../_helpers/hostile.ts";

const DIR = await Deno.makeTempDir({ prefix: "memsnap-csv-" });
globalThis.addEventListener("unload", () => Deno.removeSync(DIR, { recursive: true }));

/** The CSV memsnap prints for these arguments (exit 0). */
async function csv(args: readonly string[]): Promise<string> {
  const { code, stdout, stderr } = await memsnapProcess([...args, "--format", "csv"]);
  assert.equal(code, 0, stderr);
  return stdout;
}

Deno.test("memsnap --format csv writes a live process named =HYPERLINK(...) as text: a leading '", async () => {
  const name = `=HYPERLINK("http://x.invalid/${crypto.randomUUID().slice(0, 8)}")`;
  await using process = await namedProcess(name);
  const pattern = `^${name.replace(/[.()/]/g, "\\$&")}`;
  assert.equal(
    await csv(["-P", pattern, "-c", "pid command", "-H"]),
    // Live, every row says how it was measured (provenance, age).
    `${process.pid},"'${name.replaceAll('"', '""')} 600",exact,0\n`,
  );
});

Deno.test("memsnap's CSV reports and diffs write formula-like text with a leading ', and numbers as numbers", async () => {
  const capture = await hostileCapture(DIR, {
    cmdlines: { 18844: "=cmd|' /C calc'!A0", 18845: "@SUM(1+1)*cmd|' /C calc'!A0", 18846: "-bash" },
    users: { memc: "+memc" },
  });
  assert.equal(
    await csv(["-S", capture, "-c", "pid user command pss", "-P", "^[-=@]"]),
    "pid,user,command,pss\n" +
      "18844,mema,'=cmd|' /C calc'!A0,14737\n" +
      "18845,memb,'@SUM(1+1)*cmd|' /C calc'!A0,39400\n" +
      "18846,'+memc,'-bash,39502\n",
  );
  const original = `${Deno.cwd()}/fixtures/archives/v1-capture.tar.gz`;
  const diff = await csv(["diff", original, capture, "-u", "-c", "user pss", "-H"]);
  assert.deepEqual(diff.trimEnd().split("\n").sort(), [
    "'+memc,new,,47167,47167,",
    "mema,,29680,29680,0,0",
    "memb,,48895,48895,0,0",
    // A negative change is a number, not a formula.
    "memc,gone,47167,,-47167,-100",
  ]);
});
