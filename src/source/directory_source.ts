import { readFileSync } from "node:fs";
import { open, readdir, readFile, realpath, stat } from "node:fs/promises";
import { parseIdNames } from "../parse/passwd.ts";
import { parsePid } from "../parse/pid.ts";
import { FILE_LIMIT, readTreeFile } from "./regular_file.ts";
import {
  asText,
  type BytesResult,
  type ListResult,
  type Owner,
  type ProcSource,
} from "./proc_source.ts";
import {
  describeFsError,
  errorCode,
  expectedFsFailure,
  MISSING_CODES,
  SourceError,
} from "../errors/source_error.ts";

/** How to read a directory of /proc files. */
export interface DirectorySourceOptions {
  /** The directory is a kernel procfs (live), not a stored copy. */
  readonly live: boolean;
  /** For messages. */
  readonly label: string;
  /**
   * Where user names come from. smem resolves the uids of a mirror with the
   * local user database too.
   */
  readonly passwdFile?: string;
  /** Where group names come from (the archives memsnap writes store them). */
  readonly groupFile?: string;
  /** The cgroup filesystem of the same system (ProcSource.cgroupRoot). */
  readonly cgroupRoot?: string;
  /**
   * A stored copy's largest file, in bytes (FILE_LIMIT by default). A live
   * procfs has no cap: its files are the kernel's.
   */
  readonly maxFileBytes?: number;
}

/**
 * A source that reads a /proc tree from disk: the live /proc, or a mirror
 * (smem's `-S DIR` reads DIR/proc).
 *
 * @param procDir The directory holding `meminfo` and the PID directories.
 */
export function directorySource(
  procDir: string,
  options: DirectorySourceOptions,
): ProcSource {
  const passwdFile = options.passwdFile ?? "/etc/passwd";
  const groupFile = options.groupFile ?? "/etc/group";
  // Paths come from memsnap (`1234/smaps`), never from input: joined by hand,
  // node:path's join cost 5 µs a call under bun (measured while recording).
  const prefix = procDir.endsWith("/") ? procDir : `${procDir}/`;
  const under = (path: string) => prefix + path;
  // A copy is untrusted: regular files only, inside it, of bounded size.
  let root: Promise<string> | undefined;
  const readStored = async (path: string): Promise<BytesResult> =>
    readTreeFile(under(path), {
      // Unresolvable (gone): each read then says missing.
      root: await (root ??= realpath(procDir).catch(() => procDir)),
      maxBytes: options.maxFileBytes ?? FILE_LIMIT,
      what: `Cannot read "${path}" in ${options.label}`,
    });
  const readBytes = async (path: string): Promise<BytesResult> => {
    if (!options.live) return await readStored(path);
    try {
      const name = path.slice(path.lastIndexOf("/") + 1);
      if (SMALL.has(name)) return { status: "ok", bytes: readFileSync(under(path)) };
      return { status: "ok", bytes: await readFile(under(path)) };
    } catch (error) {
      return expectedFsFailure(error, `Cannot read "${path}" in ${options.label}`);
    }
  };
  return {
    label: options.label,
    live: options.live,
    ...(options.cgroupRoot !== undefined && { cgroupRoot: options.cgroupRoot }),
    async pids() {
      let entries: string[];
      try {
        entries = await readdir(procDir);
      } catch (error) {
        throw new SourceError(
          `Cannot list ${options.label}: ${describeFsError(error)}`,
        );
      }
      // Only the kernel's own names: a copy's `018844` beside `18844` is no second process.
      return entries.flatMap((name) => parsePid(name) ?? []).sort((a, b) => a - b);
    },
    read: async (path) => asText(await readBytes(path)),
    readBytes,
    async mayRead(path) {
      // A procfs file is opened (the kernel checks the right then), not read;
      // a stored copy's is only looked at.
      try {
        if (options.live) await (await open(under(path), "r")).close();
        else await stat(under(path));
        return "ok";
      } catch (error) {
        return expectedFsFailure(error, `Cannot open "${path}" in ${options.label}`).status;
      }
    },
    async list(path): Promise<ListResult> {
      try {
        return { status: "ok", names: (await readdir(under(path))).sort() };
      } catch (error) {
        return expectedFsFailure(error, `Cannot list "${path}" in ${options.label}`);
      }
    },
    async owner(pid): Promise<Owner | undefined> {
      try {
        const info = await stat(under(String(pid)));
        return { uid: info.uid, gid: info.gid };
      } catch (error) {
        if (MISSING_CODES.has(errorCode(error) ?? "")) return undefined;
        throw new SourceError(
          `Cannot read the owner of ${pid} in ${options.label}: ${describeFsError(error)}`,
        );
      }
    },
    userNames: (uids) => namesFrom(passwdFile, uids),
    groupNames: (gids) => namesFrom(groupFile, gids),
  };
}

/**
 * procfs files the kernel writes from counters, a line or a few, without
 * taking the process's mmap lock: read synchronously (open, read, close), as
 * the asynchronous read's hand-off to a thread and back cost more than the
 * read (measured in top's refresh). cmdline is not among them: reading it
 * reads the process's memory, which waits on that lock (a process stuck in
 * a fault would hold the event loop); nor are smaps and smaps_rollup.
 */
const SMALL: ReadonlySet<string> = new Set(["stat", "status", "statm", "oom_score"]);

/** Names of the given ids from a passwd or group file; none where it cannot be read. */
async function namesFrom(file: string, ids: ReadonlySet<number>): Promise<Map<number, string>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return new Map(); // No user database: numeric ids, as smem shows them.
  }
  const all = parseIdNames(text);
  return new Map([...ids].flatMap((id) => {
    const name = all.get(id);
    return name === undefined ? [] : [[id, name] as const];
  }));
}
