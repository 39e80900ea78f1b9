import { deepStrictEqual } from "node:assert/strict";
import { formatDuration, parseDuration } from "../../src/units/duration.ts";
import { parsePick, splitSourceSpec } from "../../src/archive/pick.ts";

Deno.test("parseDuration() reads a number and a unit: ms, s, m, h", () => {
  deepStrictEqual(
    ["500ms", "1s", "1.5s", "10m", "1h", "0s", "1", "1d", "-1s", "s", " 2s "].map(parseDuration),
    [500, 1000, 1500, 600_000, 3_600_000, 0, undefined, undefined, undefined, undefined, 2000],
  );
});

Deno.test("formatDuration() prints ms, seconds, minutes and hours", () => {
  deepStrictEqual(
    [950, 12_345, 245_000, 3_725_000].map(formatDuration),
    ["950ms", "12.3s", "4m05s", "1h02m"],
  );
});

Deno.test("parsePick() reads an index, first, last, an ISO time and an offset", () => {
  deepStrictEqual(parsePick("3"), { kind: "index", index: 3 });
  deepStrictEqual(parsePick("first"), { kind: "first" });
  deepStrictEqual(parsePick("last"), { kind: "last" });
  deepStrictEqual(parsePick("+90s"), { kind: "offset", ms: 90_000 });
  deepStrictEqual(parsePick("2026-11-25T19:30:00Z"), {
    kind: "time",
    at: Date.UTC(2026, 10, 25, 19, 30),
  });
  deepStrictEqual(["-1", "+soon", "2026-13-45T99:99", "middle", ""].map(parsePick), [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
});

Deno.test("splitSourceSpec() splits at the last @ unless the whole path exists", () => {
  const none = () => false;
  deepStrictEqual(splitSourceSpec("rec.tar.gz@2", none), {
    path: "rec.tar.gz",
    pick: { kind: "index", index: 2 },
    pickText: "2",
  });
  deepStrictEqual(splitSourceSpec("me@host/rec.tar.gz@last", none).path, "me@host/rec.tar.gz");
  deepStrictEqual(splitSourceSpec("odd@name.tar.gz", none), { path: "odd@name.tar.gz" });
  deepStrictEqual(splitSourceSpec("x@2", (p) => p === "x@2"), { path: "x@2" });
  deepStrictEqual(splitSourceSpec("-@first", none).path, "-");
});
