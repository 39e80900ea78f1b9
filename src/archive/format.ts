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
/**
 * The highest format version this memsnap reads. It writes the lowest that
 * reads its file right: 1, or 2 when some process was not walked
 * (`provenance`), which a version 1 reader would take for exact or gone, or
 * 3 for a capture that holds its pages (`capture --pages`).
 */
export const FORMAT_VERSION = 3;

/** The version that adds `provenance`. */
export const PROVENANCE_VERSION = 2;

/** The version that adds the pages member (`pages` in memsnap.json). */
export const PAGES_VERSION = 3;

/** `pages` in memsnap.json: the member that holds the processes' pages, and how they were read. */
export interface PagesMeta {
  readonly member: string;
  readonly mode: "frames" | "lower-bound";
}

/** Why a process's PSS and USS are unknown: only its status was read. */
export type RssOnlyReason =
  /** Its memory maps are another user's (memsnap runs without root). */
  | "unreadable"
  /** Its RSS is above --max-rss: walking it would stall it. */
  | "over-ceiling"
  /** The pass's --budget was spent before its turn. */
  | "over-budget";

/** How a process's memory numbers were obtained. */
export type Provenance =
  /** Walked in this sample. */
  | { readonly kind: "exact" }
  /** Walked in an earlier sample, its status unchanged since: the numbers then, `ageMs` old. */
  | { readonly kind: "carried"; readonly ageMs: number }
  | { readonly kind: "rss-only"; readonly reason: RssOnlyReason };

const RSS_ONLY_REASONS: readonly string[] = ["unreadable", "over-ceiling", "over-budget"];

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
  /**
   * Slots before this one that have no snapshot (a recording pulled from
   * a device whose connection failed): how many, and why. Absent: none.
   */
  readonly gap?: RecordedGap;
}

/** Scheduled snapshots that were not taken, and why (docs/FORMAT.md). */
export interface RecordedGap {
  readonly missed: number;
  readonly reason: string;
}

/** A process whose memory could not be read: what its world-readable files tell of it. */
export interface UnreadableProcess {
  readonly pid: number;
  /** -1 when unknown. */
  readonly uid: number;
  /** From stat; `?` when it could not be read either. */
  readonly name: string;
  readonly cmdline: readonly string[] | null;
}

/** The processes a snapshot's writer left out, by reason. */
export interface StoredSkips {
  /** Their memory could not be read (another user's, without root). */
  readonly unreadable: number;
  /** Which they were, where the writer says: filters then count those they would show. */
  readonly unreadableProcesses?: readonly UnreadableProcess[];
  /** They exited while read (a recording's snapshot; a capture says 0). */
  readonly vanished: number;
  /** Kernel threads: no user memory, left out as smem leaves them out. */
  readonly kernelThreads: number;
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
  /**
   * The processes its writer left out, where it says (memsnap 0.1.0 and
   * later; the capture script does not): read by reports beside those it holds.
   */
  readonly skipped?: StoredSkips;
  /**
   * The processes not walked in this snapshot, by pid (version 2): carried
   * (their memory file is an earlier walk's) or rss-only (no memory file:
   * RSS and swap from status). Absent: every process stored was walked.
   */
  readonly provenance?: Readonly<Record<string, Provenance>>;
  /** Version 3: the processes' pages are stored (capture --pages). */
  readonly pages?: PagesMeta;
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
  /** Pulled from a device: the URL its snapshots came from (`record --from`). */
  readonly from?: string;
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
  /** Pulled from a device: scheduled snapshots not taken, gaps' total (with any at the end). */
  readonly missed?: number;
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
    ...(isObject(value.skipped) && { skipped: storedSkips(value.skipped) }),
    ...(isObject(value.provenance) && { provenance: storedProvenance(value.provenance, member) }),
    ...(isObject(value.pages) && { pages: pagesMeta(value.pages, member) }),
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
    ...(typeof value.from === "string" && { from: value.from }),
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

function pagesMeta(value: Record<string, unknown>, member: string): PagesMeta {
  if (
    typeof value.member !== "string" || (value.mode !== "frames" && value.mode !== "lower-bound")
  ) {
    throw new SourceError(
      `Cannot read "${member}": "pages" should name its "member" and its "mode" ("frames" or "lower-bound")`,
    );
  }
  return { member: value.member, mode: value.mode };
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

/** A `skipped` member's counts; what is not a whole number reads as 0. */
function storedSkips(value: Record<string, unknown>): StoredSkips {
  const count = (key: string) => {
    const n = value[key];
    return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 ? n : 0;
  };
  const listed = Array.isArray(value.unreadableProcesses)
    ? value.unreadableProcesses.flatMap((item) => unreadableProcess(item) ?? [])
    : undefined;
  return {
    unreadable: count("unreadable"),
    ...(listed !== undefined && { unreadableProcesses: listed }),
    vanished: count("vanished"),
    kernelThreads: count("kernelThreads"),
  };
}

/**
 * The provenance of the processes not walked, by pid.
 *
 * @throws {SourceError} For an entry that is none: reading it as exact would lie.
 */
function storedProvenance(
  value: Record<string, unknown>,
  member: string,
): Record<string, Provenance> {
  const refuse = (pid: string): never => {
    throw new SourceError(
      `Cannot read "${member}": "provenance" of ${pid} should be {"kind": "carried", "ageMs": N} or {"kind": "rss-only", "reason": ...}`,
    );
  };
  const stored: Record<string, Provenance> = {};
  for (const [pid, entry] of Object.entries(value)) {
    if (!/^\d+$/.test(pid) || !isObject(entry)) refuse(pid);
    const { kind, ageMs, reason } = entry as Record<string, unknown>;
    if (kind === "carried" && typeof ageMs === "number" && Number.isFinite(ageMs) && ageMs >= 0) {
      stored[pid] = { kind, ageMs };
    } else if (
      kind === "rss-only" && typeof reason === "string" && RSS_ONLY_REASONS.includes(reason)
    ) {
      stored[pid] = { kind, reason: reason as RssOnlyReason };
    } else refuse(pid);
  }
  return stored;
}

/** One listed unreadable process; undefined for what is not one. */
function unreadableProcess(value: unknown): UnreadableProcess | undefined {
  if (!isObject(value)) return undefined;
  const { pid, uid, name, cmdline } = value;
  if (typeof pid !== "number" || !Number.isSafeInteger(pid) || pid < 0) return undefined;
  return {
    pid,
    uid: typeof uid === "number" && Number.isSafeInteger(uid) ? uid : -1,
    name: typeof name === "string" ? name : "?",
    cmdline: Array.isArray(cmdline) ? cmdline.map(String) : null,
  };
}
