/**
 * Where /proc text comes from. Everything downstream of a source works the
 * same on live /proc, a directory mirror, an archive or test data.
 *
 * @module
 */

import type { Provenance, StoredSkips } from "../archive/format.ts";

export type { Detail } from "../archive/format.ts";

/** The outcome of reading one /proc file. */
export type ReadResult =
  | { readonly status: "ok"; readonly text: string }
  /** Not there: the process exited, or the source never had the file. */
  | { readonly status: "missing" }
  /** There, but not readable by this user. */
  | { readonly status: "denied" };

/** Whether a file can be read: there and readable, not there, or not for this user. */
export type ReadStatus = "ok" | "missing" | "denied";

/** The outcome of reading one /proc file as the bytes it holds. */
export type BytesResult =
  | { readonly status: "ok"; readonly bytes: Uint8Array }
  | { readonly status: "missing" }
  | { readonly status: "denied" };

const decoder = new TextDecoder();

/**
 * A read's bytes as text (UTF-8; bytes that are not become U+FFFD): how
 * every source's `read` derives from its `readBytes`.
 */
export function asText(result: BytesResult): ReadResult {
  return result.status === "ok" ? { status: "ok", text: decoder.decode(result.bytes) } : result;
}

/** The outcome of listing one /proc directory. */
export type ListResult =
  | { readonly status: "ok"; readonly names: readonly string[] }
  | { readonly status: "missing" }
  | { readonly status: "denied" };

/**
 * The names directly under `dir` among stored paths (`1/fdinfo/3` is `3`
 * under `1/fdinfo`), sorted: for sources that hold files by path.
 */
export function namesUnder(paths: Iterable<string>, dir: string): ListResult {
  const prefix = `${dir}/`;
  const names = new Set<string>();
  for (const path of paths) {
    if (path.startsWith(prefix)) names.add(path.slice(prefix.length).split("/")[0]!);
  }
  names.delete("");
  return names.size === 0 ? { status: "missing" } : { status: "ok", names: [...names].sort() };
}

/** The owner of a process's /proc directory, as smem takes it. */
export interface Owner {
  readonly uid: number;
  readonly gid: number;
  /** The user name, when the source records it (archives do). */
  readonly user?: string;
}

/** What an archive recorded about its snapshot (memsnap.json); null: unknown. */
export interface RecordedHost {
  readonly takenAt: string | null;
  readonly hostname: string | null;
  readonly kernel: string | null;
  readonly pageSize: number | null;
  /** The processes its writer left out, where it says. */
  readonly skipped?: StoredSkips;
  /** The processes its writer did not walk, by pid: carried or rss-only (format version 2). */
  readonly provenance?: Readonly<Record<string, Provenance>>;
}

/** A source of /proc files. */
export interface ProcSource {
  /** Names the source in messages: `live /proc`, `"capture.tar.gz"`. */
  readonly label: string;
  /**
   * True for a kernel's procfs, which computes each file on reading: there
   * memsnap prefers the cheap smaps_rollup; stored copies are read whole.
   */
  readonly live: boolean;
  /**
   * True for an archive's snapshot, held in memory: every read gives the
   * same bytes, so what is made of it can be kept (a mirror directory's
   * files may still change).
   */
  readonly fixed?: boolean;
  /**
   * The cgroup filesystem of the same system, where the source has one:
   * /sys/fs/cgroup live, DIR/sys/fs/cgroup beside a mirror's DIR/proc.
   */
  readonly cgroupRoot?: string;
  /** Time and host, when the source recorded them (memsnap's archives). */
  readonly recorded?: RecordedHost;
  /**
   * The snapshot before this one in the same recording, when the source was
   * opened to compare with it (CPU % between snapshots).
   */
  readonly previous?: ProcSource;
  /** The process ids in the source, ascending. */
  pids(): Promise<number[]>;
  /** Reads a file by its path under /proc: `meminfo`, `1234/smaps`. */
  read(path: string): Promise<ReadResult>;
  /**
   * Reads a file's bytes unchanged: archives store these, so that a command
   * line or a mapping name that is not UTF-8 keeps its bytes.
   */
  readBytes(path: string): Promise<BytesResult>;
  /**
   * Whether this user may read a file, without reading it: a process's
   * smaps_rollup is opened (the kernel checks the right there) but not
   * walked.
   */
  mayRead(path: string): Promise<ReadStatus>;
  /** Lists a directory by its path under /proc: `1234/fdinfo`. */
  list(path: string): Promise<ListResult>;
  /** The owner of /proc/PID; undefined when the process is gone. */
  owner(pid: number): Promise<Owner | undefined>;
  /** User names by uid for the given uids (where the source can tell). */
  userNames(uids: ReadonlySet<number>): Promise<Map<number, string>>;
  /** Group names by gid for the given gids (where the source can tell). */
  groupNames(gids: ReadonlySet<number>): Promise<Map<number, string>>;
}
