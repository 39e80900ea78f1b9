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
import { MIB_KB, PATTERN, rows, SLACK, withWorkload } from "../_helpers/exact_workload.ts";

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

Deno.test("--exact and capture --pages without root: a one-line error; --exact=lower-bound never exceeds the exact numbers", async () => {
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
    const asDaemon = async (args: string[], only = ["-P", PATTERN]) => {
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
          ...only,
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
    const capture = await asDaemon(["capture", "--pages", "-o", `${dir}/home/pages.tar.gz`], []);
    assert.equal(capture.code, 1, capture.stderr);
    assert.equal(
      capture.stderr,
      "memsnap: capture --pages needs root (CAP_SYS_ADMIN) to read page frame numbers from /proc/PID/pagemap and /proc/kpagecount\n",
    );
    // Refused before a byte is written: no file, not even a temporary one.
    assert.deepEqual(
      [...Deno.readDirSync(`${dir}/home`)].map((e) => e.name).filter((n) => n.includes("pages")),
      [],
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

Deno.test("--exact refuses a copy without pages in one line, and a recording in diff", async () => {
  const capture = `${ROOT}fixtures/archives/v1-capture.tar.gz`;
  const outcome = await memsnapProcess(["-u", "--exact", "-S", capture]);
  assert.equal(outcome.code, 1);
  assert.equal(
    outcome.stderr,
    `memsnap: The exact columns count pages: "${capture}" holds none (take it with "memsnap capture --pages", as root)\n`,
  );
  assert.equal(outcome.stdout, "");
  const diffed = await memsnapProcess(["diff", capture, capture, "-u", "--exact"]);
  assert.equal(diffed.code, 1);
  assert.match(diffed.stderr, /holds none \(take it with "memsnap capture --pages", as root\)\n$/);
  const recording = await memsnapProcess([
    "diff",
    `${ROOT}fixtures/charts/workload.tar.gz`,
    "-u",
    "--exact",
  ]);
  assert.equal(recording.code, 1);
  assert.equal(
    recording.stderr,
    `memsnap: The exact columns count pages, which a recording's snapshots do not hold: diff two captures taken with "memsnap capture --pages" (or one and live)\n`,
  );
});
