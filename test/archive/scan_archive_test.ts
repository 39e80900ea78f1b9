/**
 * scanArchive() with small limits: a snapshot is held only when asked
 * for, and one that would hold more than the limit stops with a message.
 */

import { deepStrictEqual, rejects } from "node:assert/strict";
import { scanArchive, type ScannedSnapshot } from "../../src/archive/scan_archive.ts";
import { makeArchive } from "../_helpers/archive.ts";

const KB = 1024;
const limits = { member: 64 * KB, snapshot: 100 * KB };

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** A snapshot's members: meminfo and three 40 kB smaps. */
function snapshotMembers(prefix: string) {
  return [
    { name: `${prefix}meminfo`, data: "MemTotal: 1000 kB\n" },
    ...[1, 2, 3].map((pid) => ({ name: `${prefix}${pid}/smaps`, data: new Uint8Array(40 * KB) })),
  ];
}

Deno.test("scanArchive() stops a snapshot that would hold more than the limit", async () => {
  const bytes = await makeArchive(snapshotMembers(""));
  await rejects(
    scanArchive(once(bytes), '"big"', { wants: () => true, complete: () => true }, limits),
    {
      name: "SourceError",
      message:
        'Cannot read "big": more than 100 kB uncompressed at member "3/smaps" (a decompression bomb?)',
    },
  );
});

Deno.test("scanArchive() holds only the snapshots a visitor keeps", async () => {
  const meta = (index: number) =>
    JSON.stringify({
      format: "memsnap-snapshot",
      formatVersion: 1,
      detail: "full",
      takenAt: `2026-11-25T19:30:0${index}.000Z`,
    });
  const recording = await makeArchive([
    { name: "memsnap-recording.json", data: '{"format": "memsnap-recording", "formatVersion": 1}' },
    ...[0, 1, 2].flatMap((index) => {
      const prefix = `00000${index}/`;
      return [
        { name: `${prefix}memsnap.json`, data: meta(index) },
        ...snapshotMembers(`${prefix}proc/`),
        { name: `${prefix}end`, data: "" },
      ];
    }),
  ]);
  // Each snapshot is over the limit: only keeping one fails.
  const seen: ScannedSnapshot[] = [];
  const result = await scanArchive(
    once(recording),
    '"rec"',
    { wants: () => false, complete: (snapshot) => (seen.push(snapshot), true) },
    limits,
  );
  deepStrictEqual(seen.map((s) => [s.index, s.meta?.takenAt, s.members]), [
    [0, "2026-11-25T19:30:00.000Z", null],
    [1, "2026-11-25T19:30:01.000Z", null],
    [2, "2026-11-25T19:30:02.000Z", null],
  ]);
  deepStrictEqual([result.snapshots, result.end], [3, null]);
  await rejects(
    scanArchive(once(recording), '"rec"', {
      wants: (index) => index === 1,
      complete: () => true,
    }, limits),
    {
      message:
        /^Cannot read "rec" snapshot 1: more than 100 kB uncompressed at member "000001\/proc\/3\/smaps"/,
    },
  );
});
