/** Reads and builds tar.gz archives in tests, with tar-stream and node:zlib. */

import { Buffer } from "node:buffer";
import { gunzipSync, gzipSync } from "node:zlib";
import { extract, type Header, pack } from "tar-stream";

/** One member of an archive, in order. */
export interface TestMember {
  readonly name: string;
  readonly type: string;
  readonly uid: number;
  readonly uname: string;
  readonly data: Uint8Array;
}

/** Every member of a tar or tar.gz (all concatenated archives of a recording). */
export async function archiveMembers(bytes: Uint8Array): Promise<TestMember[]> {
  const tar = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  const reader = extract();
  reader.end(Buffer.from(tar));
  const members: TestMember[] = [];
  for await (const entry of reader) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of entry) chunks.push(chunk as Uint8Array);
    const { header } = entry;
    members.push({
      name: header.name,
      type: header.type ?? "file",
      uid: header.uid ?? -1,
      uname: header.uname ?? "",
      data: Buffer.concat(chunks),
    });
  }
  return members;
}

/** A tar (gzip-compressed unless `gzip: false`) of the given members, in order. */
export async function makeArchive(
  members: readonly (Partial<Header> & { readonly name: string } & {
    readonly data?: Uint8Array | string;
  })[],
  options: { readonly gzip?: boolean } = {},
): Promise<Uint8Array> {
  const packer = pack();
  const chunks: Uint8Array[] = [];
  const done = (async () => {
    for await (const chunk of packer) chunks.push(chunk as Uint8Array);
  })();
  for (const { data, ...header } of members) {
    await new Promise<void>((resolve, reject) =>
      packer.entry(
        header,
        Buffer.from(data ?? ""),
        (error) => error ? reject(error) : resolve(),
      )
    );
  }
  packer.finalize();
  await done;
  const tar = Buffer.concat(chunks);
  return options.gzip === false ? tar : gzipSync(tar);
}

/**
 * Where each member of a plain tar ends (its 512-byte header, then its data
 * padded to 512), in order: the places to cut a tar between two members.
 */
export function memberEnds(tar: Uint8Array): number[] {
  const ends: number[] = [];
  const zeroBlock = (at: number) => tar.subarray(at, at + 512).every((byte) => byte === 0);
  for (let at = 0; at + 512 <= tar.length && !zeroBlock(at);) {
    const size = parseInt(new TextDecoder().decode(tar.subarray(at + 124, at + 136)), 8) || 0;
    at += 512 + Math.ceil(size / 512) * 512;
    ends.push(at);
  }
  return ends;
}

/**
 * Where each gzip member of a multi-member stream (a recording) begins: a
 * header's bytes that the stream before them gunzips whole up to (a header
 * found inside compressed data by chance does not).
 */
export function gzipMemberStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let at = 1; at + 3 <= bytes.length; at++) {
    if (bytes[at] !== 0x1f || bytes[at + 1] !== 0x8b || bytes[at + 2] !== 0x08) continue;
    try {
      gunzipSync(bytes.subarray(starts.at(-1)!, at));
      starts.push(at);
    } catch {
      // Inside a member's compressed data.
    }
  }
  return starts;
}
