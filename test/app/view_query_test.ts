/** Checking a view request, and what a view's columns need read. */

import assert from "node:assert/strict";
import { readingFor, viewNamed, viewQuery } from "../../src/app/view_query.ts";
import { UsageError } from "../../src/errors/memsnap_error.ts";

/** What must be read for the process view with these columns and sort field. */
function extrasOf(columns: string[], sort?: string) {
  const query = viewQuery({ view: "processes", columns, ...(sort !== undefined && { sort }) });
  return readingFor([query], {}).extras;
}

Deno.test("readingFor() reads oom_score, CPU time or fdinfo only for the columns that show them", () => {
  assert.equal(readingFor([viewQuery({})], {}).extras, undefined);
  assert.equal(extrasOf(["pid", "dirty", "pss"]), undefined);
  assert.deepEqual(extrasOf(["pid", "oom_score"]), { oomScore: true });
  assert.deepEqual(extrasOf(["pid", "pss"], "gpu"), { gpu: true });
  assert.deepEqual(extrasOf(["cpu", "gpu", "oom_score"]), {
    oomScore: true,
    cpuTime: true,
    gpu: true,
  });
});

Deno.test("readingFor() reads mappings for the mapping view, vss and maps, and wherever -M filters", () => {
  const mappings = (query: Parameters<typeof viewQuery>[0], mapfilter?: string) =>
    readingFor(
      [viewQuery(query)],
      mapfilter === undefined ? {} : { mapping: mapfilter },
    ).mappings;
  assert.equal(mappings({}), false);
  assert.equal(mappings({ view: "mappings" }), true);
  assert.equal(mappings({ columns: ["pid", "vss"] }), true);
  assert.equal(mappings({ view: "users", columns: ["user", "pss"] }), false);
  assert.equal(mappings({ view: "users" }, "libc"), true);
  assert.equal(readingFor([viewQuery({ view: "system" })], {}).processes, false);
  assert.equal(readingFor([viewQuery({ view: "cgroups" })], {}).cgroups, true);
  assert.equal(readingFor([viewQuery({ view: "system-tree" })], {}).rollupCounters, true);
});

/** Asserts a usage error with this message. */
function refused(run: () => unknown, message: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof UsageError, String(error));
    assert.equal(error.message, message);
    return true;
  });
}

Deno.test("viewQuery() offers the nearest column for a mistyped one", () => {
  refused(
    () => viewQuery({ sort: "psss" }),
    'Unknown sort field "psss" for the processes view (did you mean "pss"?)',
  );
  refused(
    () => viewQuery({ view: "users", columns: ["user", "psss"] }),
    'Unknown column "psss" for the users view (did you mean "pss"?)',
  );
});

Deno.test("viewNamed() takes a view's id or any of its aliases, and names the nearest for a typo", () => {
  assert.equal(viewNamed("commands"), "commands");
  assert.equal(viewNamed("command"), "commands");
  assert.equal(viewNamed("user"), "users");
  assert.equal(viewNamed("tree"), "process-tree");
  assert.throws(() => viewNamed("usrs"), (error: unknown) => {
    assert.ok(error instanceof UsageError);
    assert.match(
      error.message,
      /^Unknown view "usrs" \(did you mean "users"\?\): expected "processes", /,
    );
    return true;
  });
});
