/**
 * A single-snapshot archive cut at every position of its last 600 bytes:
 * never read as complete without a word. A cut that loses tar data (or the
 * tar's end-of-archive blocks) is a one-line error naming the member it
 * follows; a cut inside the gzip trailer alone loses no member, and reads
 * with a warning.
 */

import { deepStrictEqual, match, ok } from "node:assert/strict";
import { constants, gunzipSync, gzipSync } from "node:zlib";
import { collectSnapshot } from "../../src/capture/collect.ts";
import { packSnapshot } from "../../src/archive/pack.ts";
import { archiveSource } from "../../src/source/open_archive.ts";
import { normalise } from "../../src/archive/read_tar.ts";
import { scanArchive, type ScanResult } from "../../src/archive/scan_archive.ts";
import { SourceError } from "../../src/errors/source_error.ts";
import { archiveMembers, gzipMemberStarts, memberEnds } from "../_helpers/archive.ts";
import { ROOT } from "../_helpers/memsnap.ts";
import { capturePath } from "../_helpers/mirror.ts";

// memsnap's capture of n8 in rollup detail: small, so that 600 reads are quick.
const n8 = await archiveSource(await Deno.readFile(capturePath("n8.tar.gz")), "n8");
const tar = await packSnapshot(
  await collectSnapshot(n8, { detail: "rollup", producer: "memsnap test" }),
  { prefix: "" },
);
const gzipped = gzipSync(tar);
const names = (await archiveMembers(tar)).map((member) => normalise(member.name));

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Reads an archive whole: its member names and warning, or the error's message. */
async function read(bytes: Uint8Array): Promise<{ names: string[]; result: ScanResult } | string> {
  const seen: string[] = [];
  try {
    const result = await scanArchive(once(bytes), '"cut"', {
      wants: () => true,
      complete(snapshot) {
        seen.push(...snapshot.members!.keys());
        return true;
      },
    });
    return { names: seen, result };
  } catch (error) {
    if (error instanceof SourceError) return error.message;
    throw error;
  }
}

/** The tar bytes a cut gzip stream still holds (zlib, kept to the last byte it can decode). */
function decodable(bytes: Uint8Array): number {
  return gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).length;
}

const ERROR =
  /^Cannot read "cut": the archive is truncated (after member "([^"]+)"|before its first member)( \((its gzip stream ends early, and )?the tar lacks its end-of-archive blocks\))?$/;

Deno.test("the whole capture reads without a warning", async () => {
  const whole = await read(gzipped);
  ok(typeof whole !== "string", String(whole));
  deepStrictEqual(whole.names, names);
  deepStrictEqual(whole.result.warning, null);
});

Deno.test("a capture cut in its last 600 bytes: an error naming a member, or a warning with every member", async () => {
  const warned: number[] = [];
  for (let cut = 1; cut <= 600; cut++) {
    const bytes = gzipped.subarray(0, gzipped.length - cut);
    const outcome = await read(bytes);
    if (decodable(bytes) === tar.length) {
      // Only the gzip trailer is lost: every member, and a warning.
      ok(typeof outcome !== "string", `cut ${cut}: ${outcome}`);
      deepStrictEqual(outcome.names, names, `cut ${cut}`);
      deepStrictEqual(
        outcome.result.warning,
        '"cut" is truncated inside its gzip trailer (checksum and size): every member up to the tar\'s end is complete, so it is read whole',
        `cut ${cut}`,
      );
      warned.push(cut);
    } else {
      ok(typeof outcome === "string", `cut ${cut} read as complete`);
      const match = ERROR.exec(outcome);
      ok(match !== null, `cut ${cut}: ${outcome}`);
      ok(match[2] === undefined || names.includes(match[2]), `cut ${cut}: ${outcome}`);
    }
  }
  // The trailer is 8 bytes (CRC-32 and size); the deflate stream's last
  // byte or so may go too, without losing any tar data.
  deepStrictEqual(warned.slice(0, 8), [1, 2, 3, 4, 5, 6, 7, 8]);
  ok(warned.length < 16, `${warned}`);
});

Deno.test("a plain tar cut at each member boundary, or in its end blocks, is an error naming the member before", async () => {
  const boundaries = memberEnds(tar);
  deepStrictEqual(boundaries.length, names.length);
  for (const [index, at] of boundaries.entries()) {
    const last = index === names.length - 1;
    for (const cut of [at, at + 1, at + 511, ...(last ? [at + 512] : [])]) {
      // Inside a block the tar reader stops; at a block boundary (one end
      // block of two is no end either) the missing end blocks tell.
      const lacksEnd = cut % 512 === 0;
      deepStrictEqual(
        await read(tar.subarray(0, cut)),
        `Cannot read "cut": the archive is truncated after member "${names[index]}"${
          lacksEnd ? " (the tar lacks its end-of-archive blocks)" : ""
        }`,
        `cut at ${cut}`,
      );
    }
  }
});

Deno.test("a recording cut inside its last gzip trailer reads every snapshot, with a warning", async () => {
  const recording = await Deno.readFile(`${ROOT}fixtures/archives/v1-recording.tar.gz`);
  const whole = await read(recording);
  ok(typeof whole !== "string", String(whole));
  deepStrictEqual(whole.result.warning, null);
  const cut = await read(recording.subarray(0, recording.length - 4));
  ok(typeof cut !== "string", String(cut));
  deepStrictEqual(cut.names, whole.names);
  deepStrictEqual([cut.result.snapshots, cut.result.end], [
    whole.result.snapshots,
    whole.result.end,
  ]);
  deepStrictEqual(
    cut.result.warning,
    `"cut" is truncated after its end member, in its last gzip member's final bytes: its ${whole.result.snapshots} snapshots and its end member are complete`,
  );
});

Deno.test("a recording cut in a gzip member's last bytes reads each snapshot once, and says only that it was cut", async () => {
  const recording = await Deno.readFile(`${ROOT}fixtures/archives/v1-recording.tar.gz`);
  const whole = await read(recording);
  ok(typeof whole !== "string", String(whole));
  const starts = gzipMemberStarts(recording);
  // The recording's head, one member per snapshot, and its end member.
  deepStrictEqual(starts.length, whole.result.snapshots + 2);
  const ends = [...starts.slice(1), recording.length];
  for (const [member, end] of ends.entries()) {
    // zlib has given the member's data, and fails on its missing end: its deflate end, checksum and size.
    for (let cut = end - 16; cut < end; cut++) {
      const read1 = await read(recording.subarray(0, cut));
      if (typeof read1 === "string") {
        // The recording's head cut: nothing to read.
        deepStrictEqual(member, 0, read1);
        continue;
      }
      const { warning, snapshots, end: endMember } = read1.result;
      ok(!/twice|after its end member:/.test(warning ?? ""), `cut at ${cut}: ${warning}`);
      if (endMember !== null) {
        deepStrictEqual(
          [warning, snapshots],
          [
            `"cut" is truncated after its end member, in its last gzip member's final bytes: its ${snapshots} snapshots and its end member are complete`,
            whole.result.snapshots,
          ],
          `cut at ${cut}`,
        );
      } else {
        match(
          warning ?? "",
          /(; read the \d+ complete snapshots? before it \(the recording was cut short\)| ends without its end member \(still being written, or cut short\); read the \d+ complete snapshots?)$/,
        );
        ok(
          snapshots === member - 1 || snapshots === member,
          `cut at ${cut}: ${snapshots} snapshots in member ${member}`,
        );
      }
    }
  }
});
