import assert from "node:assert/strict";
import { parseIdNames } from "../../src/parse/passwd.ts";
import { testFixtures } from "./_fixtures.ts";

// parseIdNames() refuses nothing: there is no invalid/ folder. The JSON holds
// the map's [id, name] pairs in insertion order.
testFixtures({
  unit: "parseIdNames()",
  kind: "passwd",
  parse: (text) => [...parseIdNames(text)],
});

Deno.test("parseIdNames() keeps the first name of an id, as getpwuid(3) does", () => {
  const text = "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n";
  assert.deepStrictEqual([...parseIdNames(text)], [[0, "root"]]);
});

Deno.test("parseIdNames() skips comments, NIS entries and lines with too few fields", () => {
  const text = "# users\n+::::::\n+@admins::::::\nbroken:x:7\n\ndev:x:1000:1000::/home/dev:/bin/sh";
  assert.deepStrictEqual([...parseIdNames(text)], [[1000, "dev"]]);
});

Deno.test("parseIdNames() reads /etc/group text too", () => {
  const text = "root:x:0:\nadm:x:4:syslog,dev\n";
  assert.deepStrictEqual([...parseIdNames(text)], [[0, "root"], [4, "adm"]]);
});
