/**
 * --exact on a workload the test builds with known sharing (issue 18):
 * group A (user daemon) = two processes sharing a 64 MiB memfd only between
 * themselves, each with 32 MiB private; group B (user nobody) = one process
 * mapping a 16 MiB file that A's processes map too. Only these processes
 * are shown (-P on the workload's script), so nothing else on the machine
 * enters the rows; what others share with them is "shared with others".
 */

import assert from "node:assert/strict";
import { memsnapCommand, memsnapProcess, ROOT } from "../_helpers/memsnap.ts";

const MIB_KB = 1024;
/** kB two reports of the same processes may differ by (16 pages of shared libraries). */
const SLACK = 64;
const SCRIPT = `${ROOT}test/_helpers/exact_workload.py`;
// This run's processes: their command lines, not memsnap's own (which holds the pattern's text).
const TAG = `t${crypto.randomUUID().slice(0, 8)}`;
const PATTERN = `exact_workload[.]py [ab][12]? ${TAG} `;

interface Started {
  readonly pid: number;
  readonly fd: number;
  readonly child: Deno.ChildProcess;
}

/** Starts one process of the workload as `user`, and waits for "ready PID FD". */
async function start(user: string, group: string, args: string[]): Promise<Started> {
  const child = new Deno.Command("setpriv", {
    args: [
      `--reuid=${user}`,
      `--regid=${group}`,
      "--clear-groups",
      "/usr/bin/python3",
      SCRIPT,
      ...args,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = Date.now() + 20_000;
  while (!text.includes("\n") && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  reader.releaseLock();
  const match = /^ready (\d+) (-?\d+)\n/.exec(text);
  assert.ok(match, `workload ${args[0]} did not start: ${JSON.stringify(text)}`);
  return { pid: Number(match[1]), fd: Number(match[2]), child };
}

async function stop(started: readonly Started[]): Promise<void> {
  for (const { child } of started) {
    await child.stdin.close().catch(() => {});
    await child.stdout.cancel().catch(() => {});
    await child.status;
  }
}

/** A JSON report's rows. */
async function rows(args: string[]): Promise<Record<string, number | string>[]> {
  const outcome = await memsnapProcess([...args, "-P", PATTERN, "--format", "json"]);
  assert.equal(outcome.code, 0, outcome.stderr);
  return JSON.parse(outcome.stdout).rows;
}

/** A workload in a temporary directory that every user can read. */
async function withWorkload(
  body: (pids: { a1: number; a2: number; b: number }, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-exact-" });
  await Deno.chmod(dir, 0o755);
  const file = `${dir}/shared-file`;
  const bytes = new Uint8Array(16 * 1024 * 1024);
  for (let at = 0; at < bytes.length; at += 65536) {
    crypto.getRandomValues(bytes.subarray(at, at + 65536));
  }
  await Deno.writeFile(file, bytes, { mode: 0o644 });
  const started: Started[] = [];
  try {
    const a1 = await start("daemon", "daemon", ["a1", TAG, file]);
    started.push(a1);
    const a2 = await start("daemon", "daemon", ["a2", TAG, file, String(a1.pid), String(a1.fd)]);
    started.push(a2);
    const b = await start("nobody", "nogroup", ["b", TAG, file]);
    started.push(b);
    await body({ a1: a1.pid, a2: a2.pid, b: b.pid }, dir);
  } finally {
    await stop(started);
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("--exact counts a group's memory by frames: what A and B would free, beside USS and PSS", async () => {
  await withWorkload(async ({ a1, a2, b }) => {
    // Two reports, two moments: a page of a shared library becomes a process's own when
    // another process mapping it exits (other tests start and stop interpreters). The
    // group report is taken between two process reports that agree, and compared with
    // them within SLACK; within one report the numbers hold to the page.
    const processView = () => rows(["--exact", "-c", "pid uss pss rss unique"]);
    const ours = (list: Record<string, number | string>[]) =>
      JSON.stringify(list.filter((row) => [a1, a2, b].includes(row.pid as number)));
    let processes = await processView();
    let users: Record<string, number | string>[] = [];
    for (let tries = 0; tries < 5; tries++) {
      users = await rows(["-u", "--exact", "-c", "user count uss pss rss guss grss gshared"]);
      const again = await processView();
      const stable = ours(again) === ours(processes);
      processes = again;
      if (stable) break;
    }
    const A = users.find((row) => row.user === "daemon")!;
    const B = users.find((row) => row.user === "nobody")!;
    const byPid = new Map(processes.map((row) => [row.pid as number, row]));
    const [p1, p2, pb] = [byPid.get(a1)!, byPid.get(a2)!, byPid.get(b)!];
    assert.equal(A.count, 2);
    assert.equal(B.count, 1);
    const n = (value: number | string | undefined) => value as number;

    // Group A's own memory: each process's unique frames, plus what only A's two map —
    // the 64 MiB memfd, and no more than a few interpreter pages only they touched.
    const sharedInside = n(A.guss) - n(p1.unique) - n(p2.unique);
    assert.ok(sharedInside >= 64 * MIB_KB - SLACK, `shared only inside A: ${sharedInside} kB`);
    assert.ok(sharedInside <= 64 * MIB_KB + 512, `shared only inside A: ${sharedInside} kB`);
    // Each of A's processes: 32 MiB private, touched, beside its interpreter's own pages.
    for (const p of [p1, p2]) {
      assert.ok(n(p.unique) >= 32 * MIB_KB, `unique ${p.unique}`);
      // Unique by frames and smem's USS agree for a process that maps nothing twice.
      assert.ok(Math.abs(n(p.unique) - n(p.uss)) <= 64, `unique ${p.unique}, uss ${p.uss}`);
    }
    assert.ok(n(A.guss) >= (64 + 2 * 32) * MIB_KB);
    // The file is shared with B: in A's and B's "shared with others", in neither's group USS.
    assert.ok(n(A.gshared) >= 16 * MIB_KB, `A shares ${A.gshared} kB`);
    assert.ok(n(B.gshared) >= 16 * MIB_KB, `B shares ${B.gshared} kB`);
    assert.equal(n(A.grss), n(A.guss) + n(A.gshared));
    assert.equal(n(B.grss), n(B.guss) + n(B.gshared));
    // A group of one process: its group USS is its unique memory, to the page.
    assert.ok(Math.abs(n(B.guss) - n(pb.unique)) <= SLACK, `${B.guss} kB, ${pb.unique} kB`);
    assert.ok(n(B.guss) < 16 * MIB_KB, `B's own: ${B.guss} kB`);

    // The sum of USS misses the memfd (in both processes, so in neither's USS)...
    assert.ok(Math.abs(n(A.uss) - n(p1.uss) - n(p2.uss)) <= SLACK, `ΣUSS ${A.uss} kB`);
    assert.ok(n(A.guss) - n(A.uss) >= 64 * MIB_KB - 64, `GroupUSS ${A.guss}, ΣUSS ${A.uss}`);
    // ... and the sum of PSS counts a share of what others map too: at least A's
    // two thirds of the file, which A's exit would not free.
    assert.ok(
      n(A.pss) - n(A.guss) >= (2 * 16 * MIB_KB) / 3 - 64,
      `ΣPSS ${A.pss}, GroupUSS ${A.guss}`,
    );
  });
});

Deno.test("--exact without root: a one-line error; --exact=lower-bound never exceeds the exact numbers", async () => {
  await withWorkload(async (_pids, dir) => {
    const exact = await rows(["-u", "--exact", "-c", "user guss"]);
    const exactA = exact.find((row) => row.user === "daemon")!.guss as number;
    const [command, ...prefix] = memsnapCommand();
    // The runtime must be one daemon can run: /root is not open to it.
    let runtime = command!;
    if (runtime === Deno.execPath()) {
      runtime = `${dir}/deno`;
      await Deno.copyFile(Deno.execPath(), runtime);
      await Deno.chmod(runtime, 0o755);
    }
    await Deno.mkdir(`${dir}/home`, { mode: 0o777 });
    await Deno.chmod(`${dir}/home`, 0o777);
    const asDaemon = async (args: string[]) => {
      const output = await new Deno.Command("setpriv", {
        args: [
          "--reuid=daemon",
          "--regid=daemon",
          "--clear-groups",
          "env",
          `HOME=${dir}/home`,
          `DENO_DIR=${dir}/home/deno`,
          "DENO_NO_UPDATE_CHECK=1",
          runtime,
          ...(prefix.length > 0
            ? [prefix[0]!, prefix[1]!, "--node-modules-dir=manual", ...prefix.slice(2)]
            : []),
          ...args,
          "-P",
          PATTERN,
        ],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
        signal: AbortSignal.timeout(60_000),
      }).output();
      return {
        code: output.code,
        stdout: new TextDecoder().decode(output.stdout),
        stderr: new TextDecoder().decode(output.stderr),
      };
    };
    const refused = await asDaemon(["-u", "--exact"]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.equal(refused.stdout, "");
    assert.equal(
      refused.stderr.trim().split("\n").at(-1),
      "memsnap: --exact needs root (CAP_SYS_ADMIN) to read page frame numbers from /proc/PID/pagemap and /proc/kpagecount; --exact=lower-bound works without",
    );
    const lower = await asDaemon(["-u", "--exact=lower-bound", "--format", "json"]);
    assert.equal(lower.code, 0, lower.stderr);
    assert.match(
      lower.stderr,
      /^memsnap: GroupUSS and Unique are lower bounds \(--exact=lower-bound\)/m,
    );
    const rowsLower: Record<string, number | string>[] = JSON.parse(lower.stdout).rows;
    const lowerA = rowsLower.find((row) => row.user === "daemon")!;
    // Only GroupUSS is bounded; it counts each process's exclusive pages: at least
    // the 2 × 32 MiB private, never the memfd both map.
    assert.deepEqual(
      JSON.parse(lower.stdout).columns.map((column: { id: string }) => column.id).slice(-1),
      ["guss"],
    );
    const bound = lowerA.guss as number;
    assert.ok(bound >= 2 * 32 * MIB_KB, `lower bound ${bound} kB`);
    assert.ok(bound <= exactA, `lower bound ${bound} kB, exact ${exactA} kB`);
    assert.ok(
      exactA - bound >= 64 * MIB_KB - 2 * SLACK,
      `lower bound ${bound} kB, exact ${exactA} kB`,
    );
  });
});

Deno.test("--exact refuses a copy in one line: pages are read live only", async () => {
  const outcome = await memsnapProcess([
    "-u",
    "--exact",
    "-S",
    `${ROOT}fixtures/archives/v1-capture.tar.gz`,
  ]);
  assert.equal(outcome.code, 1);
  assert.equal(
    outcome.stderr,
    `memsnap: The exact columns read the live system's pages: "${ROOT}fixtures/archives/v1-capture.tar.gz" holds none\n`,
  );
  assert.equal(outcome.stdout, "");
});
