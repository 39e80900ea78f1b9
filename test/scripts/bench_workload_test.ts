import assert from "node:assert/strict";
import { isRunning, startWorkload } from "../../scripts/bench/workload.ts";
import { ROOT } from "../_helpers/memsnap.ts";

/** Waits until `done()` holds, checking every 50 ms; false if it never does in `limitMs`. */
async function eventually(done: () => boolean, limitMs = 10_000): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < limitMs;) {
    if (done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return done();
}

function owner(pid: number): number {
  return Deno.statSync(`/proc/${pid}`).uid ?? -1;
}

Deno.test("the benchmark's workload starts N processes under three users and stop() leaves none", async () => {
  const workload = await startWorkload(4);
  const all = [workload.pid, ...workload.children];
  try {
    assert.equal(workload.children.length, 4);
    assert.ok(all.every(isRunning));
    if (Deno.uid() === 0) {
      assert.deepEqual(workload.children.map(owner), [0, 60001, 60002, 0]);
    }
  } finally {
    await workload.stop();
  }
  assert.deepEqual(all.filter(isRunning), []);
});

Deno.test("the benchmark's workload ends when whatever started it is killed", async () => {
  // A stand-in for the benchmark: a shell that starts the workload, then is killed -9.
  const shell = new Deno.Command("sh", {
    args: ["-c", `python3 '${ROOT}scripts/bench_workload.py' --processes 2 & wait`],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = shell.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  const [word, ...pids] = text.trim().split(" ");
  assert.equal(word, "ready");
  assert.equal(pids.length, 3);
  shell.kill("SIGKILL");
  await shell.status;
  await reader.cancel();
  assert.ok(await eventually(() => !pids.map(Number).some(isRunning)), `left: ${pids}`);
});
