import assert from "node:assert/strict";
import { InputError } from "../../src/errors/memsnap_error.ts";
import { EXACT_NEEDS_ROOT, withPages } from "../../src/snapshot/read_pages.ts";
import { processOf, snapshotOf } from "../_helpers/snapshot.ts";

const PRESENT = 1n << 63n;
const SWAPPED = 1n << 62n;
const EXCLUSIVE = 1n << 56n;

/** 64-bit little-endian words, `at` index → value, in a file of `length` words. */
function words(length: number, values: Record<number, bigint>): Uint8Array {
  const bytes = new Uint8Array(length * 8);
  const view = new DataView(bytes.buffer);
  for (const [at, value] of Object.entries(values)) view.setBigUint64(Number(at) * 8, value, true);
  return bytes;
}

const SMAPS = `00001000-00004000 rw-p 00000000 00:00 0
Rss:                  12 kB
Swap:                  0 kB
00010000-00012000 r--p 00000000 00:00 0 [not resident]
Rss:                   0 kB
Swap:                  0 kB
00020000-00021000 rw-p 00000000 00:00 0
Rss:                   0 kB
Swap:                  4 kB
`;

/** A /proc copy with one process (pid 10), kpagecount and auxv. */
async function procDir(pagemapFrames: { a: bigint; b: bigint; c: bigint }): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-pages-" });
  await Deno.mkdir(`${dir}/10`);
  await Deno.mkdir(`${dir}/self`);
  await Deno.writeFile(`${dir}/self/auxv`, words(4, { 0: 6n, 1: 4096n, 2: 0n, 3: 0n }));
  await Deno.writeTextFile(`${dir}/10/smaps`, SMAPS);
  await Deno.writeFile(
    `${dir}/10/pagemap`,
    words(0x21, {
      1: PRESENT | EXCLUSIVE | pagemapFrames.a,
      2: PRESENT | pagemapFrames.b,
      3: PRESENT | pagemapFrames.c,
      // Pages of the mapping smaps says holds nothing: never read.
      0x10: PRESENT | 7n,
      0x11: PRESENT | 8n,
      0x20: SWAPPED | 99n,
    }),
  );
  // Frames 0-299: frame 5 mapped twice, frame 250 (far from the rest: a run of its own) once.
  await Deno.writeFile(`${dir}/kpagecount`, words(300, { 5: 2n, 6: 1n, 250: 1n, 7: 1n, 8: 1n }));
  return dir;
}

Deno.test("withPages() reads pagemap for the ranges smaps says are resident or swapped, kpagecount per distinct frame", async () => {
  const dir = await procDir({ a: 250n, b: 5n, c: 5n });
  try {
    const snapshot = snapshotOf([processOf({ pid: 10, uid: 0, totals: {} })]);
    const read = await withPages(snapshot, { mode: "frames", procRoot: dir });
    assert.equal(read.unreadable, 0);
    assert.deepEqual(read.snapshot.processes[0]!.pages, {
      frames: [5, 5, 250],
      swap: [99],
      exclusive: 1,
    });
    assert.deepEqual(read.snapshot.pages, {
      mode: "frames",
      pageSize: 4096,
      frameCounts: { frames: [5, 250], counts: [2, 1] },
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("withPages() refuses frames read as 0 (no CAP_SYS_ADMIN); the lower bound needs none", async () => {
  const dir = await procDir({ a: 0n, b: 0n, c: 0n });
  try {
    const snapshot = snapshotOf([processOf({ pid: 10, uid: 0, totals: {} })]);
    await assert.rejects(
      withPages(snapshot, { mode: "frames", procRoot: dir }),
      (e) => e instanceof InputError && e.message === EXACT_NEEDS_ROOT,
    );
    const lower = await withPages(snapshot, { mode: "lower-bound", procRoot: dir });
    assert.deepEqual(lower.snapshot.processes[0]!.pages, { frames: [], swap: [99], exclusive: 1 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("withPages() leaves a process that exited without pages", async () => {
  const dir = await procDir({ a: 6n, b: 7n, c: 8n });
  try {
    const snapshot = snapshotOf([
      processOf({ pid: 10, uid: 0, totals: {} }),
      processOf({ pid: 11, uid: 0, totals: {} }),
    ]);
    const read = await withPages(snapshot, { mode: "frames", procRoot: dir });
    assert.equal(read.snapshot.processes[1]!.pages, undefined);
    assert.deepEqual(read.snapshot.pages?.frameCounts, { frames: [6, 7, 8], counts: [1, 1, 1] });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("withPages() reads of a process not shown only its swap, and nothing when it has none", async () => {
  const dir = await procDir({ a: 6n, b: 7n, c: 8n });
  try {
    const withSwap = processOf({ pid: 10, uid: 0, totals: { swap: 4 } });
    const read = await withPages(snapshotOf([withSwap]), {
      mode: "frames",
      procRoot: dir,
      shown: new Set(),
    });
    assert.deepEqual(read.snapshot.processes[0]!.pages, { frames: [], swap: [99], exclusive: 0 });
    assert.deepEqual(read.snapshot.pages?.frameCounts, { frames: [], counts: [] });
    const without = processOf({ pid: 10, uid: 0, totals: { swap: 0 } });
    const none = await withPages(snapshotOf([without]), {
      mode: "frames",
      procRoot: dir,
      shown: new Set(),
    });
    assert.equal(none.snapshot.processes[0]!.pages, undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("withPages() says so in one line when the kernel has no kpagecount", async () => {
  const dir = await procDir({ a: 6n, b: 7n, c: 8n });
  try {
    await Deno.remove(`${dir}/kpagecount`);
    const snapshot = snapshotOf([processOf({ pid: 10, uid: 0, totals: {} })]);
    await assert.rejects(
      withPages(snapshot, { mode: "frames", procRoot: dir }),
      (e) =>
        e instanceof InputError &&
        e.message ===
          `--exact needs ${dir}/kpagecount, which this kernel does not have (CONFIG_PROC_PAGE_MONITOR)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
