/**
 * capture --pages and what reads it (issue 18): a capture of the --exact
 * workload answers `-S FILE --exact` as the live system does, and `diff
 * --exact` of two such captures is the difference of their reports.
 */

import assert from "node:assert/strict";
import { memsnapProcess } from "../_helpers/memsnap.ts";
import { MIB_KB, PATTERN, rows, withWorkload } from "../_helpers/exact_workload.ts";

/** 16 pages, in kB: live and the capture are two moments (a library page may change hands). */
const PAGES_16 = 64;

async function capturePages(file: string): Promise<void> {
  const outcome = await memsnapProcess(["capture", "--pages", "--force", "-o", file]);
  assert.equal(outcome.code, 0, outcome.stderr);
  assert.match(
    outcome.stderr,
    /^memsnap: captured \d+ processes \(full detail, with pages\) into /m,
  );
}

const GROUP_COLUMNS = "user count uss pss rss guss grss gshared gswap";

Deno.test("capture --pages: -S FILE --exact gives the live exact numbers, per user and per process, within 16 pages", async () => {
  await withWorkload(async ({ a1, a2, b }, dir) => {
    const file = `${dir}/pages.tar.gz`;
    // Live and the capture are moments apart: a page of the interpreter becomes a group's
    // own when another python3 mapping it exits (other tests start and stop them). The
    // capture is taken between two live reports that agree, at most 5 times.
    const processColumns = ["--exact", "-c", "pid uss unique"];
    const liveReport = async () => ({
      users: await rows(["-u", "--exact", "-c", GROUP_COLUMNS]),
      processes: (await rows(processColumns)).filter((row) =>
        [a1, a2, b].includes(row.pid as number)
      ),
    });
    let live = await liveReport();
    for (let tries = 0; tries < 5; tries++) {
      await capturePages(file);
      const again = await liveReport();
      const stable = JSON.stringify(again) === JSON.stringify(live);
      live = again;
      if (stable) break;
    }
    const liveUsers = live.users;
    const storedUsers = await rows(["-S", file, "-u", "--exact", "-c", GROUP_COLUMNS]);
    for (const user of ["daemon", "nobody"]) {
      const now = liveUsers.find((row) => row.user === user)!;
      const then = storedUsers.find((row) => row.user === user)!;
      // PSS and USS are left out: they move with every process that maps a library the
      // workload maps (libc), which other tests start and stop; the exact columns do not.
      for (const column of ["guss", "grss", "gshared", "rss"]) {
        const gap = Math.abs((now[column] as number) - (then[column] as number));
        assert.ok(
          gap <= PAGES_16,
          `${user} ${column}: live ${now[column]}, stored ${then[column]}`,
        );
      }
      assert.equal(then.count, now.count);
    }
    // The stored numbers are the workload's: A's group USS holds the memfd and both privates.
    const A = storedUsers.find((row) => row.user === "daemon")!;
    assert.ok((A.guss as number) >= (64 + 2 * 32) * MIB_KB, `A's GroupUSS ${A.guss} kB`);
    const stored = await rows(["-S", file, ...processColumns]);
    for (const pid of [a1, a2, b]) {
      const [l, s] = [live.processes, stored].map((list) => list.find((row) => row.pid === pid)!);
      assert.ok(Math.abs((l!.unique as number) - (s!.unique as number)) <= PAGES_16, `${pid}`);
    }
    // The lower bound reads the same capture: its exclusive counts are stored too.
    const bound = await rows(["-S", file, "-u", "--exact=lower-bound", "-c", "user guss"]);
    const boundA = bound.find((row) => row.user === "daemon")!.guss as number;
    assert.ok(boundA >= 2 * 32 * MIB_KB && boundA <= (A.guss as number), `bound ${boundA} kB`);
  });
});

Deno.test("diff --exact of two captures: B gone, A's GroupUSS grows by the file they shared; the diff is its reports' difference", async () => {
  await withWorkload(async ({ b }, dir) => {
    const before = `${dir}/before.tar.gz`;
    const after = `${dir}/after.tar.gz`;
    await capturePages(before);
    Deno.kill(b, "SIGKILL");
    // Bounded: until the process is gone from /proc.
    for (let tries = 0; tries < 100; tries++) {
      try {
        await Deno.stat(`/proc/${b}/stat`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      } catch {
        break;
      }
    }
    await capturePages(after);
    const outcome = await memsnapProcess([
      "diff",
      before,
      after,
      "-u",
      "--exact",
      "-P",
      PATTERN,
      "--format",
      "json",
    ]);
    assert.equal(outcome.code, 0, outcome.stderr);
    interface DiffRow {
      key: string;
      status: string;
      metrics: Record<string, { a: number | null; b: number | null; change: number }>;
    }
    const diffRows: DiffRow[] = JSON.parse(outcome.stdout).rows;
    const report = (file: string) => rows(["-S", file, "-u", "--exact", "-c", GROUP_COLUMNS]);
    const [first, second] = [await report(before), await report(after)];
    const daemon = diffRows.find((row) => row.key === "daemon")!;
    assert.equal(daemon.status, "both");
    // Each exact metric of the diff is the two reports' numbers, exactly.
    const A0 = first.find((row) => row.user === "daemon")!;
    const A1 = second.find((row) => row.user === "daemon")!;
    for (const column of ["guss", "grss", "gshared", "gswap"]) {
      const metric = daemon.metrics[column]!;
      assert.deepEqual([metric.a, metric.b], [A0[column], A1[column]], column);
      assert.equal(metric.change, (A1[column] as number) - (A0[column] as number), column);
    }
    // With B gone, the file is A's alone: freed if A stops. (More may have become A's:
    // interpreter pages B, or python3s of other tests, shared with A.)
    const grew = daemon.metrics.guss!.change;
    assert.ok(grew >= 16 * MIB_KB - PAGES_16, `A's GroupUSS grew ${grew} kB`);
    assert.ok(daemon.metrics.gshared!.change <= -16 * MIB_KB + PAGES_16);
    const nobody = diffRows.find((row) => row.key === "nobody")!;
    assert.equal(nobody.status, "gone");
    assert.equal(nobody.metrics.guss!.a, first.find((row) => row.user === "nobody")!.guss);
  });
});

Deno.test("capture --pages refuses sampling, --from and a copy, in one line, before writing a file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-pages-" });
  try {
    const cases: [string[], number, string][] = [
      [
        ["--budget", "1s"],
        2,
        'memsnap capture: "--pages" stores every process\'s pages: it does not sample ("--budget", "--max-rss")\n',
      ],
      [
        ["--from", "http://127.0.0.1:9"],
        2,
        'memsnap capture: "--pages" reads this system\'s page frames: not with "--from"\n',
      ],
      [
        ["-S", "fixtures/captures/n8.tar.gz"],
        1,
        'memsnap: "--pages" reads the live system\'s page frames: "fixtures/captures/n8.tar.gz" is a copy\n',
      ],
    ];
    for (const [args, code, first] of cases) {
      const outcome = await memsnapProcess([
        "capture",
        "--pages",
        ...args,
        "-o",
        `${dir}/x.tar.gz`,
      ]);
      assert.equal(outcome.code, code, outcome.stderr);
      assert.equal(outcome.stderr.split("\n")[0] + "\n", first);
    }
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
