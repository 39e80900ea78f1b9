/**
 * Cost-aware sampling on this machine, through the command line: a
 * process above --max-rss shown RSS-only, options refused where they do
 * not apply, and a recording that carries a process's walk while another
 * process starts sharing its pages, then walks it again within --refresh.
 * Only processes the test starts are asserted on.
 */

import { deepStrictEqual, match, ok } from "node:assert/strict";
import { archiveMembers } from "../_helpers/archive.ts";
import { memsnapProcess } from "../_helpers/memsnap.ts";

const tmp = await Deno.makeTempDir({ prefix: "memsnap-sampling-" });
globalThis.addEventListener("unload", () => Deno.removeSync(tmp, { recursive: true }));

/** VmRSS of a process, kB. */
async function vmRss(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)![1]);
}

Deno.test("memsnap --max-rss shows a larger process RSS-only, marked, and says why", async () => {
  const marker = crypto.randomUUID().slice(0, 8);
  // 64 MiB of anonymous memory, every page touched; it says when. Its command line holds the
  // marker; the pattern matches it and not memsnap's own command line (which holds "[m]").
  const child = new Deno.Command("python3", {
    args: [
      "-c",
      "import sys, time; b = bytearray(64 << 20); print(1, flush=True); time.sleep(60)",
      `memsnap-big-${marker}`,
    ],
    stdout: "piped",
  }).spawn();
  try {
    await child.stdout.getReader().read();
    const args = ["-P", `memsnap-big-[${marker[0]}]${marker.slice(1)}`, "-c", "pid uss pss rss"];
    const rss = await vmRss(child.pid);
    const table = await memsnapProcess([...args, "--max-rss", "32M"]);
    deepStrictEqual(table.code, 0, table.stderr);
    deepStrictEqual(table.stdout.split("\n").map((l) => l.trim().split(/ +/)), [
      ["PID", "USS", "PSS", "RSS", "Provenance", "Age_s"],
      [String(child.pid), "-", "-", String(rss), "rss-only", "-"],
      [""],
    ]);
    deepStrictEqual(
      table.stderr,
      "memsnap: 1 process rss-only, PSS and USS unknown: 1 RSS above --max-rss\n",
    );
    // Under the ceiling it is walked, exact; the table is smem's, no column added.
    const walked = await memsnapProcess([...args, "--max-rss", "1G", "-H"]);
    deepStrictEqual([walked.code, walked.stderr], [0, ""]);
    deepStrictEqual(walked.stdout.trim().split(/ +/).length, 4);
    // A capture stores it so, in format version 2, and a report of it says the same.
    const archive = `${tmp}/big.tar.gz`;
    const capture = await memsnapProcess(["capture", "-o", archive, "--max-rss", "32M"]);
    deepStrictEqual(capture.code, 0, capture.stderr);
    match(
      capture.stderr,
      /^memsnap: \d+ process(es)? rss-only, PSS and USS unknown: .*\d+ RSS above --max-rss/,
    );
    const stored = await memsnapProcess(["-S", archive, ...args, "--format", "json"]);
    deepStrictEqual(JSON.parse(stored.stdout).rows, [
      { pid: child.pid, uss: null, pss: null, rss, provenance: "rss-only", age: null },
    ]);
    const members = await archiveMembers(await Deno.readFile(archive));
    const meta = JSON.parse(new TextDecoder().decode(members[0]!.data));
    deepStrictEqual([meta.formatVersion, meta.provenance[child.pid]], [2, {
      kind: "rss-only",
      reason: "over-ceiling",
    }]);
    // Its status is stored; no memory file is, so smem leaves it out as it would a process gone.
    deepStrictEqual(
      members.filter((m) => m.name.startsWith(`${child.pid}/`)).map((m) => m.name),
      [
        `${child.pid}/`,
        `${child.pid}/cmdline`,
        `${child.pid}/stat`,
        `${child.pid}/status`,
        `${child.pid}/cgroup`,
      ],
    );
    // JSON counts how each row was measured.
    const json = JSON.parse(
      (await memsnapProcess([...args, "--max-rss", "32M", "--format", "json"])).stdout,
    );
    deepStrictEqual(json.provenance, { exact: 0, carried: 0, rssOnly: 1 });
    deepStrictEqual(json.rows, [{
      pid: child.pid,
      uss: null,
      pss: null,
      rss,
      provenance: "rss-only",
      age: null,
    }]);
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
});

Deno.test("--budget, --max-rss and --refresh refuse bad values, and -S data", async () => {
  for (
    const [args, message] of [
      [
        ["--budget", "1x"],
        /^memsnap: Invalid duration "1x" for --budget: expected a number and a unit/,
      ],
      [["--budget", "0s"], /^memsnap: Invalid duration "0s" for --budget/],
      [
        ["--max-rss", "12"],
        /^memsnap: Invalid size "12": memory size should be written with units/,
      ],
      [
        ["-S", "x.tar.gz", "--budget", "1s"],
        /^memsnap: Option "--budget" limits what sampling the live system costs: -S data is read whole/,
      ],
      [
        ["record", "-o", `${tmp}/x.tar.gz`, "--refresh", "soon"],
        /^memsnap record: Invalid duration "soon" for --refresh/,
      ],
      [
        ["diff", "a", "b", "--allow-estimates"],
        /^memsnap diff: Option "--allow-estimates" applies to thresholds: add "--fail-if EXPR"/,
      ],
    ] as const
  ) {
    const { code, stdout, stderr } = await memsnapProcess([...args]);
    deepStrictEqual([code, stdout], [2, ""], args.join(" "));
    match(stderr, message);
  }
});

// The workload: A maps a 16 MiB file shared and touches it; 1.2 s later B, a process of its own
// under init (double fork), maps the same file: A's PSS halves while its status stays the same.
const WORKLOAD = `
import mmap, os, sys, time
path, pids = sys.argv[1], sys.argv[2]
with open(path, "wb") as f: f.write(b"x" * (16 << 20))
def share(tag):
    f = open(path, "r+b"); m = mmap.mmap(f.fileno(), 0)
    for i in range(0, len(m), 4096): m[i]
    with open(pids, "a") as out: out.write(f"{tag} {os.getpid()}\\n")
    time.sleep(6)
    os._exit(0)
a = os.fork()
if a == 0: share("A")
time.sleep(1.2)
if os.fork() == 0:
    if os.fork() == 0: share("B")
    os._exit(0)
os.wait()
time.sleep(3)
os.kill(a, 9)
`;

Deno.test("a recording carries a walk while a process's status stands still, and walks it again within --refresh when another process shares its pages", async () => {
  const recording = `${tmp}/share.tar.gz`;
  const pids = `${tmp}/pids`;
  const record = await memsnapProcess([
    "record",
    "-o",
    recording,
    "-i",
    "250ms",
    "--refresh",
    "1s",
    "-q",
    "--",
    "python3",
    "-c",
    WORKLOAD,
    `${tmp}/shared.bin`,
    pids,
  ]);
  deepStrictEqual(record.code, 0, record.stderr);
  const byTag = Object.fromEntries(
    (await Deno.readTextFile(pids)).trim().split("\n").map((l) => l.split(" ")).map((
      [t, p],
    ) => [t, Number(p)]),
  );
  const list = JSON.parse((await memsnapProcess(["list", recording, "--format", "json"])).stdout);
  type Row = {
    pid: number;
    uss: number | null;
    pss: number | null;
    rss: number;
    provenance: string;
    age: number | null;
  };
  const samples: { at: number; a: Row | undefined; b: Row | undefined }[] = [];
  for (const snapshot of list.snapshots) {
    const report = await memsnapProcess([
      "-S",
      `${recording}@${snapshot.index}`,
      "--format",
      "json",
      "-c",
      "pid uss pss rss",
    ]);
    const rows: Row[] = JSON.parse(report.stdout).rows;
    samples.push({
      at: Date.parse(snapshot.takenAt),
      a: rows.find((r) => r.pid === byTag.A),
      b: rows.find((r) => r.pid === byTag.B),
    });
  }
  const firstB = samples.findIndex((s) => s.b?.provenance === "exact");
  ok(firstB > 0, "B was never recorded");
  // Before B, A's status stood still: its walk was carried, never older than --refresh.
  const before = samples.slice(0, firstB).filter((s) => s.a !== undefined);
  ok(before.some((s) => s.a!.provenance === "carried"), JSON.stringify(before));
  ok(before.every((s) => s.a!.provenance === "exact" || s.a!.age! <= 1), JSON.stringify(before));
  // After B: A is walked again within --refresh, its PSS then lower by at
  // least half the file (B shares the file, and what their parent's fork shares).
  const lastAlone = before.findLast((s) => s.a!.provenance === "exact")!.a!;
  const rewalk = samples.slice(firstB).find((s) => s.a?.provenance === "exact");
  ok(rewalk !== undefined, JSON.stringify(samples));
  // Never carried longer than --refresh, however late a loaded machine takes its snapshots.
  ok(samples.every((s) => s.a?.provenance !== "carried" || s.a.age! <= 1), JSON.stringify(samples));
  const halved = rewalk.a!.pss!;
  ok(lastAlone.pss! - halved >= 8192 - 256, `${lastAlone.pss} then ${halved}`);
  // A threshold refuses to judge the carried numbers, naming them, unless told to.
  // The first snapshot against one where A was carried (such a one was found above).
  const carriedAt = samples.findIndex((s) => s.a?.provenance === "carried");
  const gate = ["diff", `${recording}@0`, `${recording}@${carriedAt}`, "--fail-if"]
    .concat(["total.pss>+1000000%", "-P", "python3"]);
  const refused = await memsnapProcess(gate);
  deepStrictEqual([refused.code, refused.stdout], [1, ""]);
  match(
    refused.stderr,
    /^memsnap: --fail-if judges measured numbers, and some processes were not walked/,
  );
  match(refused.stderr, new RegExp(`\nB: ${byTag.A} python3: carried \\d+s\n`));
  const judged = await memsnapProcess([...gate, "--allow-estimates"]);
  // Judged, and passed: no total grows ten-thousandfold.
  deepStrictEqual([judged.code, judged.stderr], [0, ""]);
  // Meanwhile a carried PSS was wrong by at most what A shared at its last walk (RSS - USS).
  const bound = lastAlone.rss - lastAlone.uss!;
  for (const s of samples.slice(firstB).filter((s) => s.a?.provenance === "carried")) {
    ok(Math.abs(s.a!.pss! - halved) <= bound, `${JSON.stringify(s)}, bound ${bound}`);
  }
});
