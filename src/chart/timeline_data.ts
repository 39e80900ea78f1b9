/**
 * A recording's snapshots → the points of a timeline: per snapshot, the
 * amount of each row of a view (a process, a user, a program...) and
 * MemAvailable. Each snapshot is reduced as it is read, so a long recording
 * is never held whole.
 *
 * @module
 */

import type { Part } from "../view/view.ts";

/** One snapshot of a timeline. */
export interface TimelinePoint {
  /** ISO 8601. */
  readonly takenAt: string;
  /** kB; null when meminfo has none (kernels before 3.14). */
  readonly memAvailableKb: number | null;
  /** The amount per group (a row's key), kB, in the snapshot's order. */
  readonly groups: ReadonlyMap<string, number>;
  /** Each group's name, where it is not its key (a process: `name [pid]`). */
  readonly names?: ReadonlyMap<string, string>;
}

/**
 * A snapshot's point: its rows' amounts, summed per key (a process keeps
 * one series across an exec: its key is its pid and start time).
 */
export function timelinePoint(
  snapshot: { readonly takenAt: string; readonly meminfo: Readonly<Record<string, number>> },
  parts: readonly Part[],
): TimelinePoint {
  const groups = new Map<string, number>();
  const names = new Map<string, string>();
  for (const part of parts) {
    groups.set(part.key, (groups.get(part.key) ?? 0) + part.kb);
    names.set(part.key, part.name);
  }
  return {
    takenAt: snapshot.takenAt,
    memAvailableKb: snapshot.meminfo.MemAvailable ?? null,
    groups,
    names,
  };
}

/** Each group's name: the last one a point gave it, or its key. */
export function groupNames(points: readonly TimelinePoint[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const point of points) {
    for (const group of point.groups.keys()) names.set(group, point.names?.get(group) ?? group);
  }
  return names;
}
