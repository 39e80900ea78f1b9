/**
 * Streams one snapshot into a single-snapshot archive (tar.gz) as it is
 * read, process by process: memory holds a few processes' files, not the
 * whole snapshot (a full capture of 1 000 processes is ~400 MiB of text).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createGzip } from "node:zlib";
import { pack as tarPack } from "tar-stream";
import type { SnapshotMeta, StoredSkips } from "../archive/format.ts";
import { drained } from "../archive/gunzip_chunks.ts";
import type { ProcSource } from "../source/proc_source.ts";
import type { UnreadableProcess } from "../archive/format.ts";
import { identify, isKernelThread, unreadableFiles } from "../snapshot/read_process.ts";
import { mapLimit } from "../snapshot/map_limit.ts";
import {
  type CollectOptions,
  describeSnapshot,
  readHead,
  readRawProcess,
  type SnapshotHead,
} from "./collect.ts";
import { snapshotWriter } from "../archive/pack.ts";
import { encodePages, PAGES_MEMBER } from "../snapshot/pages_member.ts";
import type { PagesRecorder } from "../snapshot/read_pages.ts";

const decoder = new TextDecoder();

/** Processes read at once, then packed in pid order before the next ones. */
const BATCH = 32;
/** Bytes of tar gathered for each write to the compressor. */
const GATHER = 256 * 1024;

/** A capture's head and metadata, known before any process's files are read. */
export interface CapturePlan {
  readonly head: SnapshotHead;
  /** memsnap.json, with what the capture leaves out (known before any memory file is read). */
  readonly meta: SnapshotMeta & { readonly skipped: StoredSkips };
}

/** What a streamed capture stored. */
export interface CaptureCounts {
  readonly processes: number;
  /** Left out: exited while read, or not readable. */
  readonly vanished: number;
  readonly unreadable: number;
}

/**
 * Reads meminfo, version and the processes' owners (a stat each), and makes
 * the metadata: memsnap.json is the archive's first member, so the user
 * and group names it holds are resolved before any memory file is read.
 *
 * @throws {SourceError} When the source has no meminfo.
 */
export async function planCapture(
  source: ProcSource,
  options: CollectOptions,
): Promise<CapturePlan> {
  const head = await readHead(source, options);
  const probes = await mapLimit(
    head.pids,
    options.concurrency ?? 16,
    async (pid) => ({ owner: await source.owner(pid), skip: await probe(source, pid, options) }),
  );
  const known = probes.flatMap(({ owner }) => owner === undefined ? [] : [owner]);
  const meta = await describeSnapshot(source, options, head, {
    uids: new Set(known.map((owner) => owner.uid)),
    gids: new Set(known.map((owner) => owner.gid)),
  });
  const unreadable = probes.flatMap(({ skip }) =>
    typeof skip === "object" ? [skip.unreadable] : []
  );
  // Known now, before any memory file is read: memsnap.json comes first.
  const skipped = {
    unreadable: unreadable.length,
    unreadableProcesses: unreadable,
    vanished: 0,
    kernelThreads: probes.filter(({ skip }) => skip === "kernelThreads").length,
  };
  return { head, meta: { ...meta, skipped } };
}

/**
 * Whether a process will be left out, as far as can be told without reading
 * its memory: a kernel thread (empty cmdline), or one whose memory file this
 * user may not open.
 */
async function probe(
  source: ProcSource,
  pid: number,
  options: CollectOptions,
): Promise<"kernelThreads" | { readonly unreadable: UnreadableProcess } | undefined> {
  // As readProcess() decides it.
  const cmdline = await source.readBytes(`${pid}/cmdline`);
  if (cmdline.status === "ok" && isKernelThread(cmdline.bytes)) return "kernelThreads";
  const memory = options.detail === "full" ? "smaps" : "smaps_rollup";
  if ((await source.mayRead(`${pid}/${memory}`)) !== "denied") return undefined;
  // Who it is, from what anyone may read: filters then count it only where they would show it.
  const files = new Map<string, Uint8Array>();
  if (cmdline.status === "ok") files.set("cmdline", cmdline.bytes);
  return { unreadable: identify(pid, await unreadableFiles(source, pid, files)) };
}

/**
 * Reads the plan's processes and writes the archive's gzip-compressed bytes
 * to `write` as they come: memsnap.json, meminfo, version, then each
 * process. A process whose owner was not known to the plan (a pid reused
 * since) gets its names looked up then, for its tar headers. With `pages`,
 * each process's pages are read right after its files, and stored last.
 */
export async function streamCapture(
  source: ProcSource,
  options: CollectOptions,
  plan: CapturePlan,
  write: (chunk: Uint8Array) => Promise<void>,
  pages?: PagesRecorder,
): Promise<CaptureCounts> {
  const packer = tarPack();
  const gzip = createGzip();
  const compressing = (async () => {
    // The packer gives a 512-byte header at a time: zlib takes each write as
    // a task of its own, so the pieces go to it gathered.
    let pending: Uint8Array[] = [];
    let bytes = 0;
    const flush = async () => {
      if (!gzip.write(Buffer.concat(pending))) await drained(gzip);
      pending = [];
      bytes = 0;
    };
    for await (const chunk of packer) {
      pending.push(chunk as Uint8Array);
      bytes += (chunk as Uint8Array).length;
      if (bytes >= GATHER) await flush();
    }
    if (bytes > 0) await flush();
    gzip.end();
  })();
  const writing = (async () => {
    for await (const chunk of gzip) await write(chunk as Uint8Array);
  })();
  const output = Promise.all([compressing, writing]);
  // Stops the reading side as soon as the writing side fails (a full disk),
  // and keeps why: the packer then fails too, only because it was stopped.
  let outputError: unknown;
  output.catch((error) => {
    outputError ??= error;
    packer.destroy();
    gzip.destroy();
  });

  const users: Record<string, string> = { ...plan.meta.users };
  const groups: Record<string, string> = { ...plan.meta.groups };
  const writer = snapshotWriter(packer, plan.meta, "", { users, groups });
  const counts = { processes: 0, vanished: 0, unreadable: 0 };
  try {
    await writer.begin(plan.head.meminfo, plan.head.version);
    const { pids } = plan.head;
    const read = (at: number) => {
      const batch = mapLimit(
        pids.slice(at, at + BATCH),
        options.concurrency ?? 16,
        (pid) => readRawProcess(source, pid, options.detail),
      );
      batch.catch(() => {}); // Awaited below; a failure of one read ahead is not lost.
      return batch;
    };
    // The next batch is read while this one is packed and compressed.
    let next = read(0);
    for (let at = 0; at < pids.length; at += BATCH) {
      const outcomes = await next;
      if (at + BATCH < pids.length) next = read(at + BATCH);
      for (const outcome of outcomes) {
        if (outcome === "vanished") counts.vanished++;
        if (typeof outcome === "object" && "unreadable" in outcome) counts.unreadable++;
        if (typeof outcome !== "object" || !("files" in outcome)) continue;
        if (!(outcome.uid in users)) {
          const name = (await source.userNames(new Set([outcome.uid]))).get(outcome.uid);
          if (name !== undefined) users[outcome.uid] = name;
        }
        if (!(outcome.gid in groups)) {
          const name = (await source.groupNames(new Set([outcome.gid]))).get(outcome.gid);
          if (name !== undefined) groups[outcome.gid] = name;
        }
        await writer.process(outcome);
        if (pages !== undefined) {
          const smaps = outcome.files.get("smaps");
          await pages.add(outcome.pid, smaps === undefined ? undefined : decoder.decode(smaps));
        }
        counts.processes++;
      }
    }
    if (pages !== undefined) await writer.member(PAGES_MEMBER, encodePages(await pages.finish()));
    await writer.finish();
  } catch (error) {
    // The output's own failure, if it came first; not what stopping it causes.
    const cause = outputError;
    packer.destroy();
    gzip.destroy();
    await output.catch(() => {});
    throw cause ?? error;
  }
  await output;
  return counts;
}
