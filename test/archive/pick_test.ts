import { deepStrictEqual } from "node:assert/strict";
import { formatDuration, parseDuration } from "../../src/units/duration.ts";
import {
  describeIndices,
  describeOutside,
  parsePick,
  placeInSpan,
  splitSourceSpec,
} from "../../src/archive/pick.ts";

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

Deno.test("placeInSpan() puts a time within half an interval of either end inside, and the rest before or after", () => {
  const span = { first: 1000, last: 9000 };
  deepStrictEqual(placeInSpan(1000, span, 500), null);
  deepStrictEqual(placeInSpan(500, span, 500), null);
  deepStrictEqual(placeInSpan(499, span, 500), "before");
  deepStrictEqual(placeInSpan(9500, span, 500), null);
  deepStrictEqual(placeInSpan(9501, span, 500), "after");
  deepStrictEqual(placeInSpan(3_600_000, span, 0), "after");
});

Deno.test("describeOutside() gives the recording's span, its length and its ends", () => {
  deepStrictEqual(
    describeOutside("after", {
      first: Date.UTC(2026, 10, 25, 20, 1, 23, 709),
      last: Date.UTC(2026, 10, 25, 20, 1, 31, 458),
    }),
    "that time is after the recording, which spans 7.7s (2026-11-25T20:01:23.709Z to 2026-11-25T20:01:31.458Z)",
  );
});

Deno.test("describeIndices() writes runs of indices as ranges", () => {
  deepStrictEqual(describeIndices([]), "");
  deepStrictEqual(describeIndices([0]), "0");
  deepStrictEqual(describeIndices([0, 1, 2, 3, 4, 5]), "0 to 5");
  deepStrictEqual(describeIndices([0, 1, 2, 4, 6, 7, 8, 9]), "0 to 2, 4, 6 to 9");
});
