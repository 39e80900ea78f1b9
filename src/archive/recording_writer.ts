/**
 * Writes a recording (docs/FORMAT.md): one gzip member per snapshot, each a
 * complete tar, appended as the snapshot is taken. A crash loses at most
 * the snapshot being written: every member before it is whole on disk.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { type FileHandle, open } from "node:fs/promises";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { pack as tarPack } from "tar-stream";
import {
  type RecordedMeta,
  RECORDING_END,
  RECORDING_META,
  type RecordingEnd,
  type RecordingMeta,
  snapshotPrefix,
} from "./format.ts";
import type { RawSnapshot } from "./raw_snapshot.ts";
import { describeFsError, errorCode, SourceError } from "../errors/source_error.ts";
import { writeAll } from "../sink/write_file.ts";
import { packSnapshot } from "./pack.ts";

const gzipAsync = promisify(gzip);

/** An open recording. */
export interface RecordingWriter {
  /** Appends a snapshot: its metadata gains `recorded`. */
  append(raw: RawSnapshot, recorded: RecordedMeta): Promise<void>;
  /** Writes the end member and closes the file. */
  close(end: RecordingEnd): Promise<void>;
  /**
   * Closes the file without an end member, after a failure: the snapshots
   * written whole stay readable (the reader warns that it was cut short).
   */
  abandon(): Promise<void>;
  /** Bytes written so far. */
  readonly size: () => number;
}

/**
 * Creates a recording file and writes its first member.
 *
 * @param options.force Overwrite an existing file (else EEXIST is thrown).
 */
export async function createRecording(
  path: string,
  meta: RecordingMeta,
  options: { readonly force: boolean },
): Promise<RecordingWriter> {
  const file = await open(path, options.force ? "w" : "wx").catch((error) => {
    throw new SourceError(
      errorCode(error) === "EEXIST"
        ? `Cannot write "${path}": it already exists (use --force to replace it)`
        : `Cannot write "${path}": ${describeFsError(error)}`,
    );
  });
  const writer = writerOn(file, path, 0);
  try {
    await writer.writeMember(await recordingHead(meta));
  } catch (error) {
    await file.close();
    throw error;
  }
  return writer.recording;
}

/**
 * Opens an existing recording to append snapshots to it (serve --receive):
 * its head is there; its snapshots continue at the index the caller knows.
 */
export async function reopenRecording(path: string): Promise<RecordingWriter> {
  const file = await open(path, "a");
  return writerOn(file, path, (await file.stat()).size).recording;
}

/**
 * Appends whole gzip members to an open recording of `size` bytes, each on
 * disk before the next begins; a member cut short (a full disk) is cut off,
 * so the file ends with whole members.
 */
function writerOn(file: FileHandle, path: string, size: number) {
  const writeMember = async (member: Uint8Array) => {
    try {
      await writeAll(file, member);
      // On disk before the next snapshot begins: a crash keeps this one.
      await file.datasync();
    } catch (error) {
      await file.truncate(size).catch(() => {});
      throw new SourceError(`Cannot write "${path}": ${describeFsError(error)}`);
    }
    size += member.length;
  };
  const recording: RecordingWriter = {
    async append(raw, recorded) {
      await writeMember(await recordedSnapshot(raw, recorded));
    },
    async close(end) {
      try {
        await writeMember(await recordingTail(end));
      } finally {
        await closeQuietly(file);
      }
    },
    abandon: () => closeQuietly(file),
    size: () => size,
  };
  return { writeMember, recording };
}

/** A recording's first gzip member: memsnap-recording.json. */
export async function recordingHead(meta: RecordingMeta): Promise<Uint8Array> {
  return await gzipAsync(await jsonTar(RECORDING_META, meta, new Date(meta.startedAt ?? 0)));
}

/** A snapshot's gzip member in a recording (under NNNNNN/, with its end marker). */
export async function recordedSnapshot(
  raw: RawSnapshot,
  recorded: RecordedMeta,
): Promise<Uint8Array> {
  return await gzipAsync(
    await packSnapshot(raw, {
      prefix: snapshotPrefix(recorded.index),
      meta: { ...raw.meta, recorded },
    }),
  );
}

/** A recording's last gzip member: memsnap-recording-end.json. */
export async function recordingTail(end: RecordingEnd): Promise<Uint8Array> {
  return await gzipAsync(await jsonTar(RECORDING_END, end, new Date(end.endedAt)));
}

/** A tar holding one JSON member. */
async function jsonTar(name: string, value: unknown, mtime: Date): Promise<Uint8Array> {
  const packer = tarPack();
  const chunks: Uint8Array[] = [];
  const done = (async () => {
    for await (const chunk of packer) chunks.push(chunk as Uint8Array);
  })();
  packer.entry({ name, mode: 0o444, mtime }, `${JSON.stringify(value, null, 2)}\n`);
  packer.finalize();
  await done;
  return Buffer.concat(chunks);
}

async function closeQuietly(file: FileHandle): Promise<void> {
  await file.close().catch(() => {});
}
