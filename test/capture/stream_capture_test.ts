/**
 * streamCapture() writes, process by process, the very archive that
 * collecting the whole snapshot and packing it gives; a process whose
 * owner changed since the plan still gets its names.
 */

import { deepStrictEqual } from "node:assert/strict";
import { Buffer } from "node:buffer";
import { gunzipSync } from "node:zlib";
import { collectSnapshot } from "../../src/capture/collect.ts";
import { packSnapshot } from "../../src/archive/pack.ts";
import { planCapture, streamCapture } from "../../src/capture/stream_capture.ts";
import { archiveSource } from "../../src/source/open_archive.ts";
import { memorySource } from "../../src/source/memory_source.ts";
import type { ProcSource } from "../../src/source/proc_source.ts";
import { archiveMembers } from "../_helpers/archive.ts";
import { capturePath } from "../_helpers/mirror.ts";

const TAKEN = new Date("2026-01-02T03:04:05.000Z");

/** Streams a capture of `source` into memory: its gzip bytes, and the counts. */
async function stream(source: ProcSource, detail: "full" | "rollup" = "full") {
  const options = { detail, producer: "memsnap test", now: () => TAKEN } as const;
  const chunks: Uint8Array[] = [];
  const counts = await streamCapture(
    source,
    options,
    await planCapture(source, options),
    (chunk) => {
      chunks.push(chunk);
      return Promise.resolve();
    },
  );
  return { bytes: Buffer.concat(chunks), counts };
}

Deno.test("streamCapture() writes what collectSnapshot() and packSnapshot() write, byte for byte", async () => {
  const n8 = await archiveSource(await Deno.readFile(capturePath("n8.tar.gz")), "n8");
  for (const detail of ["full", "rollup"] as const) {
    const streamed = await stream(n8, detail);
    const raw = await collectSnapshot(n8, { detail, producer: "memsnap test", now: () => TAKEN });
    deepStrictEqual(
      gunzipSync(streamed.bytes),
      Buffer.from(await packSnapshot(raw, { prefix: "" })),
    );
    deepStrictEqual(streamed.counts, { processes: 8, vanished: 0, unreadable: 0 });
  }
});

Deno.test("streamCapture() names the owner of a process that changed owner since the plan", async () => {
  const files = {
    meminfo: "MemTotal: 1000 kB\n",
    "1/cmdline": "a\0",
    "1/smaps_rollup": "Rss: 4 kB\n",
    "1/stat": "1 (a) S 0",
    "2/cmdline": "b\0",
    "2/smaps_rollup": "Rss: 8 kB\n",
    "2/stat": "2 (b) S 1",
  };
  const users = { 0: "root", 7: "seven" };
  const before = memorySource({
    files,
    users,
    owners: { 1: { uid: 0, gid: 0 }, 2: { uid: 0, gid: 0 } },
  });
  const after = memorySource({
    files,
    users,
    owners: { 1: { uid: 0, gid: 0 }, 2: { uid: 7, gid: 0 } },
  });
  const options = {
    detail: "rollup",
    producer: "memsnap test",
    groupFile: "/nonexistent",
  } as const;
  const plan = await planCapture(before, options);
  deepStrictEqual(plan.meta.users, { 0: "root" });
  const chunks: Uint8Array[] = [];
  await streamCapture(after, options, plan, (chunk) => {
    chunks.push(chunk);
    return Promise.resolve();
  });
  const members = await archiveMembers(Buffer.concat(chunks));
  const owners = members.filter((m) => m.type === "directory").map((m) => [m.name, m.uid, m.uname]);
  deepStrictEqual(owners, [["1/", 0, "root"], ["2/", 7, "seven"]]);
});
