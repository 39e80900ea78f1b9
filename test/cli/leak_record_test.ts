/**
 * A real leak, recorded and found: `memsnap record -- sh -c '...'` runs a
 * shell that starts a steady python3 and then execs a python3 that grows
 * from the shell's few hundred kB to about 120 MiB in steps, its PSS
 * dipping now and then (it unmaps a block of 4 to 64 kB). Recorded at
 * 100 ms and at 1 s, `memsnap diff REC --each` must flag the grower as a
 * leak suspect, one row across the exec, and leave the steady one alone.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { memsnapProcess } from "../_helpers/memsnap.ts";
import { reports } from "../_helpers/trend.ts";

/**
 * Grows by STEP_MIB at each of STEPS steps, HOLD seconds apart; after the
 * steps listed in DIPS, unmaps a small block (64, 16, 8, 4 kB) and holds
 * again, so that a snapshot sees the dip.
 */
const GROW = `
import mmap, os, sys, time
hold, steps, step_mib = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
dips = {int(i) for i in sys.argv[4].split(",")}
with open(sys.argv[5], "w") as out:
    out.write(str(os.getpid()))
spare = []
for kb in (64, 16, 8, 4):
    block = mmap.mmap(-1, kb * 1024)
    block.write(b"x" * (kb * 1024))
    spare.append(block)
keep = []
for i in range(steps):
    block = bytearray(step_mib << 20)
    block[::4096] = b"x" * len(block[::4096])  # touch every page
    keep.append(block)
    time.sleep(hold)
    if i in dips and spare:
        spare.pop(0).close()
        time.sleep(hold)
time.sleep(hold)
`;

/** Sleeps until its parent (the shell, then the grower) is gone. */
const STEADY = `
import os, sys, time
with open(sys.argv[1], "w") as out:
    out.write(str(os.getpid()))
parent = os.getppid()
while os.getppid() == parent:
    time.sleep(0.05)
`;

interface Recorded {
  readonly file: string;
  readonly grower: number;
  readonly steady: number;
}

/** Records the workload at this interval, holding each step `hold` seconds. */
async function record(dir: string, name: string, interval: string, args: string[]) {
  const file = `${dir}/${name}.tar.gz`;
  // The steady process runs a python of its own (a copy of Debian's): its text is then
  // shared with no other process, so python3s that other tests start and stop meanwhile
  // do not move its PSS (a copy of the interpreter's ~3 MiB of text, shared with them,
  // did: its share rose as they exited, a trend up).
  const steadyPython = `${dir}/${name}-python3`;
  await Deno.copyFile(await Deno.realPath("/usr/bin/python3"), steadyPython);
  await Deno.chmod(steadyPython, 0o755);
  const script = [
    `PYTHONHOME=/usr ${steadyPython} ${dir}/steady.py ${dir}/${name}.steady &`,
    "sleep 0.3",
    `exec python3 ${dir}/grow.py ${args.join(" ")} ${dir}/${name}.grower`,
  ].join("\n");
  const run = await memsnapProcess(
    ["record", "-o", file, "-i", interval, "--tree", "--quiet", "--", "sh", "-c", script],
  );
  strictEqual(run.code, 0, run.stderr);
  const pid = async (role: string) => Number(await Deno.readTextFile(`${dir}/${name}.${role}`));
  return { file, grower: await pid("grower"), steady: await pid("steady") } satisfies Recorded;
}

interface TrendRow {
  key: string;
  labels: Record<string, string | number | null>;
  seen: number;
  firstSeen: number;
  lastSeen: number;
  suspects: string[];
  metrics: Record<string, { first: number; max: number; ratePerHour: number }>;
}

async function trendOf(file: string): Promise<{ snapshots: number; rows: TrendRow[] }> {
  const { code, stdout, stderr } = await memsnapProcess(
    ["diff", file, "--each", "-c", "pid name pss uss rss", "--format", "json"],
  );
  strictEqual(code, 0, stderr);
  return JSON.parse(stdout);
}

Deno.test("a python3 that grows with dips, exec'd by a shell: a leak suspect at 100 ms and at 1 s", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-leak-" });
  try {
    await Deno.writeTextFile(`${dir}/grow.py`, GROW);
    await Deno.writeTextFile(`${dir}/steady.py`, STEADY);
    // 20 steps of 6 MiB held 150 ms, 4 dips; 4 steps of 30 MiB held 1.3 s, 1 dip.
    const [fast, slow] = await Promise.all([
      record(dir, "fast", "100ms", ["0.15", "20", "6", "3,8,13,17"]),
      record(dir, "slow", "1s", ["1.3", "4", "30", "1"]),
    ]);
    for (const { file, grower, steady } of [fast, slow]) {
      const trend = await trendOf(file);
      const growing = trend.rows.filter((row) => row.labels.pid === grower);
      // One row across the exec: the same pid and start time.
      strictEqual(growing.length, 1, file);
      const row = growing[0]!;
      strictEqual(row.labels.name, "python3");
      // In every snapshot from the first, but maybe the last (the recording stops as it
      // exits), and maybe one other (taken during the exec, as the process replaced its
      // memory map, on a loaded machine: counted as vanished).
      strictEqual(row.firstSeen, 0);
      ok(row.seen >= row.lastSeen, `seen in ${row.seen} of ${row.lastSeen + 1} snapshots`);
      ok(row.lastSeen >= trend.snapshots - 2, `${row.lastSeen} of ${trend.snapshots}`);
      const pss = row.metrics.pss!;
      // From the shell's few hundred kB to 120 MiB and more (the last snapshot may catch it
      // freeing its memory as it exits).
      ok(pss.first < 1024 && pss.max > 120 * 1024, `${file}: ${JSON.stringify(pss)}`);
      deepStrictEqual(row.suspects, ["pss", "uss", "rss"], file);
      ok(pss.ratePerHour > 0);
      const quiet = trend.rows.find((r) => r.labels.pid === steady);
      ok(quiet !== undefined, `${file}: no row for the steady process ${steady}`);
      deepStrictEqual(quiet.suspects, [], file);
    }
    // The Markdown headline names the suspect, with its growth and rate.
    const markdown = await memsnapProcess(
      ["diff", fast.file, "--each", "-c", "pid name pss", "--format", "markdown", "-k"],
    );
    strictEqual(markdown.code, 0, markdown.stderr);
    const bullets = markdown.stdout.split("\n").filter((line) => line.startsWith("- "));
    ok(
      bullets.some((line) => new RegExp(`^- ${fast.grower} python3: PSS \\+\\d`).test(line)),
      markdown.stdout,
    );
    ok(!bullets.some((line) => line.startsWith(`- ${fast.steady} `)), markdown.stdout);
    // The 100 ms recording saw the shell first, and PSS dips on the way up (the blocks
    // unmapped; file pages reclaimed add more on a busy machine): growth was not monotonic.
    const snapshots = await reports(fast.file, ["-c", "pid name pss"]);
    const series = snapshots.flatMap((s) => s.rows.filter((r) => r.pid === fast.grower));
    strictEqual(series[0]!.name, "sh");
    const pss = series.map((r) => r.pss as number);
    const rising = pss.slice(0, pss.indexOf(Math.max(...pss)) + 1);
    const dips = rising.flatMap((v, i) => i > 0 && v < rising[i - 1]! ? [rising[i - 1]! - v] : []);
    ok(dips.length >= 2, `PSS ${pss.join(" ")}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
