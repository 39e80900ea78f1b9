/**
 * serve's /api/v1/stream: snapshots on a schedule, written as a recording
 * (docs/FORMAT.md) as they are taken: its head member, one gzip member per
 * snapshot, and its end member once `count` snapshots are sent. A client
 * saving the body has a recording, readable at any point it stops (a
 * recording cut after a member keeps every snapshot before).
 *
 * @module
 */

import { hostname } from "node:os";
import type { Detail } from "../archive/format.ts";
import { PROVENANCE_VERSION } from "../archive/format.ts";
import { recordedSnapshot, recordingHead, recordingTail } from "../archive/recording_writer.ts";
import { collectSnapshot, type MemoryFiles } from "../capture/collect.ts";
import { rawSource, summariseSource } from "../capture/summary.ts";
import type { WalkCache } from "../snapshot/costed_pass.ts";
import type { CostLimits } from "../snapshot/walk_plan.ts";
import { openSource } from "../source/open_source.ts";
import { ticks } from "./sampler.ts";
import { VERSION } from "./version.ts";

/** A stream, as a request asks for it. */
export interface StreamQuery {
  readonly source?: string;
  readonly maxFileBytes?: number;
  readonly cost?: CostLimits;
  readonly detail: Detail;
  readonly intervalMs: number;
  /** Snapshots to send, then the end member; undefined: until the client goes. */
  readonly count?: number;
}

/**
 * Writes the recording's members to `write` as snapshots are taken; ends
 * when `count` are sent, or when a write fails (the client has gone).
 *
 * @throws {SourceError} When the source cannot be opened.
 */
export async function streamRecording(
  query: StreamQuery,
  write: (chunk: Uint8Array) => Promise<void>,
): Promise<void> {
  const source = await openSource(query.source, {
    ...(query.maxFileBytes !== undefined && { maxFileBytes: query.maxFileBytes }),
  });
  const startedAt = new Date().toISOString();
  await write(
    await recordingHead({
      format: "memsnap-recording",
      formatVersion: source.live ? PROVENANCE_VERSION : 1,
      producer: `memsnap ${VERSION}`,
      startedAt,
      hostname: source.live ? hostname() : source.recorded?.hostname ?? null,
      intervalMs: query.intervalMs,
      detail: query.detail,
      command: null,
      tree: false,
    }),
  );
  const walks: WalkCache<MemoryFiles> = { kept: new Map() };
  const stop = new AbortController();
  let taken = 0;
  for await (
    const tick of ticks(
      { intervalMs: query.intervalMs, ...(query.count !== undefined && { count: query.count }) },
      { signal: stop.signal },
    )
  ) {
    const raw = await collectSnapshot(source, {
      detail: query.detail,
      producer: `memsnap ${VERSION}`,
      now: () => new Date(tick.startedAt),
      ...(query.cost !== undefined && { cost: { limits: query.cost, cache: walks } }),
    });
    await write(
      await recordedSnapshot(raw, {
        index: taken,
        scheduledAt: new Date(tick.scheduledAt).toISOString(),
        lateMs: tick.lateMs,
        summary: await summariseSource(rawSource(raw)),
      }),
    );
    taken++;
  }
  await write(
    await recordingTail({
      endedAt: new Date().toISOString(),
      snapshots: taken,
      stoppedBy: "count",
      exitStatus: null,
    }),
  );
}
