/** The process view's dirty, oom_score, cpu and gpu columns, against the raw /proc text. */

import assert from "node:assert/strict";
import { memsnap, memsnapProcess, ROOT } from "../_helpers/memsnap.ts";
import { unpackCapture } from "../_helpers/mirror.ts";

type Row = Record<string, number | string | null>;

async function rows(
  args: string[],
  run: (args: readonly string[]) => Promise<{ code: number; stdout: string; stderr: string }> =
    memsnap,
): Promise<Row[]> {
  const { code, stdout, stderr } = await run([...args, "--format", "json"]);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout).rows;
}

Deno.test("dirty, oom_score and cpu on the n8 capture equal its raw smaps, oom_score and stat", async () => {
  const dir = await unpackCapture(`${ROOT}fixtures/captures/n8.tar.gz`);
  try {
    const got = await rows(["-S", dir, "-c", "pid dirty oom_score cpu"]);
    assert.equal(got.length, 8);
    for (const row of got) {
      const base = `${dir}/proc/${row.pid}`;
      const smaps = await Deno.readTextFile(`${base}/smaps`);
      const dirty = [...smaps.matchAll(/^(?:Private|Shared)_Dirty:\s+(\d+) kB$/gm)]
        .reduce((a, m) => a + Number(m[1]), 0);
      const stat = (await Deno.readTextFile(`${base}/stat`)).split(") ")[1]!.split(" ");
      // proc(5): utime and stime are fields 14 and 15; the list starts at field 3.
      const cpu = Number(stat[14 - 3]) + Number(stat[15 - 3]);
      const oom = Number((await Deno.readTextFile(`${base}/oom_score`)).trim());
      assert.deepEqual(row, { pid: row.pid, dirty, oom_score: oom, cpu });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cpu prints seconds in the table, clock ticks in CSV", async () => {
  const args = ["-S", "fixtures/captures/n8.tar.gz", "-c", "pid cpu", "-P", "wl-memfd"];
  const table = await memsnap(args);
  const csv = await memsnap([...args, "--format", "csv"]);
  const ticks = Number(csv.stdout.split("\n")[1]!.split(",")[1]);
  assert.ok(ticks > 0);
  const seconds = `${Math.floor(ticks / 100)}.${String(ticks % 100).padStart(2, "0")}`;
  assert.match(table.stdout.split("\n")[1]!, new RegExp(` ${seconds.replace(".", "\\.")} $`));
});

Deno.test("memsnap -c 'pid gpu' sums each DRM client's resident memory once; none is unknown, not zero", async () => {
  const got = await rows(["-S", "fixtures/gpu", "-c", "pid gpu", "-s", "pid"], memsnapProcess);
  // fixtures/gpu/README.md: 262144 + 8192 + 0 (amdgpu, two fds, one client)
  // + 1024 + 2048 + 4 (msm: 1 MiB, 2048 KiB, 4096 bytes).
  assert.deepEqual(got, [
    { pid: 4100, gpu: 273412 },
    { pid: 4101, gpu: null },
    { pid: 4102, gpu: null },
  ]);
});

Deno.test("memsnap -c 'pid gpu' live on a machine without DRM clients: unknown for every process", async () => {
  const got = await rows(["-c", "pid gpu"], memsnapProcess);
  assert.ok(got.length > 0);
  const hasDri = await Deno.stat("/dev/dri").then(() => true, () => false);
  if (!hasDri) assert.deepEqual(got.filter((r) => r.gpu !== null), []);
});

Deno.test("memsnap -c 'pid oom_score cpu' live reads a process's oom_score and stat", async () => {
  const child = new Deno.Command("sleep", { args: ["313.25"] }).spawn();
  try {
    await Deno.writeTextFile(`/proc/${child.pid}/oom_score_adj`, "500");
    const got = await rows(
      ["-P", "sleep 313\\.25$", "-c", "pid oom_score cpu"],
      memsnapProcess,
    );
    const expected = Number((await Deno.readTextFile(`/proc/${child.pid}/oom_score`)).trim());
    assert.ok(expected >= 500);
    // Live, every row says how it was measured.
    assert.deepEqual(got, [{
      pid: child.pid,
      oom_score: expected,
      cpu: 0,
      provenance: "exact",
      age: 0,
    }]);
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
});
