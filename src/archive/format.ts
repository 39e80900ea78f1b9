/**
 * memsnap's archive formats (docs/FORMAT.md): the names of the members and
 * the metadata they carry, as types, with pure readers that check them.
 *
 * @module
 */

import { SourceError } from "../errors/source_error.ts";

/**
 * What a snapshot's per-process data is: every mapping (`smaps`, "full") or
 * the kernel's per-process sums (`smaps_rollup`, "rollup").
 */
export type Detail = "rollup" | "full";

/** The metadata member of a snapshot: first in the archive. */
export const SNAPSHOT_META = "memsnap.json";
/** The first member of a recording. */
export const RECORDING_META = "memsnap-recording.json";
/** The last member of a recording closed cleanly. */
export const RECORDING_END = "memsnap-recording-end.json";
/** Ends each snapshot of a recording: the snapshot is complete. */
export const SNAPSHOT_END = "end";
/** The format version this memsnap writes, and the highest it reads. */
export const FORMAT_VERSION = 1;

/** Where snapshot `index` (0-based) lives in a recording: `000042/`. */
export function snapshotPrefix(index: number): string {
  return `${String(index).padStart(6, "0")}/`;
}

/** What a recording's snapshot adds to a snapshot's metadata. */
export interface RecordedMeta {
  /** 0-based position in the recording. */
  readonly index: number;
  /** When the schedule wanted it (ISO UTC). */
  readonly scheduledAt: string;
  /** How late it was taken, in ms (takenAt - scheduledAt, ≥ 0). */
  readonly lateMs: number;
  /** The numbers `memsnap list` shows, computed when it was taken. */
  readonly summary: SnapshotSummary;
}

/** One line of `memsnap list`. */
export interface SnapshotSummary {
  readonly processes: number;
  /** Total PSS of the processes, kB. */
  readonly pss: number;
  /** MemAvailable, kB; null when meminfo lacks it. */
  readonly memAvailable: number | null;
}

/** `memsnap.json`: null where unknown. */
export interface SnapshotMeta {
  readonly format: "memsnap-snapshot";
  readonly formatVersion: number;
  readonly producer: string | null;
  readonly takenAt: string | null;
  readonly hostname: string | null;
  readonly kernel: string | null;
  readonly pageSize: number | null;
  readonly detail: Detail;
  readonly users: Readonly<Record<string, string>> | null;
  readonly groups: Readonly<Record<string, string>> | null;
  /** Present in a recording's snapshots only. */
  readonly recorded?: RecordedMeta;
}

/** `memsnap-recording.json`. */
export interface RecordingMeta {
  readonly format: "memsnap-recording";
  readonly formatVersion: number;
  readonly producer: string | null;
  readonly startedAt: string | null;
  readonly hostname: string | null;
  readonly intervalMs: number | null;
  readonly detail: Detail;
  /** The workload started with `-- COMMAND`, null without one. */
  readonly command: readonly string[] | null;
  /** Only the workload's process tree is kept. */
  readonly tree: boolean;
}

/** How a workload ended: an exit code, or the signal that killed it. */
export type ExitStatus =
  | { readonly code: number; readonly signal: null }
  | { readonly code: null; readonly signal: string };

/** `memsnap-recording-end.json`. */
export interface RecordingEnd {
  readonly endedAt: string;
  readonly snapshots: number;
  /** Why recording stopped. */
  readonly stoppedBy: "count" | "duration" | "command" | "signal";
  readonly exitStatus: ExitStatus | null;
}

/**
 * Reads a snapshot's `memsnap.json`.
 *
 * @throws {SourceError} When it is not JSON, not a memsnap snapshot, or of
 *   a newer format version.
 */
export function parseSnapshotMeta(text: string, member: string): SnapshotMeta {
  const value = parseObject(text, member);
  checkFormat(value, "memsnap-snapshot", member);
  if (value.detail !== "full" && value.detail !== "rollup") {
    throw new SourceError(`Cannot read "${member}": "detail" should be "full" or "rollup"`);
  }
  return {
    format: "memsnap-snapshot",
    formatVersion: value.formatVersion as number,
    producer: stringOrNull(value.producer),
    takenAt: stringOrNull(value.takenAt),
    hostname: stringOrNull(value.hostname),
    kernel: stringOrNull(value.kernel),
    pageSize: typeof value.pageSize === "number" ? value.pageSize : null,
    detail: value.detail,
    users: names(value.users),
    groups: names(value.groups),
    ...(isObject(value.recorded) && { recorded: value.recorded as unknown as RecordedMeta }),
  };
}

/**
 * Reads a recording's `memsnap-recording.json`.
 *
 * @throws {SourceError} As parseSnapshotMeta.
 */
export function parseRecordingMeta(text: string, member: string): RecordingMeta {
  const value = parseObject(text, member);
  checkFormat(value, "memsnap-recording", member);
  return {
    format: "memsnap-recording",
    formatVersion: value.formatVersion as number,
    producer: stringOrNull(value.producer),
    startedAt: stringOrNull(value.startedAt),
    hostname: stringOrNull(value.hostname),
    intervalMs: typeof value.intervalMs === "number" ? value.intervalMs : null,
    detail: value.detail === "full" ? "full" : "rollup",
    command: Array.isArray(value.command) ? value.command.map(String) : null,
    tree: value.tree === true,
  };
}

/**
 * Reads a recording's `memsnap-recording-end.json`.
 *
 * @throws {SourceError} When it is not a JSON object.
 */
export function parseRecordingEnd(text: string, member: string): RecordingEnd {
  return parseObject(text, member) as unknown as RecordingEnd;
}

function parseObject(text: string, member: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SourceError(`Cannot read "${member}": not JSON: ${reason}`);
  }
  if (!isObject(value)) throw new SourceError(`Cannot read "${member}": not a JSON object`);
  return value;
}

function checkFormat(value: Record<string, unknown>, format: string, member: string): void {
  if (value.format !== format) {
    throw new SourceError(`Cannot read "${member}": "format" should be "${format}"`);
  }
  const version = value.formatVersion;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw new SourceError(`Cannot read "${member}": "formatVersion" should be a positive integer`);
  }
  if (version > FORMAT_VERSION) {
    throw new SourceError(
      `Cannot read "${member}": format version ${version} is newer than this memsnap reads (${FORMAT_VERSION}); upgrade memsnap`,
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function names(value: unknown): Record<string, string> | null {
  if (!isObject(value)) return null;
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] =>
      typeof entry[1] === "string"
    ),
  );
}
