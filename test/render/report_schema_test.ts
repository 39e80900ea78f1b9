/** memsnap --format json against its documented schema, on every view. */

import { deepStrictEqual } from "node:assert/strict";
import { Ajv } from "ajv";
import schema from "../../docs/report.schema.json" with { type: "json" };
import { memsnap } from "../_helpers/memsnap.ts";
import { FAMILY_ARCHIVE } from "../_helpers/family.ts";
import { capturePath } from "../_helpers/mirror.ts";

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
ajv.addFormat("date-time", (text: string) => !Number.isNaN(Date.parse(text)));
const validate = ajv.compile(schema);

const CASES: string[][] = [
  ["-S", capturePath("n60.tar.gz")],
  ["-S", capturePath("n60.tar.gz"), "-u", "-c", "user count pss vss pss_anon"],
  ["-S", capturePath("n60.tar.gz"), "-m", "-c", "map count pids avgpss swappss"],
  ["-S", capturePath("n60.tar.gz"), "-w", "-R", "32G"],
  ["-c", "pid user name command pss pss_anon thp locked", "-n"],
  // The views beyond smem's, on the process family (charges unknown) and live.
  ["-S", FAMILY_ARCHIVE, "--cgroups", "-t"],
  ["-S", FAMILY_ARCHIVE, "--cgroups", "--depth", "1", "-c", "cgroup count pss swappss charge"],
  ["--cgroups"],
  ["-S", FAMILY_ARCHIVE, "--commands", "-c", "command count private shared total rss swap"],
  ["--commands", "-r"],
  ["-S", FAMILY_ARCHIVE, "--tree", "-P", "firefox"],
  ["--tree", "-c", "pid ppid depth name pss tree_pss tree_uss tree_rss tree_swap"],
  ["-c", "pid pss dirty oom_score cpu gpu"],
  ["-S", capturePath("n8.tar.gz"), "-w", "--tree"],
  ["-S", capturePath("n60.tar.gz"), "-w", "--tree", "-R", "32G", "-c", "item kb"],
  ["-w", "--tree"],
];

for (const args of CASES) {
  Deno.test(`memsnap --format json ${args.join(" ")} follows docs/report.schema.json`, async () => {
    const { code, stdout } = await memsnap([...args, "--format", "json"]);
    deepStrictEqual(code, 0);
    const valid = validate(JSON.parse(stdout));
    deepStrictEqual(valid ? [] : validate.errors, []);
  });
}

Deno.test("docs/report.schema.json refuses a report with a fraction of a kB or an unknown detail", async () => {
  const { stdout } = await memsnap(["-S", capturePath("n8.tar.gz"), "--format", "json"]);
  const report = JSON.parse(stdout);
  deepStrictEqual(validate({ ...report, detail: "partial" }), false);
  deepStrictEqual(validate({ ...report, totals: { ...report.totals, pss: 1.5 } }), false);
});

Deno.test("docs/report.schema.json refuses a tree node with a fraction of a kB or another flag", async () => {
  const { stdout } = await memsnap([
    "-S",
    capturePath("n8.tar.gz"),
    "-w",
    "--tree",
    "--format",
    "json",
  ]);
  const report = JSON.parse(stdout);
  deepStrictEqual(validate(report), true);
  deepStrictEqual(validate({ ...report, tree: { ...report.tree, kb: 1.5 } }), false);
  deepStrictEqual(validate({ ...report, tree: { ...report.tree, reclaimable: "maybe" } }), false);
});
