import { parsePid } from "../parse/pid.ts";
import {
  asText,
  type BytesResult,
  namesUnder,
  type Owner,
  type ProcSource,
} from "./proc_source.ts";

/** Files and owners for an in-memory source. */
export interface MemoryTree {
  /** File text or bytes by /proc-relative path; `null` marks a file that is denied. */
  readonly files: Readonly<Record<string, string | Uint8Array | null>>;
  readonly owners?: Readonly<Record<number, Owner>>;
  readonly users?: Readonly<Record<number, string>>;
  readonly groups?: Readonly<Record<number, string>>;
  readonly live?: boolean;
}

/** A source over data held in memory: for tests, and for data already read. */
export function memorySource(tree: MemoryTree, label = "memory"): ProcSource {
  const pids = [
    ...new Set(
      Object.keys(tree.files).flatMap((path) => {
        return parsePid(path.split("/")[0]!) ?? [];
      }),
    ),
  ].sort((a, b) => a - b);
  const encoder = new TextEncoder();
  const bytesOf = (path: string): BytesResult => {
    const file = tree.files[path];
    if (file === undefined) return { status: "missing" };
    if (file === null) return { status: "denied" };
    return { status: "ok", bytes: typeof file === "string" ? encoder.encode(file) : file };
  };
  return {
    label,
    live: tree.live ?? false,
    pids: () => Promise.resolve(pids),
    read: (path) => Promise.resolve(asText(bytesOf(path))),
    readBytes: (path) => Promise.resolve(bytesOf(path)),
    mayRead: (path) => Promise.resolve(bytesOf(path).status),
    list: (path) => Promise.resolve(namesUnder(Object.keys(tree.files), path)),
    owner: (pid) =>
      Promise.resolve(
        pids.includes(pid) ? tree.owners?.[pid] ?? { uid: 0, gid: 0 } : undefined,
      ),
    userNames: (uids) => Promise.resolve(namesOf(tree.users, uids)),
    groupNames: (gids) => Promise.resolve(namesOf(tree.groups, gids)),
  };
}

function namesOf(
  names: Readonly<Record<number, string>> | undefined,
  ids: ReadonlySet<number>,
): Map<number, string> {
  return new Map([...ids].flatMap((id) => {
    const name = names?.[id];
    return name === undefined ? [] : [[id, name] as const];
  }));
}
