/**
 * What remote capture costs (docs/remote.md): bytes on the wire per
 * snapshot, pulled (/api/v1/capture, /api/v1/stream) and pushed (the
 * capture script's archive, the body it POSTs), against the sizes of the
 * same snapshots written locally (capture, record); and the device's CPU
 * per snapshot: memsnap serve answering a capture, and the capture script
 * (under BusyBox) writing one. Rollup and full detail; the machine's own
 * processes, then with a 20-process and a 1000-process workload beside them.
 *
 * Usage: deno run -A scripts/bench/remote.ts [--memsnap dist/memsnap] [--small 20] [--workload 1000]
 *
 * Every walk is let through (--budget 1h), so that the device's snapshots
 * and the local ones hold the same processes, walked.
 *
 * @module
 */

import { connect } from "node:net";
import { serve } from "../../test/_helpers/serve.ts";
import { startWorkload } from "./workload.ts";

const args = Deno.args;
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1]!;
};
const MEMSNAP = option("--memsnap", "dist/memsnap");
const WORKLOAD = Number(option("--workload", "1000"));
const SMALL = Number(option("--small", "20"));
const RUNS = 3;
const work = await Deno.makeTempDir({ prefix: "memsnap-bench-remote-" });
const CLK_TCK = 100;

async function run(command: string, argv: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(command, { args: argv, env, stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`${command} ${argv.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/** Every byte an HTTP GET receives (head and body), over a raw socket. */
function wireBytes(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let bytes = 0;
    socket.on("data", (chunk) => bytes += chunk.length);
    socket.on("error", reject);
    socket.on("close", () => resolve(bytes));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n`);
  });
}

/** A process's user + system CPU seconds so far. */
async function cpuOf(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** memsnap serve on the live system, every walk let through. */
const startServe = () => serve(["--interval", "1h", "--budget", "1h"], "127.0.0.1:0", [MEMSNAP]);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

interface Row {
  scene: string;
  detail: string;
  processes: number;
  captureWire: number;
  streamWire: number;
  pushBody: number;
  localCapture: number;
  localRecordPerSnapshot: number;
  serveCpu: number;
  scriptCpu: number;
}

async function scene(name: string): Promise<Row[]> {
  const rows: Row[] = [];
  const script = `${work}/capture.sh`;
  await Deno.writeTextFile(script, await run(MEMSNAP, ["capture-script"]));
  const served = await startServe();
  try {
    for (const detail of ["rollup", "full"]) {
      // Pulled: one capture, as many times; the server's CPU over them.
      const before = await cpuOf(served.child.pid);
      const wires: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        wires.push(await wireBytes(served.port, `/api/v1/capture?detail=${detail}`));
      }
      const serveCpu = (await cpuOf(served.child.pid) - before) / RUNS;
      const stream = await wireBytes(
        served.port,
        `/api/v1/stream?interval=1s&count=${RUNS}&detail=${detail}`,
      );
      // Local: a capture, and a recording of RUNS snapshots (its head and end members included).
      const local = `${work}/local-${detail}.tar.gz`;
      await run(MEMSNAP, [
        "capture",
        "--force",
        "--detail",
        detail,
        "--budget",
        "1h",
        "-o",
        local,
      ]);
      const rec = `${work}/local-${detail}.rec`;
      await run(MEMSNAP, [
        "record",
        "-q",
        "--force",
        "--detail",
        detail,
        "--budget",
        "1h",
        "-i",
        "1s",
        "-n",
        String(RUNS),
        "-o",
        rec,
      ]);
      const listed = JSON.parse(await run(MEMSNAP, ["list", "--format", "json", local]));
      // Pushed: the script's archive is the POST's body; its CPU, tar and gzip included.
      const pushed = `${work}/pushed-${detail}.tar.gz`;
      const timed = await run("/usr/bin/time", [
        "-f",
        "%U %S",
        "-o",
        `${work}/time`,
        "busybox",
        "sh",
        script,
        "-d",
        detail,
        "-o",
        pushed,
      ], { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", TMPDIR: work });
      void timed;
      const [user, sys] = (await Deno.readTextFile(`${work}/time`)).trim().split("\n").at(-1)!
        .split(" ").map(Number);
      rows.push({
        scene: name,
        detail,
        processes: listed.snapshots[0].processes,
        captureWire: median(wires),
        streamWire: stream / RUNS,
        pushBody: (await Deno.stat(pushed)).size,
        localCapture: (await Deno.stat(local)).size,
        localRecordPerSnapshot: (await Deno.stat(rec)).size / RUNS,
        serveCpu,
        scriptCpu: user! + sys!,
      });
    }
  } finally {
    await served.stop();
  }
  return rows;
}

const rows = await scene("this machine");
for (const size of [SMALL, WORKLOAD]) {
  if (size <= 0) continue;
  const workload = await startWorkload(size);
  try {
    rows.push(...await scene(`+ ${size}-process workload`));
  } finally {
    await workload.stop();
  }
}
await Deno.remove(work, { recursive: true });

console.log(
  "| processes | detail | pulled: /api/v1/capture (wire) | pulled: /api/v1/stream per snapshot (wire) | pushed: script's body | local capture | local recording per snapshot | serve CPU per capture | script CPU per snapshot |",
);
console.log("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const r of rows) {
  console.log(
    `| ${r.processes} (${r.scene}) | ${r.detail} | ${kib(r.captureWire)} (${
      (r.captureWire / r.localCapture).toFixed(3)
    } × local) | ${kib(r.streamWire)} | ${kib(r.pushBody)} | ${kib(r.localCapture)} | ${
      kib(r.localRecordPerSnapshot)
    } | ${r.serveCpu.toFixed(3)} s | ${r.scriptCpu.toFixed(3)} s |`,
  );
}
