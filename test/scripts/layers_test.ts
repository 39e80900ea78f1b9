/** The layering of src/ (scripts/layers.ts): no import runs up, no modules import each other. */

import { deepStrictEqual } from "node:assert/strict";
import { cycles, importsUnder, LAYERS, upwardImports } from "../../scripts/layers.ts";

const SRC = new URL("../../src", import.meta.url).pathname;

Deno.test("every folder of src/ is a layer, lowest first", async () => {
  const folders: string[] = [];
  for await (const entry of Deno.readDir(SRC)) if (entry.isDirectory) folders.push(entry.name);
  deepStrictEqual(folders.sort(), [...LAYERS].sort());
});

Deno.test("no import under src/ runs up a layer or out of src/", async () => {
  deepStrictEqual(upwardImports(await importsUnder()), []);
});

Deno.test("no modules under src/ import each other in a loop", async () => {
  deepStrictEqual(cycles(await importsUnder()), []);
});

Deno.test("upwardImports() and cycles() find what breaks the rules", () => {
  const edges = [
    { from: "view/a.ts", to: "app/b.ts" },
    { from: "view/a.ts", to: "view/c.ts" },
    { from: "view/c.ts", to: "view/a.ts" },
    { from: "cli/d.ts", to: "../main.ts" },
    { from: "parse/e.ts", to: "errors/f.ts" },
  ];
  deepStrictEqual(upwardImports(edges), [edges[0], edges[3]]);
  deepStrictEqual(cycles(edges), [["view/a.ts", "view/c.ts"]]);
});
