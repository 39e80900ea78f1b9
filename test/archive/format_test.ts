import { deepStrictEqual, throws } from "node:assert/strict";
import { FORMAT_VERSION, parseSnapshotMeta, PROVENANCE_VERSION } from "../../src/archive/format.ts";
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
  deepStrictEqual(PROVENANCE_VERSION, 2);
  deepStrictEqual(FORMAT_VERSION, 3);
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

Deno.test("parseSnapshotMeta() refuses a version newer than 3", () => {
  throws(
    () => parseSnapshotMeta(JSON.stringify({ ...META, formatVersion: 4 }), "memsnap.json"),
    /format version 4 is newer than this memsnap reads \(3\); upgrade memsnap/,
  );
});

Deno.test("parseSnapshotMeta() reads version 3's pages, and refuses a pages entry it cannot read", () => {
  const pages = { member: "memsnap-pages.bin", mode: "frames" };
  deepStrictEqual(
    parseSnapshotMeta(JSON.stringify({ ...META, formatVersion: 3, pages }), "memsnap.json").pages,
    pages,
  );
  throws(
    () =>
      parseSnapshotMeta(
        JSON.stringify({ ...META, formatVersion: 3, pages: { member: 1, mode: "frames" } }),
        "memsnap.json",
      ),
    /"pages" should name its "member" and its "mode"/,
  );
});
