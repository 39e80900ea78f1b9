/**
 * A single-snapshot archive (what `memsnap capture` writes, or a device's
 * serve answers) read back into a RawSnapshot, its bytes as stored, so that
 * a recording writer appends it as if it had been collected here.
 *
 * @module
 */

import { parseSnapshotMeta, PROVENANCE_VERSION, SNAPSHOT_META } from "./format.ts";
import type { RawProcess, RawSnapshot } from "./raw_snapshot.ts";
import { readMembers } from "./read_tar.ts";
import { SourceError } from "../errors/source_error.ts";

/**
 * Reads a whole capture. Only a complete one is taken: its tar must end
 * with its end-of-archive blocks and its gzip stream with its trailer.
 *
 * @throws {SourceError} When it is cut short, damaged, not memsnap's
 *   layout (memsnap.json first), or lacks meminfo.
 */
export async function captureToRaw(bytes: Uint8Array, label: string): Promise<RawSnapshot> {
  const members = readMembers(
    (async function* () {
      yield bytes;
    })(),
    label,
  );
  let meta: RawSnapshot["meta"] | undefined;
  let meminfo: Uint8Array | undefined;
  let version: Uint8Array | null = null;
  const processes = new Map<number, { uid: number; gid: number; files: Map<string, Uint8Array> }>();
  let next = await members.next();
  for (; !next.done; next = await members.next()) {
    const member = next.value;
    if (meta === undefined) {
      if (member.name !== SNAPSHOT_META || member.type !== "file") {
        throw new SourceError(`Cannot read ${label}: it does not begin with ${SNAPSHOT_META}`);
      }
      meta = parseSnapshotMeta(new TextDecoder().decode(member.data), member.name);
      continue;
    }
    if (member.name === "meminfo") meminfo = member.data;
    else if (member.name === "version") version = member.data;
    const match = /^(\d+)(?:\/([^/]+))?$/.exec(member.name);
    if (match === null) continue;
    const pid = Number(match[1]);
    if (match[2] === undefined) {
      if (member.type === "directory") {
        processes.set(pid, { uid: member.uid, gid: member.gid, files: new Map() });
      }
      continue;
    }
    const process = processes.get(pid);
    if (process !== undefined && member.type === "file") process.files.set(match[2], member.data);
  }
  const end = next.value;
  if (end.gzipComplete === false || !end.tarEnded) {
    throw new SourceError(`Cannot read ${label}: it is cut short after member "${end.last}"`);
  }
  if (meta === undefined || meminfo === undefined) {
    throw new SourceError(`Cannot read ${label}: it holds no ${meta ? "meminfo" : SNAPSHOT_META}`);
  }
  const provenance = meta.provenance ?? {};
  // A capture's pages member is not kept (a recording's snapshots hold none): nor is its mention.
  if (meta.pages !== undefined) {
    const { pages: _, ...rest } = meta;
    meta = { ...rest, formatVersion: meta.provenance === undefined ? 1 : PROVENANCE_VERSION };
  }
  const raw: RawProcess[] = [...processes].map(([pid, p]) => ({
    pid,
    uid: p.uid,
    gid: p.gid,
    files: p.files,
    ...(provenance[String(pid)] !== undefined && { provenance: provenance[String(pid)] }),
  }));
  return {
    meta,
    meminfo,
    version,
    processes: raw,
    vanished: meta.skipped?.vanished ?? 0,
    unreadable: meta.skipped?.unreadable ?? 0,
  };
}
