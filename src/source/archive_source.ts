import { Buffer } from "node:buffer";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { extract } from "tar-stream";
import { namesUnder, type Owner, type ProcSource, type ReadResult } from "./proc_source.ts";
import { SourceError } from "./source_error.ts";

interface Member {
  readonly type: "file" | "directory" | "other";
  readonly data: Uint8Array;
  readonly uid: number;
  readonly gid: number;
  readonly user: string;
}

const gunzipAsync = promisify(gunzip);

/**
 * A source that reads a tar or tar.gz archive in smem's (smemcap's) layout:
 * top-level `meminfo`, `version` and `PID/smaps`, `PID/cmdline`,
 * `PID/stat`, each `PID/` directory owned by the process's user.
 *
 * @param bytes The whole archive, compressed or not.
 * @param label Names the archive in messages.
 * @throws {SourceError} When the archive is truncated or not a tar archive.
 */
export async function archiveSource(
  bytes: Uint8Array,
  label: string,
): Promise<ProcSource> {
  const members = await readMembers(await decompress(bytes, label), label);
  const decoder = new TextDecoder();
  const pids = [
    ...new Set(
      [...members.keys()].flatMap((name) => {
        const match = /^(\d+)\/smaps(?:_rollup)?$/.exec(name);
        return match === null ? [] : [Number(match[1])];
      }),
    ),
  ].sort((a, b) => a - b);

  const ownerOf = (pid: number): Member | undefined =>
    members.get(`${pid}`) ?? members.get(`${pid}/smaps`) ??
      members.get(`${pid}/smaps_rollup`);

  return {
    label,
    live: false,
    pids: () => Promise.resolve(pids),
    read(path): Promise<ReadResult> {
      const member = members.get(path);
      return Promise.resolve(
        member?.type === "file"
          ? { status: "ok", text: decoder.decode(member.data) }
          : { status: "missing" },
      );
    },
    list: (path) => Promise.resolve(namesUnder(members.keys(), path)),
    owner(pid): Promise<Owner | undefined> {
      const member = ownerOf(pid);
      if (member === undefined) return Promise.resolve(undefined);
      const { uid, gid, user } = member;
      return Promise.resolve(user === "" ? { uid, gid } : { uid, gid, user });
    },
    userNames(uids) {
      const names = new Map<number, string>();
      for (const pid of pids) {
        const member = ownerOf(pid);
        if (member && member.user !== "" && uids.has(member.uid)) {
          names.set(member.uid, member.user);
        }
      }
      return Promise.resolve(names);
    },
  };
}

async function decompress(bytes: Uint8Array, label: string): Promise<Uint8Array> {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return await gunzipAsync(bytes);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SourceError(
        `Cannot read ${label}: ${
          /unexpected end/i.test(reason)
            ? "the archive is truncated (its gzip stream ends early)"
            : `its gzip stream is damaged: ${reason}`
        }`,
      );
    }
  }
  const magic = new TextDecoder().decode(bytes.subarray(0, 6));
  if (magic.startsWith("BZh") || magic === "\xfd7zXZ\0") {
    throw new SourceError(
      `Cannot read ${label}: compressed with ${
        magic.startsWith("BZh") ? "bzip2" : "xz"
      }; decompress it first, or use tar or tar.gz`,
    );
  }
  return bytes;
}

/** Reads every member into memory, keyed by its normalised path. */
async function readMembers(
  tar: Uint8Array,
  label: string,
): Promise<Map<string, Member>> {
  const members = new Map<string, Member>();
  const reader = extract();
  reader.end(Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength));
  try {
    for await (const entry of reader) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of entry) chunks.push(chunk as Uint8Array);
      const { header } = entry;
      const type = header.type === "file" || header.type === "contiguous-file"
        ? "file"
        : header.type === "directory"
        ? "directory"
        : "other";
      members.set(normalise(header.name), {
        type,
        data: Buffer.concat(chunks),
        uid: header.uid ?? -1,
        gid: header.gid ?? -1,
        user: header.uname ?? "",
      });
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SourceError(
      `Cannot read ${label}: ${
        /unexpected end/i.test(reason)
          ? "the archive is truncated"
          : /invalid tar header/i.test(reason)
          ? "not a tar or tar.gz archive"
          : reason
      }`,
    );
  }
  return members;
}

/** `./123/smaps`, `proc/123/smaps` and `123/smaps` name the same member. */
function normalise(name: string): string {
  return name.replace(/^(\.\/)+/, "").replace(/^proc\//, "").replace(
    /\/+$/,
    "",
  );
}
