/**
 * Recordings made with memsnap's own writer from the n8 capture, one
 * snapshot a second: their gzip members apart, to damage, repeat, reorder
 * or join them as a broken disk, copy or script would.
 *
 * @module
 */

import { collectSnapshot } from "../../src/capture/collect.ts";
import { rawSource, summariseSource } from "../../src/capture/summary.ts";
import { createRecording } from "../../src/archive/recording_writer.ts";
import { archiveSource } from "../../src/source/open_archive.ts";
import { capturePath } from "./mirror.ts";

/** A recording, whole and as its gzip members. */
export interface TestRecording {
  readonly bytes: Uint8Array;
  /** Its metadata's member, then one per snapshot (0, 1, ...), then the end member. */
  readonly members: readonly Uint8Array[];
  /** Each snapshot's time (ISO). */
  readonly times: readonly string[];
}

/** The first snapshot's time; snapshot N is N seconds later. */
export const START = Date.UTC(2026, 10, 25, 19, 30, 0);

/** A recording of `count` snapshots of n8 (rollup detail), a second apart. */
export async function makeRecording(count: number): Promise<TestRecording> {
  const n8 = await archiveSource(await Deno.readFile(capturePath("n8.tar.gz")), "n8");
  const dir = await Deno.makeTempDir({ prefix: "memsnap-recording-" });
  const path = `${dir}/rec.tar.gz`;
  try {
    const writer = await createRecording(path, {
      format: "memsnap-recording",
      formatVersion: 1,
      producer: "memsnap test",
      startedAt: new Date(START).toISOString(),
      hostname: "test",
      intervalMs: 1000,
      detail: "rollup",
      command: null,
      tree: false,
    }, { force: false });
    const ends = [writer.size()];
    const times: string[] = [];
    for (let index = 0; index < count; index++) {
      const at = new Date(START + index * 1000);
      times.push(at.toISOString());
      const raw = await collectSnapshot(n8, {
        detail: "rollup",
        producer: "memsnap test",
        now: () => at,
      });
      await writer.append(raw, {
        index,
        scheduledAt: at.toISOString(),
        lateMs: 0,
        summary: await summariseSource(rawSource(raw)),
      });
      ends.push(writer.size());
    }
    await writer.close({
      endedAt: new Date(START + count * 1000).toISOString(),
      snapshots: count,
      stoppedBy: "count",
      exitStatus: null,
    });
    const bytes = await Deno.readFile(path);
    ends.push(bytes.length);
    const members = ends.map((end, i) => bytes.slice(i === 0 ? 0 : ends[i - 1], end));
    return { bytes, members, times };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Joins byte arrays: members into a recording. */
export function join(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A copy of `bytes` with `count` bytes from `at` inverted: damage a checksum cannot miss. */
export function damage(bytes: Uint8Array, at: number, count: number): Uint8Array {
  const out = bytes.slice();
  for (let i = at; i < at + count; i++) out[i] = out[i]! ^ 0xff;
  return out;
}
