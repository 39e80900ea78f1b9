/**
 * A recording of six snapshots (each its own gzip member), damaged,
 * repeated, reordered, joined or cut as a broken disk, a copy or a script
 * would: every intact snapshot is read, the others are named in one
 * warning, and nothing is read twice or silently.
 */

import { deepStrictEqual } from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { scanArchive, type ScanResult } from "../../src/archive/scan_archive.ts";
import { damage, join, makeRecording } from "../_helpers/recording.ts";

const recording = await makeRecording(6);
// [meta, snapshot 0, ..., snapshot 5, end]
const [meta, s0, s1, s2, s3, s4, s5, end] = recording.members as Uint8Array[];
const snapshots = [s0!, s1!, s2!, s3!, s4!, s5!];

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** The indices a scan counts, and what it says. */
async function scan(
  parts: readonly Uint8Array[],
): Promise<{ indices: number[]; warning: string | null; damaged: readonly number[] }> {
  const indices: number[] = [];
  const result: ScanResult = await scanArchive(once(join(parts)), '"rec"', {
    wants: () => true,
    complete(snapshot) {
      indices.push(snapshot.index);
      return true;
    },
  });
  return { indices, warning: result.warning, damaged: result.damaged };
}

/** The recording with snapshot `index`'s member replaced. */
function withSnapshot(index: number, member: Uint8Array): Uint8Array[] {
  return [meta!, ...snapshots.map((s, i) => i === index ? member : s), end!];
}

Deno.test("scanArchive() reads a whole recording without a word", async () => {
  deepStrictEqual(await scan(recording.members), {
    indices: [0, 1, 2, 3, 4, 5],
    warning: null,
    damaged: [],
  });
});

Deno.test("scanArchive() reads on past a damaged snapshot, naming it: deflate data, checksum, a member cut short", async () => {
  const cases: [Uint8Array, string][] = [
    // 64 bytes inverted in its deflate data.
    [damage(s2!, 200, 64), "invalid distance too far back"],
    // Its CRC-32 (the trailer's first four bytes): its data reads, unchecked.
    [damage(s2!, s2!.length - 8, 1), "incorrect data check"],
    // Its first half, then the next member: zlib reads on into it.
    [s2!.subarray(0, s2!.length / 2), "invalid distance too far back"],
  ];
  for (const [member, reason] of cases) {
    deepStrictEqual(await scan(withSnapshot(2, member)), {
      indices: [0, 1, 3, 4, 5],
      warning:
        `"rec" is damaged: snapshot 2 could not be read: its gzip stream is damaged (${reason}); read 5 snapshots (0 to 1, 3 to 5)`,
      damaged: [2],
    }, reason);
  }
});

Deno.test("scanArchive() keeps the snapshot before a damaged gzip header: zlib checked it whole", async () => {
  deepStrictEqual(await scan(withSnapshot(3, damage(s3!, 0, 1))), {
    indices: [0, 1, 2, 4, 5],
    warning:
      '"rec" is damaged: snapshot 3 could not be read: its gzip stream is damaged (incorrect header check); read 5 snapshots (0 to 2, 4 to 5)',
    damaged: [3],
  });
});

Deno.test("scanArchive() names every damaged snapshot: the first, two apart, two in a row", async () => {
  deepStrictEqual((await scan(withSnapshot(0, damage(s0!, 200, 64)))).indices, [1, 2, 3, 4, 5]);
  const twoApart = await scan([
    meta!,
    s0!,
    damage(s1!, 200, 64),
    s2!,
    s3!,
    damage(s4!, s4!.length - 8, 1),
    s5!,
    end!,
  ]);
  deepStrictEqual(twoApart, {
    indices: [0, 2, 3, 5],
    warning:
      '"rec" is damaged: snapshots 1, 4 could not be read: its gzip stream is damaged (invalid distance too far back); read 4 snapshots (0, 2 to 3, 5)',
    damaged: [1, 4],
  });
  const inARow = await scan([
    meta!,
    s0!,
    s1!,
    damage(join([s2!, s3!]), 100, s2!.length + s3!.length - 200),
    s4!,
    s5!,
    end!,
  ]);
  deepStrictEqual([inARow.indices, inARow.damaged], [[0, 1, 4, 5], [2, 3]]);
});

Deno.test("scanArchive() reads a snapshot held twice once, and says so", async () => {
  deepStrictEqual(await scan([meta!, s0!, s1!, s2!, s2!, s3!, s4!, s5!, end!]), {
    indices: [0, 1, 2, 3, 4, 5],
    warning: '"rec" holds snapshot 2 twice: the later copy is left out; read 6 snapshots (0 to 5)',
    damaged: [],
  });
});

Deno.test("scanArchive() leaves out a snapshot out of order, and says so", async () => {
  deepStrictEqual(await scan([meta!, s0!, s1!, s3!, s2!, s4!, s5!, end!]), {
    indices: [0, 1, 3, 4, 5],
    warning:
      '"rec" holds snapshot 2 after snapshot 3, out of order: it is left out; read 5 snapshots (0 to 1, 3 to 5)',
    damaged: [],
  });
});

Deno.test("scanArchive() says which snapshots a recording lacks", async () => {
  deepStrictEqual(await scan([meta!, s0!, s1!, s3!, s4!, s5!, end!]), {
    indices: [0, 1, 3, 4, 5],
    warning: '"rec" lacks snapshot 2; read 5 snapshots (0 to 1, 3 to 5)',
    damaged: [],
  });
});

Deno.test("scanArchive() reads the first of two joined recordings, and what follows an end, and says so", async () => {
  deepStrictEqual(await scan([recording.bytes, recording.bytes]), {
    indices: [0, 1, 2, 3, 4, 5],
    warning:
      '"rec" holds a second recording after the first (files joined?): it is left out; read 6 snapshots (0 to 5)',
    damaged: [],
  });
  const junk = new TextEncoder().encode("not a gzip member\n");
  deepStrictEqual(
    (await scan([recording.bytes, junk])).warning,
    '"rec" holds data after its end member: it is left out; read 6 snapshots (0 to 5)',
  );
  deepStrictEqual(
    (await scan([recording.bytes, s3!])).warning,
    '"rec" holds data after its end member: it is left out; read 6 snapshots (0 to 5)',
  );
});

Deno.test("scanArchive() loses no more than the damaged snapshot and the one before it, wherever a byte is damaged", async () => {
  // Each snapshot's member, every 53rd byte; as a file is read (64 kB chunks).
  const starts = recording.members.map((_, i) =>
    recording.members.slice(0, i).reduce((sum, m) => sum + m.length, 0)
  );
  let tried = 0;
  for (let index = 0; index < 6; index++) {
    const from = starts[index + 1]!;
    for (let at = from; at < from + snapshots[index]!.length; at += 53) {
      const { indices } = await scan([damage(recording.bytes, at, 1)]);
      const lost = [0, 1, 2, 3, 4, 5].filter((i) => !indices.includes(i));
      deepStrictEqual(
        lost.every((i) => i === index || i === index - 1),
        true,
        `byte ${at} (snapshot ${index}): lost ${lost}`,
      );
      tried++;
    }
  }
  deepStrictEqual(tried > 400, true);
});

Deno.test("scanArchive() reads a plain tar recording cut short up to the cut: it has no member to resume at", async () => {
  const tar = gunzipSync(recording.bytes);
  // Cut inside the end member's data.
  deepStrictEqual(await scan([tar.subarray(0, tar.length - 1500)]), {
    indices: [0, 1, 2, 3, 4, 5],
    warning:
      'Cannot read "rec": the archive is truncated after member "memsnap-recording-end.json"; read the 6 complete snapshots before it (the recording was cut short)',
    damaged: [],
  });
});
