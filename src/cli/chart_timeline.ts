/**
 * `memsnap chart REC`: a recording's timeline, read once, front to back,
 * each snapshot reduced to its point as soon as it is complete.
 *
 * @module
 */

import { scanArchiveFile } from "../archive/scan_file.ts";
import { type TimelinePoint, timelinePoint } from "../chart/timeline_data.ts";
import { timelineSpec } from "../chart/timeline_spec.ts";
import { loadSnapshot } from "../snapshot/load_snapshot.ts";
import { membersSource } from "../source/archive_source.ts";
import { SourceError } from "../errors/source_error.ts";
import type { TimelineRequest } from "./chart_args.ts";
import { defaultChartName, writeChart } from "./chart_file.ts";
import { PALETTE } from "../chart/style.ts";
import { EXIT, UsageError } from "./errors.ts";
import type { Io } from "./io.ts";

/** Default sizes (CSS px) and groups of a timeline. */
export const TIMELINE_SIZE = { width: 900, height: 480 } as const;
export const TIMELINE_TOP = 8;

/** Draws a recording's timeline; returns the exit code. */
export async function runTimelineChart(request: TimelineRequest, io: Io): Promise<number> {
  if ((request.top ?? 0) > PALETTE.length) {
    throw new UsageError(
      `A timeline shows at most ${PALETTE.length} groups on their own (one colour each): --top ${request.top} is too many`,
    );
  }
  const label = `"${request.file}"`;
  const points: TimelinePoint[] = [];
  let hostname: string | null = null;
  const result = await scanArchiveFile(request.file, {
    wants: () => true,
    async complete({ index, meta, members }) {
      const snapshot = await loadSnapshot(
        membersSource(members ?? new Map(), { label, meta }),
        { processes: true, mappings: false, rollupCounters: false },
      );
      const takenAt = snapshot.takenAt;
      if (takenAt === null) {
        throw new SourceError(
          `Cannot chart ${label}: snapshot ${index} has no time (not a memsnap recording?)`,
        );
      }
      hostname ??= snapshot.host.hostname;
      points.push(timelinePoint({ ...snapshot, takenAt }, request.by));
      return true;
    },
  });
  if (result.warning !== null) io.err(`memsnap: ${result.warning}\n`);
  if (points.length < 2) {
    throw new SourceError(
      `Cannot chart ${label}: a timeline needs a recording of 2 snapshots or more (it has ${points.length})`,
    );
  }
  const spec = timelineSpec(points, {
    by: request.by,
    top: request.top ?? TIMELINE_TOP,
    hostname: result.recording?.hostname ?? hostname,
    width: request.width ?? TIMELINE_SIZE.width,
    height: request.height ?? TIMELINE_SIZE.height,
  });
  const chosen = defaultChartName(["timeline", request.by], {
    hostname: result.recording?.hostname ?? hostname,
    takenAt: points[0]!.takenAt,
  });
  await writeChart(spec, { file: request, chosen, io });
  return EXIT.ok;
}
