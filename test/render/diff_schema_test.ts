/** memsnap diff --format json against its documented schema, in every view, with thresholds. */

import { deepStrictEqual } from "node:assert/strict";
import { Ajv } from "ajv";
import diffSchema from "../../docs/diff.schema.json" with { type: "json" };
import reportSchema from "../../docs/report.schema.json" with { type: "json" };
import { viewNames } from "../../src/view/registry.ts";
import { memsnap } from "../_helpers/memsnap.ts";
import { capturePath } from "../_helpers/mirror.ts";

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
ajv.addFormat("date-time", (text: string) => !Number.isNaN(Date.parse(text)));
// The sides' members are a report's, by reference.
ajv.addSchema(reportSchema);
const validate = ajv.compile(diffSchema);

const N8 = capturePath("n8.tar.gz");
const N60 = capturePath("n60.tar.gz");
const WORKLOAD = "fixtures/charts/workload.tar.gz";

async function diffDocument(args: readonly string[]): Promise<Record<string, unknown>> {
  const { code, stdout, stderr } = await memsnap(["diff", ...args, "--format", "json"]);
  deepStrictEqual([code === 0 || code === 3, stderr.includes("internal")], [true, false], stderr);
  return JSON.parse(stdout);
}

const CASES: string[][] = [
  ...viewNames().map((view) => [N8, N60, "--by", view]),
  [WORKLOAD, "-c", "pid name pss rss", "--fail-if", "pss>+20M", "--fail-if", "total.rss>+5%"],
  [N8, N60, "-u", "--fail-if", "user[nobody].pss>0", "--allow-missing", "-k"],
  [N8, N60, "-m", "-c", "map pss swappss", "--fail-if", "map[[heap]].pss>+1M"],
  [WORKLOAD, "--peak", "--by", "command", "--fail-if", "command[python3].uss>+1M"],
];

for (const args of CASES) {
  Deno.test(`memsnap diff ${args.join(" ")} --format json follows docs/diff.schema.json`, async () => {
    const document = await diffDocument(args);
    const valid = validate(document);
    deepStrictEqual(valid ? [] : validate.errors, []);
  });
}

Deno.test("docs/diff.schema.json refuses a row with its labels at the top level, or a fraction of a kB", async () => {
  const document = await diffDocument([N8, N60, "-c", "pid pss"]);
  deepStrictEqual(validate(document), true);
  const rows = document.rows as { labels: { pid: number }; metrics: { pss: { a: number } } }[];
  const flat = { ...rows[0], pid: rows[0]!.labels.pid };
  deepStrictEqual(validate({ ...document, rows: [flat] }), false);
  const half = { ...rows[0], metrics: { pss: { ...rows[0]!.metrics.pss, a: 1.5 } } };
  deepStrictEqual(validate({ ...document, rows: [half] }), false);
});
