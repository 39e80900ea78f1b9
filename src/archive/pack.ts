/**
 * Packs a collected snapshot, its bytes as read, into tar bytes in memsnap's layout
 * (docs/FORMAT.md), with tar-stream.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { type Header, type Pack, pack as tarPack } from "tar-stream";
import { SNAPSHOT_END, SNAPSHOT_META, type SnapshotMeta } from "./format.ts";
import type { RawProcess, RawSnapshot } from "./raw_snapshot.ts";

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
  const packer = tarPack();
  const output = collect(packer);
  const writer = snapshotWriter(packer, options.meta ?? raw.meta, options.prefix);
  await writer.begin(raw.meminfo, raw.version);
  for (const process of raw.processes) await writer.process(process);
  await writer.finish();
  return await output;
}

/** Writes a snapshot's members into a tar packer, one process at a time. */
export interface SnapshotWriter {
  /** memsnap.json, meminfo and version. */
  begin(meminfo: Uint8Array, version: Uint8Array | null): Promise<void>;
  /** A process's directory and files; its owner's names come from `names`. */
  process(process: RawProcess): Promise<void>;
  /** A member of the snapshot's own beside memsnap.json (a capture's pages). */
  member(name: string, data: Uint8Array): Promise<void>;
  /** The end marker (in a recording) and the tar's end. */
  finish(): Promise<void>;
}

/**
 * Writes a snapshot into `packer` in memsnap's layout (see packSnapshot),
 * as its parts come: each member is in the packer (which holds back while
 * its reader is slow) before the returned promises resolve.
 *
 * @param names Owner names for the headers; meta's users and groups unless given.
 */
export function snapshotWriter(
  packer: Pack,
  meta: SnapshotMeta,
  prefix: string,
  names: {
    readonly users: Readonly<Record<string, string>>;
    readonly groups: Readonly<Record<string, string>>;
  } = {
    users: meta.users ?? {},
    groups: meta.groups ?? {},
  },
): SnapshotWriter {
  const mtime = new Date(meta.takenAt ?? 0);
  const recorded = prefix !== "";
  const proc = recorded ? `${prefix}proc/` : "";
  type Owner = { uid: number; gid: number };
  const entry = (header: Partial<Header> & { name: string }, data?: Uint8Array | string) =>
    new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => error ? reject(error) : resolve();
      if (data === undefined) packer.entry(header, done);
      else {
        packer.entry(
          header,
          typeof data === "string"
            ? Buffer.from(data)
            : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
          done,
        );
      }
    });
  const add = (name: string, data: Uint8Array | string, owner?: Owner) =>
    entry({ name, mode: 0o444, mtime, ...ownerFields(owner, names.users, names.groups) }, data);

  return {
    async begin(meminfo, version) {
      await add(`${prefix}${SNAPSHOT_META}`, `${JSON.stringify(meta, null, 2)}\n`);
      await add(`${proc}meminfo`, meminfo);
      if (version !== null) await add(`${proc}version`, version);
    },
    async process(process) {
      const owner = { uid: process.uid, gid: process.gid };
      await entry({
        name: `${proc}${process.pid}/`,
        type: "directory",
        mode: 0o555,
        mtime,
        ...ownerFields(owner, names.users, names.groups),
      });
      for (const [file, bytes] of process.files) {
        await add(`${proc}${process.pid}/${file}`, bytes, owner);
      }
    },
    member: (name, data) => add(`${prefix}${name}`, data),
    async finish() {
      if (recorded) await add(`${prefix}${SNAPSHOT_END}`, "");
      packer.finalize();
    },
  };
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
