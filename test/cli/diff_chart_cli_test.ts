/**
 * `memsnap diff A B --bar` as a program: the chart's file in the format of
 * its extension, named on stderr, its bars the changes between the sides.
 */

import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { GROWTH_COLOUR, SHRINKAGE_COLOUR } from "../../src/chart/diff_spec.ts";
import { WORKLOAD } from "../_helpers/diff.ts";
import { memsnapProcess } from "../_helpers/memsnap.ts";
import { assertDrawn, decodePng, pixelsOf } from "../_helpers/pixels.ts";

Deno.test("memsnap diff A B --bar -o diff.png draws growth and shrinkage; --top sums the rest", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-diff-bar-" });
  try {
    const png = `${dir}/diff.png`;
    const args = ["diff", `${WORKLOAD}@14`, `${WORKLOAD}@last`, "--bar"];
    const drawn = await memsnapProcess([...args, "-o", png, "--width", "600", "--scale", "2"]);
    deepStrictEqual([drawn.code, drawn.stdout, drawn.stderr], [0, "", `memsnap: wrote ${png}\n`]);
    const image = decodePng(await Deno.readFile(png));
    strictEqual(image.width, 1200);
    assertDrawn(image, png);
    deepStrictEqual(
      [pixelsOf(image, GROWTH_COLOUR) > 500, pixelsOf(image, SHRINKAGE_COLOUR) > 500],
      [true, true],
    );
    // Without -o, the name comes from B's host and time, in the working directory.
    const spec = await memsnapProcess([...args, "--top", "3", "-o", `${dir}/d.vl.json`]);
    strictEqual(spec.code, 0, spec.stderr);
    const values = JSON.parse(await Deno.readTextFile(`${dir}/d.vl.json`)).data.values;
    deepStrictEqual(values.map((value: { bar: string }) => value.bar.replace(/.* \[/, "[")), [
      "[28773]",
      "[28779] (gone)",
      "[28778] (gone)",
      "6 others",
    ]);
    const named = await memsnapProcess([...args, "-u"], { cwd: dir });
    deepStrictEqual(
      [named.code, named.stderr],
      [0, "memsnap: wrote memsnap-diff-users-pss-vm-20261125T200131Z.svg\n"],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
