import assert from "node:assert/strict";
import { parseThreshold } from "../../src/diff/threshold.ts";
import { unreachable, unreachableError } from "../../src/diff/threshold_reach.ts";
import { compileSelection } from "../../src/select/select.ts";

/** -P, -U and -M compiled as the diff compiles them. */
const filters = compileSelection;

const parse = (text: string) => parseThreshold(text, () => ["pss"]);
const NONE = { filters: {}, numeric: false };

Deno.test("unreachable(): a user -U leaves out, or a name under -n, can be known before reading", async () => {
  const alice = { filters: await filters({ user: "^ali" }), numeric: false };
  assert.equal(unreachable(parse("user[bob].pss>0"), alice), "-U leaves out user[bob]");
  assert.equal(unreachable(parse("user[alice].pss>0"), alice), undefined);
  const numeric = { filters: {}, numeric: true };
  assert.equal(
    unreachable(parse("user[bob].pss>0"), numeric),
    'with -n users are uids, and "bob" is none (user[bob])',
  );
  assert.equal(unreachable(parse("user[1000].pss>0"), numeric), undefined);
  // -U filters names: with -n a uid is not known to pass or not.
  assert.equal(unreachable(parse("user[1000].pss>0"), { ...alice, numeric: true }), undefined);
});

Deno.test("unreachable(): a mapping -M leaves out, and pid 0; never a program or the rows", async () => {
  const libc = { filters: await filters({ mapping: "(?i)LIBC" }), numeric: false };
  assert.equal(unreachable(parse("map[[heap]].pss>0"), libc), "-M leaves out map[[heap]]");
  assert.equal(unreachable(parse("map[/usr/lib/libc.so.6].pss>0"), libc), undefined);
  assert.equal(unreachable(parse("pid[0].pss>0"), NONE), "no process has pid 0 (pid[0])");
  assert.equal(unreachable(parse("pid[10].pss>0"), NONE), undefined);
  // -P matches a name or a command line: a program may still pass by its command line.
  const nginx = { filters: await filters({ process: "nginx" }), numeric: false };
  assert.equal(unreachable(parse("command[sh].pss>0"), nginx), undefined);
  assert.equal(unreachable(parse("pss>0"), libc), undefined);
  assert.equal(unreachable(parse("total.pss>0"), libc), undefined);
});

Deno.test("unreachableError(): the first threshold that names nothing, the others counted", async () => {
  const reach = { filters: await filters({ mapping: "libc" }), numeric: false };
  assert.equal(unreachableError([parse("pss>0"), parse("map[libc.so].pss>0")], reach), undefined);
  assert.equal(
    unreachableError([parse("map[a].pss>0"), parse("pid[0].pss>0"), parse("map[b].pss>0")], reach),
    'Threshold "map[a].pss>0" names nothing: -M leaves out map[a]; 2 more thresholds too (add --allow-missing to only warn)',
  );
});
