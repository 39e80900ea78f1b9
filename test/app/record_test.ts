/** startRecording(): snapshots as events, ended by its schedule, its workload or stop(). */

import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { listSnapshots } from "../../src/app/list.ts";
import { exitCodeOf, type Recording, startRecording } from "../../src/app/record.ts";
import { ROOT } from "../_helpers/memsnap.ts";

const N8 = `${ROOT}fixtures/captures/n8.tar.gz`;

async function drain(recording: Recording, onEvent: (index: number) => void = () => {}) {
  for (let next = await recording.snapshots.next();; next = await recording.snapshots.next()) {
    if (next.done) return next.value;
    onEvent(next.value.index);
  }
}

async function withFile(run: (file: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-app-record-" });
  try {
    await run(`${dir}/r.tar.gz`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const QUERY = {
  force: false,
  source: N8,
  intervalMs: 20,
  // n8's smaps, summed as smem sums them (its rollups differ by a few kB).
  detail: "full",
  tree: false,
  command: null,
} as const;

Deno.test("startRecording() ends after --count snapshots, one event each", () =>
  withFile(async (output) => {
    const events: number[] = [];
    const result = await drain(await startRecording({ ...QUERY, output, count: 3 }), (i) => {
      events.push(i);
    });
    deepStrictEqual(events, [0, 1, 2]);
    deepStrictEqual([result.snapshots, result.stoppedBy, result.exitStatus], [3, "count", null]);
    const list = await listSnapshots(output);
    deepStrictEqual([list.snapshots.length, list.end?.stoppedBy], [3, "count"]);
    strictEqual(list.snapshots[0]!.pss, 125742);
  }));

Deno.test("startRecording() ends cleanly when stopped, with what it took", () =>
  withFile(async (output) => {
    const recording = await startRecording({ ...QUERY, output });
    const result = await drain(recording, (index) => {
      if (index === 1) recording.stop();
    });
    deepStrictEqual([result.snapshots, result.stoppedBy], [2, "signal"]);
    deepStrictEqual((await listSnapshots(output)).end?.snapshots, 2);
  }));

Deno.test("startRecording() with a workload ends when it exits, with its status", () =>
  withFile(async (output) => {
    const recording = await startRecording({
      ...QUERY,
      output,
      command: ["sh", "-c", "sleep 0.1; exit 7"],
    });
    const result = await drain(recording);
    deepStrictEqual([result.stoppedBy, result.exitStatus], ["command", { code: 7, signal: null }]);
    strictEqual(exitCodeOf(result.exitStatus), 7);
    strictEqual(exitCodeOf({ code: null, signal: "SIGTERM" }), 143);
  }));
