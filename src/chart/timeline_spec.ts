/**
 * A recording as a Vega-Lite timeline: a view's measure (PSS) over time,
 * stacked by its top rows (processes, users, programs...) with the rest
 * grouped as "other", and MemAvailable as a line on its own axis.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import {
  type ChartOrigin,
  frame,
  originLine,
  OTHER_COLOUR,
  PALETTE,
  shortLabel,
  uniqueLabels,
  unitFor,
} from "./style.ts";
import { plural } from "../units/plural.ts";
import { groupNames, type TimelinePoint } from "./timeline_data.ts";

/** One layer of a layered spec. */
type Layer = Extract<TopLevelSpec, { layer: unknown }>["layer"][number];

/** What a timeline needs beside its points. */
export interface TimelineOptions {
  /** What a group is: "process", "user", "program". */
  readonly noun: string;
  /** What the areas measure, as a column's header: "PSS". */
  readonly measure: string;
  /** How many groups get their own area; the rest is "other". */
  readonly top: number;
  readonly hostname: string | null;
  readonly width: number;
  readonly height: number;
}

/**
 * The groups drawn on their own: the `top` largest at their peak, largest
 * first (ties by key).
 */
export function topGroups(points: readonly TimelinePoint[], top: number): string[] {
  const peaks = new Map<string, number>();
  for (const point of points) {
    for (const [group, kb] of point.groups) {
      peaks.set(group, Math.max(peaks.get(group) ?? 0, kb));
    }
  }
  return [...peaks]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, top)
    .map(([group]) => group);
}

/** Seconds, minutes or hours, whichever reads best over the span. */
function timeUnit(spanSeconds: number): { readonly name: string; readonly seconds: number } {
  if (spanSeconds >= 2 * 3600) return { name: "h", seconds: 3600 };
  if (spanSeconds >= 2 * 60) return { name: "min", seconds: 60 };
  return { name: "s", seconds: 1 };
}

/**
 * The timeline of a recording's points (two or more, in time order).
 */
export function timelineSpec(
  points: readonly TimelinePoint[],
  options: TimelineOptions,
): TopLevelSpec {
  const start = Date.parse(points[0]!.takenAt);
  const seconds = points.map((point) => (Date.parse(point.takenAt) - start) / 1000);
  const time = timeUnit(seconds[seconds.length - 1] ?? 0);
  const top = topGroups(points, options.top);
  const named = new Set(top);
  const names = groupNames(points);
  const labels = uniqueLabels(top.map((group) => shortLabel(names.get(group) ?? group)));
  const hasOther = points.some((point) => [...point.groups.keys()].some((g) => !named.has(g)));
  const domain = [...labels, ...(hasOther ? ["other"] : [])];
  const totals = points.map((point) => [...point.groups.values()].reduce((a, b) => a + b, 0));
  const unit = unitFor(Math.max(0, ...totals));

  const stacked = points.flatMap((point, index) => {
    const other = [...point.groups].reduce((sum, [g, kb]) => sum + (named.has(g) ? 0 : kb), 0);
    const kbs = [...top.map((group) => point.groups.get(group) ?? 0), ...(hasOther ? [other] : [])];
    return kbs.map((kb, rank) => ({
      t: seconds[index]! / time.seconds,
      takenAt: point.takenAt,
      group: domain[rank]!,
      rank,
      kb,
      value: kb / unit.kb,
    }));
  });
  const available = points.flatMap((point, index) =>
    point.memAvailableKb === null ? [] : [{
      t: seconds[index]! / time.seconds,
      takenAt: point.takenAt,
      kb: point.memAvailableKb,
    }]
  );
  const availableUnit = unitFor(Math.max(0, ...available.map((a) => a.kb)));
  const x = {
    field: "t",
    type: "quantitative",
    title: `Time since start (${time.name})`,
    scale: { nice: false },
  } as const;
  const { noun, measure } = options;
  const origin: ChartOrigin = { hostname: options.hostname, takenAt: points[0]!.takenAt };

  const areas: Layer = {
    data: { values: stacked },
    mark: { type: "area", line: false, opacity: 0.9 },
    encoding: {
      x,
      y: {
        field: "value",
        type: "quantitative",
        stack: "zero",
        title: `${measure} (${unit.name})`,
      },
      order: { field: "rank", type: "quantitative" },
      color: {
        field: "group",
        type: "nominal",
        title: noun.charAt(0).toUpperCase() + noun.slice(1),
        scale: {
          domain,
          range: domain.map((_, index) =>
            hasOther && index === domain.length - 1
              ? OTHER_COLOUR
              : PALETTE[index % PALETTE.length]!
          ),
        },
        legend: { orient: "right", symbolType: "square" },
      },
      tooltip: [
        { field: "group", type: "nominal", title: noun },
        { field: "takenAt", type: "nominal", title: "time" },
        { field: "kb", type: "quantitative", title: `${measure}, kB` },
      ],
    },
  };
  const line: Layer = {
    data: { values: available.map((a) => ({ ...a, value: a.kb / availableUnit.kb })) },
    mark: { type: "line", color: "#000000", strokeDash: [6, 3], strokeWidth: 1.5 },
    encoding: {
      x,
      y: {
        field: "value",
        type: "quantitative",
        title: `MemAvailable (${availableUnit.name})`,
        axis: { orient: "right", grid: false },
      },
      tooltip: [
        { field: "takenAt", type: "nominal", title: "time" },
        { field: "kb", type: "quantitative", title: "MemAvailable, kB" },
      ],
    },
  };

  return {
    ...frame(options),
    title: {
      text: `${measure} by ${noun} over time`,
      subtitle: originLine(
        origin,
        `${points.length} snapshots`,
        `top ${top.length} ${plural(noun, top.length)} by peak ${measure}`,
        ...(available.length > 0 ? ["dashed line: MemAvailable (right axis)"] : []),
      ),
    },
    // Without MemAvailable (kernels before 3.14), no line and no right axis.
    layer: available.length === 0 ? [areas] : [areas, line],
    resolve: { scale: { y: "independent" } },
  };
}
