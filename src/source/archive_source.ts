import type { SnapshotMeta } from "../archive/format.ts";
import type { Member } from "../archive/read_tar.ts";
import { parsePid } from "../parse/pid.ts";
import {
  asText,
  type BytesResult,
  namesUnder,
  type Owner,
  type ProcSource,
} from "./proc_source.ts";

/**
 * A source over the members of one snapshot of an archive, in smem's
 * (smemcap's) layout: top-level `meminfo`, `version` and `PID/smaps` (or
 * `PID/smaps_rollup`), `PID/cmdline`, `PID/stat`, each `PID/` directory
 * owned by the process's user; with memsnap's `memsnap.json` when memsnap
 * wrote it.
 *
 * @param members The snapshot's members by normalised name (`123/smaps`).
 * @param options.label Names the archive in messages.
 * @param options.meta The snapshot's metadata, when it has some.
 * @param options.previous The snapshot before it in a recording, when kept.
 */
export function membersSource(
  members: ReadonlyMap<string, Member>,
  options: {
    readonly label: string;
    readonly meta: SnapshotMeta | null;
    /** The snapshot before it in a recording, when kept. */
    readonly previous?: ProcSource;
  },
): ProcSource {
  const { meta } = options;
  // A process is one with a memory file, or one its writer says it did not walk (rss-only).
  const pids = [
    ...new Set([
      ...[...members.keys()].flatMap((name) => {
        const match = /^([^/]+)\/smaps(?:_rollup)?$/.exec(name);
        return parsePid(match?.[1] ?? "") ?? [];
      }),
      ...Object.keys(meta?.provenance ?? {}).flatMap((pid) =>
        members.has(`${pid}/status`) ? [Number(pid)] : []
      ),
    ]),
  ].sort((a, b) => a - b);

  const ownerOf = (pid: number): Member | undefined =>
    members.get(`${pid}`) ?? members.get(`${pid}/smaps`) ??
      members.get(`${pid}/smaps_rollup`);
  const bytesOf = (path: string): BytesResult => {
    const member = members.get(path);
    return member?.type === "file" ? { status: "ok", bytes: member.data } : { status: "missing" };
  };
  const userOf = (member: Member): string =>
    member.user !== "" ? member.user : meta?.users?.[member.uid] ?? "";

  return {
    label: options.label,
    live: false,
    fixed: true,
    ...(options.previous !== undefined && { previous: options.previous }),
    ...(meta !== null && {
      recorded: {
        takenAt: meta.takenAt,
        hostname: meta.hostname,
        kernel: meta.kernel,
        pageSize: meta.pageSize,
        ...(meta.skipped !== undefined && { skipped: meta.skipped }),
        ...(meta.provenance !== undefined && { provenance: meta.provenance }),
      },
    }),
    pids: () => Promise.resolve(pids),
    read: (path) => Promise.resolve(asText(bytesOf(path))),
    readBytes: (path) => Promise.resolve(bytesOf(path)),
    mayRead: (path) => Promise.resolve(bytesOf(path).status),
    list: (path) => Promise.resolve(namesUnder(members.keys(), path)),
    owner(pid): Promise<Owner | undefined> {
      const member = ownerOf(pid);
      if (member === undefined) return Promise.resolve(undefined);
      const { uid, gid } = member;
      const user = userOf(member);
      return Promise.resolve(user === "" ? { uid, gid } : { uid, gid, user });
    },
    userNames(uids) {
      const names = new Map<number, string>();
      for (const pid of pids) {
        const member = ownerOf(pid);
        if (member && userOf(member) !== "" && uids.has(member.uid)) {
          names.set(member.uid, userOf(member));
        }
      }
      return Promise.resolve(names);
    },
    groupNames(gids) {
      const names = new Map<number, string>();
      for (const pid of pids) {
        const member = ownerOf(pid);
        const name = member?.group || meta?.groups?.[member?.gid ?? -1];
        if (member && name && gids.has(member.gid)) names.set(member.gid, name);
      }
      return Promise.resolve(names);
    },
  };
}
