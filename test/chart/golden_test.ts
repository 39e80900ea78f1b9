/**
 * One golden spec and SVG per chart kind, written by the CLI on a fixture:
 * a change of layout or data shows up as a diff here. After a deliberate change:
 * `UPDATE_GOLDEN=1 deno test -A test/chart/golden_test.ts`, then look at
 * the pictures.
 */

import { strictEqual } from "node:assert/strict";
import { validateSpec } from "../_helpers/chart.ts";
import { memsnap, ROOT } from "../_helpers/memsnap.ts";

const GOLDEN: Record<string, readonly string[]> = {
  "pie-n8-processes": ["-S", `${ROOT}fixtures/captures/n8.tar.gz`, "--pie", "name", "-R", "150M"],
  "bar-n8-users": ["-S", `${ROOT}fixtures/captures/n8.tar.gz`, "-u", "--bar", "user"],
  "timeline-workload": ["chart", `${ROOT}fixtures/charts/workload.tar.gz`],
};

for (const [name, args] of Object.entries(GOLDEN)) {
  for (const extension of ["vl.json", "svg"]) {
    const file = `${name}.${extension}`;
    Deno.test(`memsnap ${name}: the golden fixtures/charts/${file}`, async () => {
      const dir = await Deno.makeTempDir({ prefix: "memsnap-golden-" });
      try {
        const out = `${dir}/${file}`;
        const { code, stderr } = await memsnap([...args, "-o", out]);
        strictEqual(code, 0, stderr);
        const written = await Deno.readTextFile(out);
        const golden = `${ROOT}fixtures/charts/${file}`;
        if (Deno.env.get("UPDATE_GOLDEN") === "1") await Deno.writeTextFile(golden, written);
        strictEqual(written, await Deno.readTextFile(golden));
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
}

Deno.test("validateSpec() refuses what is no Vega-Lite spec", async () => {
  strictEqual((await validateSpec({ mark: "pie", data: { values: [] } })).valid, false);
  strictEqual((await validateSpec({ mark: "arc", data: { values: [] } })).valid, true);
});
