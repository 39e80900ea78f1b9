/**
 * Starts and stops the benchmark's synthetic workload
 * (scripts/bench_workload.py): N processes that share memory as real systems
 * do. Only the processes it started are ever signalled, by pid.
 *
 * @module
 */

const SCRIPT = new URL("../bench_workload.py", import.meta.url).pathname;

/** A running workload. */
export interface Workload {
  /** The workload's parent, which started every child. */
  readonly pid: number;
  /** Its children, the N processes measured. */
  readonly children: readonly number[];
  /** Stops it: its parent kills and reaps the children; resolves when all are gone. */
  stop(): Promise<void>;
}

/**
 * Starts N processes and resolves once every one has set up its memory.
 *
 * @throws {Error} When the workload fails to start.
 */
export async function startWorkload(processes: number): Promise<Workload> {
  const child = new Deno.Command("python3", {
    args: [SCRIPT, "--processes", String(processes)],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const status = child.status;
  let line = "";
  try {
    line = await firstLine(child.stdout);
  } catch (error) {
    kill(child.pid, "SIGTERM");
    throw error;
  }
  const [word, parent, ...children] = line.split(" ");
  if (word !== "ready" || Number(parent) !== child.pid) {
    kill(child.pid, "SIGTERM");
    await status;
    throw new Error(`The workload did not start (it said "${line}")`);
  }
  let stopped: Promise<void> | undefined;
  return {
    pid: child.pid,
    children: children.map(Number),
    stop() {
      stopped ??= (async () => {
        kill(child.pid, "SIGTERM");
        await status;
        // The parent reaps its children before it exits; make sure.
        for (const pid of children) kill(Number(pid), "SIGKILL");
      })();
      return stopped;
    },
  };
}

/** Whether a process is still there (a zombie counts as gone). */
export function isRunning(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

function kill(pid: number, signal: Deno.Signal): void {
  if (!isRunning(pid)) return;
  try {
    Deno.kill(pid, signal);
  } catch {
    // Exited meanwhile.
  }
}

async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (text.includes("\n")) break;
  }
  // Nothing more comes; let go of the pipe.
  reader.cancel().catch(() => {});
  return text.split("\n")[0]!.trim();
}

/** One process with GIB GiB resident (a bytearray), once it is; its command line says `bytearray`. */
export async function startResidentProcess(
  gib: number,
): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = new Deno.Command("python3", {
    args: [
      "-c",
      "import sys, time; b = bytearray(int(sys.argv[1]) << 30); print('ready', flush=True); time.sleep(3600)",
      String(gib),
    ],
    stdout: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  await reader.read();
  reader.releaseLock();
  return {
    pid: child.pid,
    async stop() {
      child.kill("SIGKILL");
      await child.status;
      await child.stdout.cancel().catch(() => {});
    },
  };
}
