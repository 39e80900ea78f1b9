import assert from "node:assert/strict";
import { SourceError } from "../../src/errors/source_error.ts";
import { decodePages, encodePages, type StoredPages } from "../../src/snapshot/pages_member.ts";

const STORED: StoredPages = {
  pages: {
    mode: "frames",
    pageSize: 4096,
    frameCounts: { frames: [0, 7, 8, 2 ** 40 + 3], counts: [1, 3, 2, 200] },
  },
  processes: new Map([
    // A frame mapped twice by one process is listed twice (a difference of 0).
    [12, { frames: [7, 7, 8], swap: [], exclusive: 0 }],
    [5, { frames: [0, 2 ** 40 + 3], swap: [2 ** 45, 2 ** 45 + 1], exclusive: 1 }],
    [99, { frames: [], swap: [], exclusive: 0 }],
  ]),
};

Deno.test("encodePages() and decodePages(): the pages back, pids in order, numbers past 2^32 whole", () => {
  const decoded = decodePages(encodePages(STORED), "memsnap-pages.bin");
  assert.deepEqual(decoded.pages, STORED.pages);
  assert.deepEqual([...decoded.processes.keys()], [5, 12, 99]);
  for (const [pid, pages] of STORED.processes) assert.deepEqual(decoded.processes.get(pid), pages);
  const lower = { ...STORED, pages: { ...STORED.pages, mode: "lower-bound" as const } };
  assert.equal(decodePages(encodePages(lower), "m").pages.mode, "lower-bound");
});

Deno.test("encodePages(): nearby frames take a byte each (differences, not numbers)", () => {
  const frames = Array.from({ length: 10_000 }, (_, i) => 2 ** 30 + 3 * i);
  const bytes = encodePages({
    pages: { mode: "frames", pageSize: 4096, frameCounts: { frames, counts: frames.map(() => 1) } },
    processes: new Map([[1, { frames, swap: [], exclusive: 10_000 }]]),
  });
  // Two lists of 10 000 differences of 3 and 10 000 counts of 1, each a byte, and a few headers.
  assert.ok(bytes.length < 3 * 10_000 + 40, `${bytes.length} bytes`);
});

/** The error decodePages() gives, or "no error". */
function refusal(bytes: Uint8Array): string {
  try {
    decodePages(bytes, "memsnap-pages.bin");
    return "no error";
  } catch (error) {
    assert.ok(error instanceof SourceError, `not a SourceError: ${error}`);
    return error.message;
  }
}

Deno.test("decodePages() refuses a damaged member, naming it and the byte, and never throws anything else", () => {
  const good = encodePages(STORED);
  assert.equal(
    refusal(Uint8Array.of(1, 2, 3, 4)),
    'Cannot read "memsnap-pages.bin" at byte 1: it does not begin with MSPG',
  );
  // Cut short anywhere: refused.
  for (let length = 0; length < good.length; length++) {
    assert.match(refusal(good.slice(0, length)), /^Cannot read "memsnap-pages.bin" at byte \d+: /);
  }
  // Every byte changed to every value: a refusal or pages, never a crash or a hang.
  for (let at = 4; at < good.length; at++) {
    for (const value of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
      const bad = good.slice();
      bad[at] = value;
      refusal(bad);
    }
  }
  const trailing = Uint8Array.of(...good, 0);
  assert.match(refusal(trailing), /it has bytes after its last process$/);
});

Deno.test("decodePages() refuses counts beyond its bytes, a frame twice, pids out of order, numbers past 2^53", () => {
  const header = [0x4d, 0x53, 0x50, 0x47, 1, 0, 0x80, 0x20];
  // A count of 2^35 items in a few bytes: refused before anything is allocated.
  assert.match(
    refusal(Uint8Array.of(...header, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)),
    /it counts 34359738368 items, more than its 0 bytes left/,
  );
  assert.match(refusal(Uint8Array.of(...header, 2, 5, 0, 1, 1, 0)), /a frame is listed twice$/);
  assert.match(
    refusal(Uint8Array.of(...header, 0, 2, 9, 0, 0, 0, 3, 0, 0, 0)),
    /pid 3 is out of order$/,
  );
  const huge = Array(8).fill(0xff);
  assert.match(refusal(Uint8Array.of(...header, 1, ...huge, 0x7f, 1, 0)), /larger than 2\^53$/);
  assert.match(refusal(Uint8Array.of(0x4d, 0x53, 0x50, 0x47, 2)), /its layout 2 is not known/);
  assert.match(refusal(Uint8Array.of(0x4d, 0x53, 0x50, 0x47, 1, 2)), /mode 2 is not known/);
  assert.match(refusal(Uint8Array.of(0x4d, 0x53, 0x50, 0x47, 1, 0, 100)), /page size of 100 bytes/);
});
