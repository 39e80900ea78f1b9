import { deepStrictEqual, throws } from "node:assert/strict";
import { FORMAT_VERSION, parseSnapshotMeta } from "../../src/archive/format.ts";
import { SourceError } from "../../src/errors/source_error.ts";

const META = { format: "memsnap-snapshot", formatVersion: 2, detail: "rollup" };

Deno.test("parseSnapshotMeta() reads version 2's provenance: the processes not walked, by pid", () => {
  const provenance = {
    "12": { kind: "carried", ageMs: 1500 },
    "40": { kind: "rss-only", reason: "over-ceiling" },
    "41": { kind: "rss-only", reason: "unreadable" },
    "42": { kind: "rss-only", reason: "over-budget" },
  };
  const meta = parseSnapshotMeta(JSON.stringify({ ...META, provenance }), "memsnap.json");
  deepStrictEqual(meta.provenance, provenance);
  deepStrictEqual(FORMAT_VERSION, 2);
  // Without it, every process stored was walked.
  deepStrictEqual(parseSnapshotMeta(JSON.stringify(META), "memsnap.json").provenance, undefined);
});

Deno.test("parseSnapshotMeta() refuses a provenance it cannot read, rather than take it for exact", () => {
  for (
    const entry of [
      { kind: "carried" },
      { kind: "carried", ageMs: -1 },
      { kind: "rss-only", reason: "tired" },
      { kind: "guessed" },
      "exact",
    ]
  ) {
    throws(
      () =>
        parseSnapshotMeta(
          JSON.stringify({ ...META, provenance: { "7": entry } }),
          "000003/memsnap.json",
        ),
      (error: unknown) =>
        error instanceof SourceError &&
        error.message ===
          `Cannot read "000003/memsnap.json": "provenance" of 7 should be {"kind": "carried", "ageMs": N} or {"kind": "rss-only", "reason": ...}`,
      JSON.stringify(entry),
    );
  }
  throws(() =>
    parseSnapshotMeta(
      JSON.stringify({ ...META, provenance: { "x": { kind: "carried", ageMs: 1 } } }),
      "memsnap.json",
    ), SourceError);
});

Deno.test("parseSnapshotMeta() refuses a version newer than 2", () => {
  throws(
    () => parseSnapshotMeta(JSON.stringify({ ...META, formatVersion: 3 }), "memsnap.json"),
    /format version 3 is newer than this memsnap reads \(2\); upgrade memsnap/,
  );
});
