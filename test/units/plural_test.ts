import { deepStrictEqual } from "node:assert/strict";
import { counted, plural } from "../../src/units/plural.ts";

Deno.test("plural() names the nouns memsnap counts, one and many", () => {
  deepStrictEqual([plural("process", 2), plural("user", 2), plural("cgroup", 1)], [
    "processes",
    "users",
    "cgroup",
  ]);
});

Deno.test("counted() puts the count before its noun", () => {
  deepStrictEqual(
    [counted(1, "process"), counted(0, "snapshot"), counted(3, "leak suspect")],
    ["1 process", "0 snapshots", "3 leak suspects"],
  );
});
