/**
 * A recording's timeline (`memsnap chart REC`): the recording read once,
 * front to back, each snapshot reduced to its point (the view's rows that
 * split the whole, by their measure) as soon as it is complete.
 *
 * @module
 */

import { defaultChartName } from "../chart/file_name.ts";
import { PALETTE } from "../chart/style.ts";
import { type TimelinePoint, timelinePoint } from "../chart/timeline_data.ts";
import { timelineSpec } from "../chart/timeline_spec.ts";
import { UsageError } from "../errors/memsnap_error.ts";
import { SourceError } from "../errors/source_error.ts";
import { type ViewId, viewOf } from "../view/registry.ts";
import { chartName } from "../view/column.ts";
import { diagnosticsSink } from "./diagnostics.ts";
import { eachSnapshot } from "./each_snapshot.ts";
import type { ChartResult } from "./report_chart.ts";
import { readingFor, viewContext } from "./view_query.ts";

/** Default sizes (CSS px) and groups of a timeline. */
export const TIMELINE_SIZE = { width: 900, height: 480 } as const;
export const TIMELINE_TOP = PALETTE.length;

/** A timeline, as a front end asks for it. */
export interface TimelineQuery {
  readonly recording: string;
  /** The view whose rows are stacked. */
  readonly view: ViewId;
  /** How many rows get their own area; the rest is "other". */
  readonly top?: number;
  readonly width?: number;
  readonly height?: number;
}

/**
 * Draws a recording's timeline.
 *
 * @throws {UsageError} For more groups than colours.
 * @throws {SourceError} When a snapshot has no time, or the recording has
 *   fewer than two snapshots.
 */
export async function timeline(query: TimelineQuery): Promise<ChartResult> {
  if ((query.top ?? 0) > PALETTE.length) {
    throw new UsageError(
      `A timeline shows at most ${PALETTE.length} groups on their own (one colour each): --top ${query.top} is too many`,
    );
  }
  const { diagnostics, warn } = diagnosticsSink();
  const view = viewOf(query.view);
  const file = query.recording;
  const reading = readingFor([{ view: view.id, columns: [view.measure] }], {});
  const order = { sort: view.defaultSort, reverse: false };
  const points: TimelinePoint[] = [];
  let hostname: string | null = null;
  const result = await eachSnapshot(file, async ({ index, load }) => {
    const snapshot = await load(reading);
    const takenAt = snapshot.takenAt;
    if (takenAt === null) {
      throw new SourceError(
        `Cannot chart "${file}": snapshot ${index} has no time (not a memsnap recording?)`,
      );
    }
    hostname ??= snapshot.host.hostname;
    const context = viewContext(snapshot, order, { filters: {}, numeric: false });
    points.push(timelinePoint({ ...snapshot, takenAt }, view.parts(context, view.measure)));
  });
  if (result.warning !== null) warn(result.warning);
  if (points.length < 2) {
    throw new SourceError(
      `Cannot chart "${file}": a timeline needs a recording of 2 snapshots or more (it has ${points.length})`,
    );
  }
  const host = result.recording?.hostname ?? hostname;
  const spec = timelineSpec(points, {
    noun: view.noun,
    measure: chartName(view.columns[view.measure]!),
    top: query.top ?? TIMELINE_TOP,
    hostname: host,
    width: query.width ?? TIMELINE_SIZE.width,
    height: query.height ?? TIMELINE_SIZE.height,
  });
  const name = defaultChartName(["timeline", view.id], {
    hostname: host,
    takenAt: points[0]!.takenAt,
  });
  return { spec, name, diagnostics };
}
