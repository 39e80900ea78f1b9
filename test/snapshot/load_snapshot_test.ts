import { deepStrictEqual, rejects } from "node:assert/strict";
import { ParseError } from "../../src/parse/parse_error.ts";
import { memorySource } from "../../src/source/memory_source.ts";
import { openSource } from "../../src/source/open_source.ts";
import { SourceError } from "../../src/errors/source_error.ts";
import { type LoadOptions, loadSnapshot } from "../../src/snapshot/load_snapshot.ts";
import { capturePath } from "../_helpers/mirror.ts";

const MEMINFO = "MemTotal:       1000 kB\nMemFree:         400 kB\nSwapTotal:         0 kB\n";
const VERSION = "Linux version 6.1.0-test (x@y) #1 SMP\n";
const STAT = (pid: number, name: string, ppid = 1) =>
  `${pid} (${name}) S ${ppid} ${pid} ${pid} 0 -1 4194560 1 0 0 0 3 2 0 0 20 0 1 0 555 100 10 0\n`;
const SMAPS = `00400000-00401000 r-xp 00000000 fe:00 12                         /usr/bin/tool
Size:                  4 kB
Rss:                   4 kB
Pss:                   2 kB
Private_Clean:         0 kB
Private_Dirty:         0 kB
Shared_Clean:          4 kB
VmFlags: rd ex mr mw me
00a00000-00a21000 rw-p 00000000 00:00 0                          [heap]
Size:                132 kB
Rss:                 100 kB
Pss:                 100 kB
Private_Clean:         0 kB
Private_Dirty:       100 kB
Shared_Clean:          0 kB
`;
const ROLLUP = `00400000-7ffc600c0000 ---p 00000000 00:00 0                  [rollup]
Rss:                 104 kB
Pss:                 103 kB
Pss_Anon:            100 kB
Pss_File:              3 kB
Pss_Shmem:             0 kB
Private_Clean:         0 kB
Private_Dirty:       100 kB
`;

const NEEDS: LoadOptions = { processes: true, mappings: false, rollupCounters: false };
const clock = { now: () => new Date("2026-11-25T12:00:00Z"), hostname: () => "box" };

/** A process's files under /proc. */
function files(pid: number, parts: Record<string, string | null>) {
  return Object.fromEntries(Object.entries(parts).map(([file, text]) => [`${pid}/${file}`, text]));
}

Deno.test("loadSnapshot() reads live processes from smaps_rollup, with their owners and names", async () => {
  const source = memorySource({
    live: true,
    files: {
      meminfo: MEMINFO,
      version: VERSION,
      ...files(10, {
        cmdline: "/usr/bin/tool\0-v\0",
        stat: STAT(10, "tool", 7),
        smaps: SMAPS,
        smaps_rollup: ROLLUP,
      }),
    },
    owners: { 10: { uid: 1000, gid: 100 } },
    users: { 1000: "ann" },
  });
  const snapshot = await loadSnapshot(source, { ...NEEDS, ...clock });
  deepStrictEqual(snapshot, {
    takenAt: "2026-11-25T12:00:00.000Z",
    host: { hostname: "box", kernel: "6.1.0-test", pageSize: null },
    meminfo: { MemTotal: 1000, MemFree: 400, SwapTotal: 0 },
    users: { 1000: "ann" },
    detail: "rollup",
    processes: [{
      pid: 10,
      ppid: 7,
      uid: 1000,
      gid: 100,
      name: "tool",
      cmdline: ["/usr/bin/tool", "-v"],
      startTime: 555,
      totals: {
        rss: 104,
        pss: 103,
        pssAnon: 100,
        pssFile: 3,
        pssShmem: 0,
        privateClean: 0,
        privateDirty: 100,
      },
      mapCount: null,
    }],
    skipped: {
      kernelThreads: 0,
      unreadable: 0,
      unreadableProcesses: [],
      vanished: 0,
      withoutMappings: 0,
    },
  });
});

Deno.test("loadSnapshot() sums live smaps when mappings are needed, and merges what only the rollup has when asked", async () => {
  const source = memorySource({
    live: true,
    files: {
      meminfo: MEMINFO,
      ...files(10, {
        cmdline: "tool\0",
        stat: STAT(10, "tool"),
        smaps: SMAPS,
        smaps_rollup: ROLLUP,
      }),
    },
  });
  const full = await loadSnapshot(source, { ...NEEDS, mappings: true });
  const [process] = full.processes;
  deepStrictEqual(full.detail, "full");
  deepStrictEqual(process?.totals, {
    size: 136,
    rss: 104,
    pss: 102,
    privateClean: 0,
    privateDirty: 100,
    sharedClean: 4,
  });
  deepStrictEqual(process?.mapCount, 2);
  // Not every mapping: their sums per name, which is all the mapping view and -M use.
  deepStrictEqual(process?.mappings, undefined);
  deepStrictEqual(process?.mappingGroups, [
    {
      name: "/usr/bin/tool",
      count: 1,
      counters: { size: 4, rss: 4, pss: 2, privateClean: 0, privateDirty: 0, sharedClean: 4 },
    },
    {
      name: "[heap]",
      count: 1,
      counters: {
        size: 132,
        rss: 100,
        pss: 100,
        privateClean: 0,
        privateDirty: 100,
        sharedClean: 0,
      },
    },
  ]);
  const merged = await loadSnapshot(source, { ...NEEDS, mappings: true, rollupCounters: true });
  deepStrictEqual(merged.processes[0]?.totals, {
    ...process?.totals,
    pssAnon: 100,
    pssFile: 3,
    pssShmem: 0,
  });
});

Deno.test("loadSnapshot() reads a stored copy from smaps as smem does, with the rollup's extra counters", async () => {
  const source = memorySource({
    files: {
      meminfo: MEMINFO,
      ...files(10, {
        cmdline: "tool\0",
        stat: STAT(10, "tool"),
        smaps: SMAPS,
        smaps_rollup: ROLLUP,
      }),
    },
  });
  const snapshot = await loadSnapshot(source, NEEDS);
  deepStrictEqual([snapshot.detail, snapshot.takenAt, snapshot.host.hostname], [
    "full",
    null,
    null,
  ]);
  deepStrictEqual(snapshot.processes[0]?.totals.pss, 102);
  deepStrictEqual(snapshot.processes[0]?.totals.pssAnon, 100);
});

Deno.test("loadSnapshot() leaves out kernel threads, and processes that exit or refuse while read", async () => {
  const source = memorySource({
    live: true,
    files: {
      meminfo: MEMINFO,
      ...files(2, { cmdline: "", stat: STAT(2, "kthreadd"), smaps: "" }),
      // Exited before its memory was read.
      ...files(20, { cmdline: "gone\0" }),
      // Exited after its memory was read: not half-counted.
      ...files(21, { cmdline: "late\0", smaps_rollup: ROLLUP }),
      // Another user's: smaps_rollup is denied.
      ...files(22, { cmdline: "other\0", stat: STAT(22, "other"), smaps_rollup: null }),
      // A zombie: its rollup is empty.
      ...files(23, { cmdline: "zombie\0", stat: STAT(23, "zombie"), smaps_rollup: "" }),
      ...files(24, { cmdline: "ok\0", stat: STAT(24, "ok"), smaps_rollup: ROLLUP }),
    },
  });
  const snapshot = await loadSnapshot(source, NEEDS);
  deepStrictEqual(snapshot.processes.map((p) => p.pid), [24]);
  deepStrictEqual(snapshot.skipped, {
    kernelThreads: 1,
    unreadable: 1,
    // Who was refused, so that -P and -U can say they may be missing some.
    unreadableProcesses: [{ pid: 22, uid: 0, name: "other", cmdline: ["other"] }],
    vanished: 3,
    withoutMappings: 0,
  });
});

Deno.test("loadSnapshot() shows smem's placeholders for what a stored copy lacks", async () => {
  const source = memorySource({
    files: { meminfo: MEMINFO, "30/smaps": SMAPS },
    owners: {},
  });
  const [process] = (await loadSnapshot(source, NEEDS)).processes;
  deepStrictEqual(
    [process?.name, process?.cmdline, process?.ppid, process?.startTime],
    ["?", null, null, null],
  );
});

Deno.test("loadSnapshot() keeps one detail: processes with rollup only leave a full snapshot", async () => {
  const source = memorySource({
    files: {
      meminfo: MEMINFO,
      ...files(10, { cmdline: "a\0", stat: STAT(10, "a"), smaps: SMAPS }),
      ...files(11, { cmdline: "b\0", stat: STAT(11, "b"), smaps_rollup: ROLLUP }),
    },
  });
  const snapshot = await loadSnapshot(source, NEEDS);
  deepStrictEqual(snapshot.processes.map((p) => p.pid), [10]);
  deepStrictEqual(snapshot.skipped.withoutMappings, 1);
});

Deno.test("loadSnapshot() refuses to give mappings from a rollup-only copy", async () => {
  const source = memorySource({
    files: { meminfo: MEMINFO, ...files(11, { cmdline: "b\0", smaps_rollup: ROLLUP }) },
  });
  deepStrictEqual((await loadSnapshot(source, NEEDS)).detail, "rollup");
  await rejects(loadSnapshot(source, { ...NEEDS, mappings: true }), SourceError);
});

Deno.test("loadSnapshot() reads no process for the system view", async () => {
  const source = memorySource({ files: { meminfo: MEMINFO, "10/smaps": "not smaps" } });
  deepStrictEqual((await loadSnapshot(source, { ...NEEDS, processes: false })).processes, []);
});

Deno.test("loadSnapshot() refuses a source without meminfo, and malformed files with file and line", async () => {
  await rejects(loadSnapshot(memorySource({ files: {} }, "x"), NEEDS), {
    name: "SourceError",
    message: "Cannot read x: it has no meminfo",
  });
  const bad = memorySource({
    files: { meminfo: MEMINFO, "10/cmdline": "a\0", "10/smaps": SMAPS + "Rss: many kB\n" },
  });
  await rejects(loadSnapshot(bad, NEEDS), (error: unknown) => {
    deepStrictEqual(error instanceof ParseError && [error.file, error.line], ["10/smaps", 16]);
    return true;
  });
});

Deno.test("loadSnapshot() gives plain data: a snapshot survives a JSON round trip unchanged", async () => {
  for (const capture of ["n8.tar.gz", "n60.tar.gz"]) {
    const snapshot = await loadSnapshot(await openSource(capturePath(capture)), NEEDS);
    deepStrictEqual(snapshot.processes.length > 0, true);
    deepStrictEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  }
});

Deno.test("loadSnapshot() reads each process's memory cgroup only when asked", async () => {
  const tool = (pid: number, cgroup: string | null | undefined) =>
    files(pid, {
      cmdline: "tool\0",
      stat: STAT(pid, "tool"),
      smaps: SMAPS,
      ...(cgroup !== undefined && { cgroup }),
    });
  const source = memorySource({
    files: {
      meminfo: MEMINFO,
      ...tool(10, "0::/system.slice/a.service\n"),
      ...tool(11, "4:memory:/docker/abc\n1:name=systemd:/x\n0::/\n"),
      ...tool(12, undefined), // a copy made without it
      ...tool(13, null), // not readable
    },
  });
  const without = await loadSnapshot(source, NEEDS);
  deepStrictEqual(without.processes.map((p) => "cgroup" in p), [false, false, false, false]);
  const withCgroups = await loadSnapshot(source, { ...NEEDS, cgroups: true });
  deepStrictEqual(withCgroups.processes.map((p) => p.cgroup), [
    { version: 2, path: "/system.slice/a.service" },
    { version: 1, path: "/docker/abc" },
    null,
    null,
  ]);
  await rejects(
    loadSnapshot(
      memorySource({ files: { meminfo: MEMINFO, ...tool(10, "0::relative\n") } }),
      { ...NEEDS, cgroups: true },
    ),
    new ParseError("10/cgroup", 1, 'expected "hierarchy-ID:controllers:/path"'),
  );
});

Deno.test("loadSnapshot() reads oom_score, CPU time and fdinfo only when asked, unknown where absent", async () => {
  const fdinfo =
    "pos:\t0\nflags:\t02\ndrm-driver:\tx\ndrm-client-id:\t1\ndrm-resident-vram:\t8 KiB\n";
  const source = memorySource({
    files: {
      meminfo: MEMINFO,
      ...files(10, {
        cmdline: "tool\0",
        stat: STAT(10, "tool"),
        smaps: SMAPS,
        oom_score: "42\n",
        "fdinfo/0": "pos:\t0\nflags:\t02\n",
        "fdinfo/4": fdinfo,
      }),
      ...files(11, { cmdline: "other\0", smaps: SMAPS }),
    },
  });
  const plain = await loadSnapshot(source, NEEDS);
  deepStrictEqual(plain.processes.map((p) => "oomScore" in p || "cpuTicks" in p || "gpuKb" in p), [
    false,
    false,
  ]);
  const all = await loadSnapshot(source, {
    ...NEEDS,
    extras: { oomScore: true, cpuTime: true, gpu: true },
  });
  // STAT's utime is 3 and stime 2; pid 11 has no stat, no oom_score, no fdinfo.
  deepStrictEqual(
    all.processes.map(({ pid, oomScore, cpuTicks, gpuKb }) => ({ pid, oomScore, cpuTicks, gpuKb })),
    [
      { pid: 10, oomScore: 42, cpuTicks: 5, gpuKb: 8 },
      { pid: 11, oomScore: null, cpuTicks: null, gpuKb: null },
    ],
  );
  const some = await loadSnapshot(source, { ...NEEDS, extras: { gpu: true } });
  deepStrictEqual(Object.hasOwn(some.processes[0]!, "oomScore"), false);
});

Deno.test("loadSnapshot() refuses a malformed oom_score or DRM fdinfo with its file", async () => {
  const source = (extra: Record<string, string>) =>
    memorySource({
      files: { meminfo: MEMINFO, ...files(10, { cmdline: "t\0", smaps: SMAPS, ...extra }) },
    });
  await rejects(
    loadSnapshot(source({ oom_score: "x\n" }), { ...NEEDS, extras: { oomScore: true } }),
    new ParseError("10/oom_score", 1, "expected a whole number"),
  );
  await rejects(
    loadSnapshot(source({ "fdinfo/3": "drm-driver: x\n" }), { ...NEEDS, extras: { gpu: true } }),
    new ParseError("10/fdinfo/3", 0, 'expected a "drm-client-id" line'),
  );
});

Deno.test("loadSnapshot() live: a process whose cgroup file goes with it while read is left out, not put in no cgroup", async () => {
  const tree = memorySource({
    live: true,
    files: {
      meminfo: MEMINFO,
      ...files(25, { cmdline: "exiting\0", stat: STAT(25, "exiting"), smaps_rollup: ROLLUP }),
      ...files(26, { cmdline: "nocg\0", stat: STAT(26, "nocg"), smaps_rollup: ROLLUP }),
      ...files(27, { cmdline: "ok\0", stat: STAT(27, "ok"), smaps_rollup: ROLLUP }),
      "27/cgroup": "0::/a\n",
    },
  });
  // 25 exits between its stat and its cgroup: read again, its stat is gone.
  // 26 lives on a kernel's worth of no cgroup file: its stat stays.
  let statReads = 0;
  const gone = (path: string) => path === "25/stat" && ++statReads > 1;
  const source = {
    ...tree,
    read: (path: string) =>
      gone(path) ? Promise.resolve({ status: "missing" as const }) : tree.read(path),
    readBytes: (path: string) =>
      gone(path) ? Promise.resolve({ status: "missing" as const }) : tree.readBytes(path),
  };
  const snapshot = await loadSnapshot(source, { ...NEEDS, cgroups: true });
  deepStrictEqual(
    snapshot.processes.map((p) => [p.pid, p.cgroup]),
    [[26, null], [27, { version: 2, path: "/a" }]],
  );
  deepStrictEqual(snapshot.skipped.vanished, 1);
});
