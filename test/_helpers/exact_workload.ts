/**
 * The workload of the --exact tests, with known sharing (issue 18): group A
 * (user daemon) = two processes sharing a 64 MiB memfd only between
 * themselves, each with 32 MiB private; group B (user nobody) = one process
 * mapping a 16 MiB file that A's processes map too (exact_workload.py).
 */

import assert from "node:assert/strict";
import { memsnapProcess, ROOT } from "./memsnap.ts";

export const MIB_KB = 1024;
/** kB two reports of the same processes may differ by (16 pages of shared libraries). */
export const SLACK = 64;
const SCRIPT = `${ROOT}test/_helpers/exact_workload.py`;
// This run's processes: their command lines, not memsnap's own (which holds the pattern's text).
const TAG = `t${crypto.randomUUID().slice(0, 8)}`;
export const PATTERN = `exact_workload[.]py [ab][12]? ${TAG} `;

interface Started {
  readonly pid: number;
  readonly fd: number;
  readonly child: Deno.ChildProcess;
}

/**
 * Starts one process of the workload as `user` with the workload's own
 * python, and waits for "ready PID FD".
 */
async function start(
  python: string,
  user: string,
  group: string,
  args: string[],
): Promise<Started> {
  const child = new Deno.Command("setpriv", {
    args: [
      `--reuid=${user}`,
      `--regid=${group}`,
      "--clear-groups",
      "env",
      "PYTHONHOME=/usr",
      python,
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

/** A JSON report's rows, of this run's workload only. */
export async function rows(args: string[]): Promise<Record<string, number | string>[]> {
  const outcome = await memsnapProcess([...args, "-P", PATTERN, "--format", "json"]);
  assert.equal(outcome.code, 0, outcome.stderr);
  return JSON.parse(outcome.stdout).rows;
}

/** A workload in a temporary directory that every user can read. */
export async function withWorkload(
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
  // A copy of Debian's python3 that only the workload runs: its interpreter pages are then
  // shared with no process outside it, so python3s that other tests start and stop
  // meanwhile (smem, the other --exact tests) do not move them between "own" and "shared"
  // (they did, by 50 pages, between a live report and a capture of the same moment).
  const python = `${dir}/python3`;
  await Deno.copyFile(await Deno.realPath("/usr/bin/python3"), python);
  await Deno.chmod(python, 0o755);
  const started: Started[] = [];
  try {
    const a1 = await start(python, "daemon", "daemon", ["a1", TAG, file]);
    started.push(a1);
    const a2 = await start(python, "daemon", "daemon", [
      "a2",
      TAG,
      file,
      String(a1.pid),
      String(a1.fd),
    ]);
    started.push(a2);
    const b = await start(python, "nobody", "nogroup", ["b", TAG, file]);
    started.push(b);
    await body({ a1: a1.pid, a2: a2.pid, b: b.pid }, dir);
  } finally {
    await stop(started);
    await Deno.remove(dir, { recursive: true });
  }
}
