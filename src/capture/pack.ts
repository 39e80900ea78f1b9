/**
 * Packs a collected snapshot, its bytes as read, into tar bytes in memsnap's layout
 * (docs/FORMAT.md), with tar-stream.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { pack as tarPack } from "tar-stream";
import { SNAPSHOT_END, SNAPSHOT_META, type SnapshotMeta } from "../source/archive/format.ts";
import type { RawSnapshot } from "./collect.ts";

/** Where a snapshot's members go. */
export interface PackOptions {
  /**
   * Prefix of every member: "" for a capture; `000042/` in a recording,
   * whose /proc files then sit under `000042/proc/` and which ends with an
   * `000042/end` marker.
   */
  readonly prefix: string;
  /** Metadata to store instead of the snapshot's own (a recording's adds to it). */
  readonly meta?: SnapshotMeta;
}

/**
 * A snapshot as a complete tar archive: `memsnap.json` first, then
 * `meminfo`, `version`, and per process a `PID/` directory owned by the
 * process's uid and gid (with their names) and its files.
 */
export async function packSnapshot(raw: RawSnapshot, options: PackOptions): Promise<Uint8Array> {
  const meta = options.meta ?? raw.meta;
  const mtime = new Date(meta.takenAt ?? 0);
  const recorded = options.prefix !== "";
  const proc = recorded ? `${options.prefix}proc/` : "";
  const users = meta.users ?? {};
  const groups = meta.groups ?? {};

  const packer = tarPack();
  const output = collect(packer);
  const add = (name: string, data: Uint8Array | string, owner?: { uid: number; gid: number }) =>
    new Promise<void>((resolve, reject) => {
      packer.entry(
        { name, mode: 0o444, mtime, ...ownerFields(owner, users, groups) },
        typeof data === "string"
          ? Buffer.from(data)
          : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
        (error) => error ? reject(error) : resolve(),
      );
    });

  await add(`${options.prefix}${SNAPSHOT_META}`, `${JSON.stringify(meta, null, 2)}\n`);
  await add(`${proc}meminfo`, raw.meminfo);
  if (raw.version !== null) await add(`${proc}version`, raw.version);
  for (const process of raw.processes) {
    const owner = { uid: process.uid, gid: process.gid };
    await new Promise<void>((resolve, reject) => {
      packer.entry(
        {
          name: `${proc}${process.pid}/`,
          type: "directory",
          mode: 0o555,
          mtime,
          ...ownerFields(owner, users, groups),
        },
        (error) => error ? reject(error) : resolve(),
      );
    });
    for (const [file, bytes] of process.files) {
      await add(`${proc}${process.pid}/${file}`, bytes, owner);
    }
  }
  if (recorded) await add(`${options.prefix}${SNAPSHOT_END}`, "");
  packer.finalize();
  return await output;
}

function ownerFields(
  owner: { uid: number; gid: number } | undefined,
  users: Readonly<Record<string, string>>,
  groups: Readonly<Record<string, string>>,
) {
  const uid = owner?.uid ?? 0;
  const gid = owner?.gid ?? 0;
  return { uid, gid, uname: users[uid] ?? "", gname: groups[gid] ?? "" };
}

async function collect(stream: AsyncIterable<unknown>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk as Uint8Array);
  return Buffer.concat(chunks);
}
