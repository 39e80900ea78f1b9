import assert from "node:assert/strict";
import { ParseError } from "../../src/parse/parse_error.ts";
import { parseSmaps } from "../../src/parse/smaps.ts";
import { sumCounters } from "../../src/parse/counters.ts";
import {
  groupMappings,
  mappingGroupsOf,
  summariseSmaps,
} from "../../src/snapshot/mapping_groups.ts";
import { mapping, processOf } from "../_helpers/snapshot.ts";
import { readInput } from "../parse/_fixtures.ts";

const FIXTURES = ["odd-mappings", "old-kernel", "kernel-thread", "zombie", "heap-grew-while-read"];
const INVALID = ["blank-line", "field-before-header", "truncated-header", "value-without-unit"];

for (const name of FIXTURES) {
  Deno.test(`summariseSmaps() sums smaps/${name}.txt as parseSmaps() and sumCounters() do`, async () => {
    const text = await readInput(`smaps/${name}.txt`);
    const mappings = parseSmaps(text, `${name}/smaps`);
    const summary = summariseSmaps(text, `${name}/smaps`, { groups: true });
    assert.deepStrictEqual(summary.totals, sumCounters(mappings.map((m) => m.counters)));
    assert.equal(summary.mapCount, mappings.length);
    assert.deepStrictEqual(summary.groups, groupMappings(mappings));
    assert.equal(summariseSmaps(text, `${name}/smaps`, { groups: false }).groups, undefined);
  });
}

for (const name of INVALID) {
  Deno.test(`summariseSmaps() refuses smaps/invalid/${name}.txt as parseSmaps() does`, async () => {
    const text = await readInput(`smaps/invalid/${name}.txt`);
    const file = `${name}/smaps`;
    const expected = await readInput(`smaps/invalid/${name}.error.txt`);
    assert.throws(() => summariseSmaps(text, file, { groups: true }), (error: unknown) => {
      assert.ok(error instanceof ParseError);
      assert.equal(error.message, expected.trim());
      return true;
    });
  });
}

const TWO_LIBS = `7f0000000000-7f0000001000 r--p 00000000 fe:00 12 /usr/lib/libc.so.6
Size:                  4 kB
Rss:                   4 kB
Pss:                   1 kB
7f0000001000-7f0000003000 r-xp 00001000 fe:00 12 /usr/lib/libc.so.6
Size:                  8 kB
Rss:                   8 kB
Pss:                   2 kB
7f0000010000-7f0000011000 rw-s 00000000 00:01 7 /memfd:shm (deleted)
Size:                  4 kB
Rss:                   4 kB
Pss:                   2 kB
7f0000020000-7f0000030000 rw-p 00000000 00:00 0 
Size:                 64 kB
Rss:                  12 kB
Pss:                  12 kB
`;

Deno.test("summariseSmaps() groups mappings by the name reports use, in first-seen order", () => {
  const summary = summariseSmaps(TWO_LIBS, "1/smaps", { groups: true });
  assert.deepStrictEqual(summary, {
    totals: { size: 80, rss: 28, pss: 17 },
    mapCount: 4,
    groups: [
      { name: "/usr/lib/libc.so.6", count: 2, counters: { size: 12, rss: 12, pss: 3 } },
      { name: "/memfd:shm", count: 1, counters: { size: 4, rss: 4, pss: 2 } },
      { name: "<anonymous>", count: 1, counters: { size: 64, rss: 12, pss: 12 } },
    ],
  });
});

Deno.test("summariseSmaps() of an empty file counts no mapping", () => {
  assert.deepStrictEqual(summariseSmaps("", "1/smaps", { groups: true }), {
    totals: {},
    mapCount: 0,
    groups: [],
  });
});

Deno.test("mappingGroupsOf() takes loaded groups as they are, else groups the mappings", () => {
  const withMappings = processOf({
    pid: 1,
    uid: 0,
    mappings: [mapping("/a", { pss: 1 }), mapping("", { pss: 2 }), mapping("/a", { pss: 4 })],
  });
  assert.deepStrictEqual(mappingGroupsOf(withMappings), [
    { name: "/a", count: 2, counters: { pss: 5 } },
    { name: "<anonymous>", count: 1, counters: { pss: 2 } },
  ]);
  const groups = [{ name: "/b", count: 3, counters: { pss: 9 } }];
  assert.equal(
    mappingGroupsOf({
      ...processOf({ pid: 2, uid: 0, totals: { pss: 9 } }),
      mappingGroups: groups,
    }),
    groups,
  );
});
