/**
 * Decompresses a gzip stream as it comes, keeping all a cut stream holds,
 * and telling whether the stream ended properly: its last member's trailer
 * (CRC and size) read and checked by node:zlib.
 *
 * @module
 */

import { constants, createGunzip } from "node:zlib";

/** How a gzip stream ended, known once its chunks are all read. */
export interface GzipEnd {
  /** True once node:zlib has read the trailer; false for a stream cut short. */
  complete: boolean;
  /**
   * The compressed bytes zlib has consumed so far: after a failure, where
   * the piece it failed in begins (set when decoding starts).
   */
  consumed: () => number;
}

/** Decoded chunks held before more input is fed (each up to 16 kB). */
const QUEUE = 16;

/**
 * Yields the decompressed chunks of a gzip stream (one member or several
 * concatenated). A stream cut short yields all it holds, then ends with
 * `end.complete` false; a damaged one throws node:zlib's error.
 *
 * zlib only reports a cut at the end of the input (Z_FINISH), and a failed
 * stream drops what it holds unread: so the whole input is decoded and
 * flushed (Z_SYNC_FLUSH), every chunk taken, and only then is it ended. For
 * the same reason the output is never paused (a paused stream's buffer is
 * dropped when it fails): the input waits while the queue is full, so all
 * that zlib decoded before damage reaches the consumer.
 */
export async function* gunzipChunks(
  input: AsyncIterable<Uint8Array>,
  end: GzipEnd,
): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip();
  end.consumed = () => gunzip.bytesWritten;
  const decoded: Uint8Array[] = [];
  // undefined: still decoding; null: ended with its trailer; else the failure.
  let outcome: Error | null | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  gunzip.on("data", (chunk: Uint8Array) => {
    decoded.push(chunk);
    notify();
  });
  gunzip.once("end", () => {
    outcome = null;
    notify();
  });
  gunzip.once("error", (error: Error) => {
    outcome = error;
    notify();
  });
  // Resolve once the consumer has taken enough of the decoded chunks.
  let taken: (() => void) | undefined;
  const takenDownTo = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (decoded.length <= count && gunzip.readableLength === 0) resolve();
        else taken = check;
      };
      check();
    });

  // Waits that end early when the consumer stops (the stream is destroyed).
  const closed = new Promise<void>((resolve) => gunzip.once("close", resolve));
  const unlessClosed = (wait: Promise<void>) => Promise.race([wait, closed]);
  let inputEnded = false;
  const pump = (async () => {
    try {
      for await (const chunk of input) {
        await unlessClosed(takenDownTo(QUEUE - 1));
        if (gunzip.destroyed) return;
        if (!gunzip.write(chunk)) await drained(gunzip);
      }
      if (gunzip.destroyed) return;
      await unlessClosed(
        new Promise<void>((resolve) => gunzip.flush(constants.Z_SYNC_FLUSH, () => resolve())),
      );
      await unlessClosed(takenDownTo(0));
      if (gunzip.destroyed) return;
      inputEnded = true;
      gunzip.end();
    } catch (error) {
      gunzip.destroy(error as Error);
    }
  })();

  try {
    while (true) {
      const chunk = decoded.shift();
      if (chunk !== undefined) {
        yield chunk;
        const check = taken;
        taken = undefined;
        check?.();
        continue;
      }
      if (outcome === null) break;
      if (outcome !== undefined) {
        // "unexpected end of file" at the end of the input: cut short.
        if (inputEnded && /unexpected end/i.test(outcome.message)) break;
        throw outcome;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
    end.complete = outcome === null;
  } finally {
    gunzip.destroy();
    await pump;
  }
}

/** Resolves when a stream can take more, or is closed. */
export function drained(stream: {
  once(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.once("drain", done);
    stream.once("close", done);
  });
}
