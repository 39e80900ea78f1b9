/**
 * serve --receive DIR: snapshots pushed by devices (the capture script's
 * `--to URL`, or anything that POSTs a capture) appended to one recording
 * per host, DIR/<host>.rec, host from the snapshot's memsnap.json,
 * sanitised. Nothing else is ever written under DIR; a body that is not a
 * complete capture is refused before anything is written.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { captureToRaw } from "../archive/capture_snapshot.ts";
import {
  createRecording,
  type RecordingWriter,
  reopenRecording,
} from "../archive/recording_writer.ts";
import { rawSource, summariseSource } from "../capture/summary.ts";
import { SourceError } from "../errors/source_error.ts";
import { type Answer, textAnswer } from "./api_answers.ts";
import { eachSnapshot } from "./each_snapshot.ts";
import { VERSION } from "./version.ts";

/**
 * A host's name as a file name: letters, digits, `.`, `_` and `-` kept,
 * anything else `_`, no leading dot (so never `.`, `..` nor hidden), at
 * most 64 characters; `unknown` for none.
 */
export function hostFileName(host: string | null): string {
  const safe = (host ?? "").replace(/[^A-Za-z0-9._-]/g, "_").replace(
    /^\.+/,
    (dots) => "_".repeat(dots.length),
  ).slice(0, 64);
  return `${safe === "" ? "unknown" : safe}.rec`;
}

/** One host's recording, open for appending; pushes to it are written in turn. */
interface HostRecording {
  writer: RecordingWriter;
  next: number;
  /**
   * The digest of the last body stored (since the receiver started): the
   * same body pushed again (its answer lost on the way back) is stored once.
   * Not its takenAt: the capture script's has whole seconds.
   */
  last: string | null;
  queue: Promise<unknown>;
}

/** Accepts pushed captures into DIR. */
export function receiver(dir: string) {
  const hosts = new Map<string, Promise<HostRecording>>();

  /** The host's recording: reopened (after its last snapshot) or created. */
  async function recordingOf(file: string, raw: Awaited<ReturnType<typeof captureToRaw>>) {
    const path = join(dir, file);
    const exists = await stat(path).then(() => true, () => false);
    if (!exists) {
      const writer = await createRecording(path, {
        format: "memsnap-recording",
        formatVersion: raw.meta.formatVersion,
        producer: `memsnap ${VERSION} (received)`,
        startedAt: raw.meta.takenAt,
        hostname: raw.meta.hostname,
        intervalMs: null,
        detail: raw.meta.detail,
        command: null,
        tree: false,
      }, { force: false });
      return { writer, next: 0, last: null, queue: Promise.resolve() };
    }
    let next = 0;
    await eachSnapshot(path, ({ index }) => {
      next = Math.max(next, index + 1);
    }, { wants: () => false });
    return { writer: await reopenRecording(path), next, last: null, queue: Promise.resolve() };
  }

  return {
    /** A POSTed body: a complete capture, appended to its host's recording. */
    async accept(body: Uint8Array): Promise<Answer> {
      let raw;
      try {
        raw = await captureToRaw(body, "the snapshot pushed");
      } catch (error) {
        const message = error instanceof SourceError ? error.message : String(error);
        return textAnswer(400, message);
      }
      const file = hostFileName(raw.meta.hostname);
      const digest = createHash("sha256").update(body).digest("hex");
      let opening = hosts.get(file);
      if (opening === undefined) {
        opening = recordingOf(file, raw);
        hosts.set(file, opening);
        opening.catch(() => hosts.delete(file));
      }
      const host = await opening;
      const appended = host.queue.then(async () => {
        // Sent again after its answer was lost: already stored.
        if (digest === host.last) return host.next - 1;
        const index = host.next;
        await host.writer.append(raw, {
          index,
          scheduledAt: raw.meta.takenAt ?? new Date().toISOString(),
          lateMs: 0,
          summary: await summariseSource(rawSource(raw)),
        });
        host.next++;
        host.last = digest;
        return index;
      });
      host.queue = appended.catch(() => {});
      const index = await appended;
      return textAnswer(200, `${file} ${index}`);
    },
  };
}
