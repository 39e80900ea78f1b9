/**
 * Remote capture, pulled: `memsnap serve` answers /api/v1/capture, and
 * `capture --from` / `record --from` write files of the local formats, with
 * the device's metadata. Faults injected by the test: a proxy on loopback
 * that cuts a connection mid-snapshot, the server killed with SIGKILL and
 * restarted. Numbers exact against the serving side's report of the same
 * sample (a fixed capture, served with -S). Loopback only; every wait bounded.
 */

import assert from "node:assert/strict";
import { memsnapCommand, memsnapProcess, ROOT } from "../_helpers/memsnap.ts";
import { connect, createServer, type Socket } from "node:net";
import { serve } from "../_helpers/serve.ts";
import { cuttingProxy } from "../_helpers/cutting_proxy.ts";
import { selfSignedCertificate } from "../_helpers/tls.ts";
import { deviceCapture as fromHost } from "../_helpers/device_capture.ts";

const HOST = "board-7";
const deviceCapture = (dir: string) => fromHost(dir, HOST);

/** A device on loopback: `memsnap serve` of a capture naming HOST, and a directory; both go after. */
async function withDevice(
  body: (server: Awaited<ReturnType<typeof serve>>, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  const server = await serve(["-S", await deviceCapture(dir), "--interval", "1h"]);
  try {
    await body(server, dir);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

async function ok(args: string[], options: { killAfterMs?: number } = {}) {
  const outcome = await memsnapProcess(args, { killAfterMs: options.killAfterMs ?? 60_000 });
  assert.equal(outcome.code, 0, `memsnap ${args.join(" ")}: ${outcome.stderr}`);
  return outcome;
}

/**
 * A report's JSON without the source's label (a file's name here, a sample
 * there) nor, for the system view, the detail it read (serve's samples hold
 * every view's data, so say `full`; `-w` reads only what it needs).
 */
async function report(source: string, view = "users") {
  const flag = { users: "-u", processes: "-p", mappings: "-m", system: "-w" }[view]!;
  const args = view === "processes" ? ["-S", source] : ["-S", source, flag];
  const doc = JSON.parse((await ok([...args, "--format", "json"])).stdout);
  delete doc.source;
  if (view === "system") delete doc.detail;
  return doc;
}

async function served(url: string, view = "users") {
  const response = await fetch(`${url}/api/v1/report?view=${view}`);
  assert.equal(response.status, 200);
  const doc = await response.json();
  delete doc.source;
  if (view === "system") delete doc.detail;
  return doc;
}

async function listJson(file: string) {
  return JSON.parse((await ok(["list", file, "--format", "json"])).stdout);
}

Deno.test("pull: capture --from is the device's capture: same numbers as its report, its host and time", async () => {
  await withDevice(async (server, dir) => {
    const out = `${dir}/pulled.tar.gz`;
    const outcome = await ok(["capture", "--from", server.url, "-o", out]);
    assert.match(outcome.stderr, /captured 8 processes \(full detail\) of board-7 from/);
    for (const view of ["users", "processes", "mappings", "system"]) {
      assert.deepEqual(await report(out, view), await served(server.url, view), view);
    }
    const meta = JSON.parse(new TextDecoder().decode(
      (await new Deno.Command("tar", { args: ["-xzOf", out, "memsnap.json"], stdout: "piped" })
        .output()).stdout,
    ));
    assert.equal(meta.hostname, HOST);
    assert.equal(meta.takenAt, "2026-12-01T08:00:00.000Z");
    // Rollup detail: smaps_rollup only.
    const rollup = `${dir}/rollup.tar.gz`;
    await ok(["capture", "--from", server.url, "-o", rollup, "--detail", "rollup"]);
    const names = new TextDecoder().decode(
      (await new Deno.Command("tar", { args: ["-tzf", rollup], stdout: "piped" }).output()).stdout,
    );
    assert.match(names, /\/smaps_rollup\n/);
    assert.doesNotMatch(names, /\/smaps\n/);
  });
});

Deno.test("pull over https: --ca-file trusts the device's own certificate; without it the pull is refused in one line, nothing written", async () => {
  const dir = await Deno.makeTempDir();
  const { cert, key } = await selfSignedCertificate(dir);
  const device = await deviceCapture(dir);
  const server = await serve([
    "-S",
    device,
    "--interval",
    "1h",
    "--tls-cert",
    cert,
    "--tls-key",
    key,
  ]);
  try {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const out = `${dir}/pulled.tar.gz`;
    await ok(["capture", "--from", server.url, "--ca-file", cert, "-o", out]);
    assert.deepEqual(await report(out), await report(device));
    const rec = `${dir}/pulled.rec`;
    await ok([
      "record",
      "--from",
      server.url,
      "--ca-file",
      cert,
      "-o",
      rec,
      "-i",
      "300ms",
      "--count",
      "2",
    ]);
    assert.equal((await listJson(rec)).snapshots.length, 2);
    // The system's authorities do not know the device's certificate.
    const refused = await memsnapProcess(
      ["capture", "--from", server.url, "-o", `${dir}/refused.tar.gz`],
      { killAfterMs: 60_000 },
    );
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /^memsnap: [^\n]*cannot reach https:\/\/127\.0\.0\.1:\d+: /);
    assert.equal(refused.stderr.trim().split("\n").length, 1, refused.stderr);
    const usage: [string[], RegExp][] = [
      [
        ["--from", "http://127.0.0.1:9", "--ca-file", cert],
        /"--ca-file" applies to https:\/\/ URLs/,
      ],
      [["--from", server.url, "--ca-file", key], /holds no PEM certificate/],
      [["--ca-file", cert], /Option "--ca-file" applies to a pull: add "--from URL"/],
      [["--token-file", cert], /Option "--token-file" applies to a pull: add "--from URL"/],
    ];
    for (const [args, message] of usage) {
      const outcome = await memsnapProcess(["capture", ...args, "-o", `${dir}/refused.tar.gz`]);
      assert.equal(outcome.code, 2, outcome.stderr);
      assert.match(outcome.stderr, message);
    }
    const left = [...Deno.readDirSync(dir)].map((entry) => entry.name);
    assert.equal(left.some((name) => name.startsWith("refused")), false, left.join(" "));
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pull: record --from writes a recording every command reads, each snapshot the served sample's numbers", async () => {
  await withDevice(async (server, dir) => {
    const rec = `${dir}/board.rec`;
    await ok([
      "record",
      "--from",
      server.url,
      "-o",
      rec,
      "-n",
      "3",
      "-i",
      "200ms",
      "--detail",
      "full",
    ]);
    const list = await listJson(rec);
    assert.equal(list.recording.hostname, HOST);
    assert.equal(list.recording.from, server.url);
    assert.equal(list.end.snapshots, 3);
    assert.equal(list.end.missed, 0);
    assert.deepEqual(list.snapshots.map((s: { index: number }) => s.index), [0, 1, 2]);
    assert.ok(list.snapshots.every((s: { gap?: unknown }) => s.gap === undefined));
    for (const at of [0, 2]) {
      assert.deepEqual(await report(`${rec}@${at}`), await served(server.url), `@${at}`);
    }
    assert.deepEqual(await report(`${rec}@1`, "processes"), await served(server.url, "processes"));
    const diff = await ok(["diff", `${rec}@0`, `${rec}@2`, "-u", "--format", "json"]);
    assert.ok(JSON.parse(diff.stdout).rows.length > 0);
    await ok(["chart", rec, "-o", `${dir}/board.svg`]);
    assert.match(await Deno.readTextFile(`${dir}/board.svg`), /<svg/);
  });
});

interface Listed {
  recording: { hostname: string };
  end: { snapshots: number; missed: number } | null;
  snapshots: { index: number; gap?: { missed: number; reason: string } }[];
}

/** Every snapshot of a pulled recording: the served sample's numbers, exactly. */
async function everySnapshotIsTheServed(rec: string, list: Listed, expected: unknown) {
  assert.ok(list.snapshots.length > 0);
  for (const { index } of list.snapshots) {
    assert.deepEqual(await report(`${rec}@${index}`), expected, `@${index}`);
  }
}

Deno.test("faults: a connection cut mid-snapshot: the partial one discarded and said, its slot a gap, every complete one kept", async () => {
  const dir = await Deno.makeTempDir();
  const server = await serve(["-S", await deviceCapture(dir), "--interval", "1h"]);
  // The second capture's answer is cut after 4 000 bytes (of ~27 kB).
  const proxy = await cuttingProxy(server.port, {
    request: "GET /api/v1/capture",
    cut: 2,
    after: 4000,
    side: "answer",
  });
  try {
    const expected = await served(server.url);
    const rec = `${dir}/board.rec`;
    const outcome = await ok([
      "record",
      "--from",
      proxy.url,
      "-o",
      rec,
      "-n",
      "4",
      "-i",
      "1s",
      "--detail",
      "full",
    ]);
    assert.equal(outcome.stderr.match(/discarded, incomplete/g)?.length, 1, outcome.stderr);
    assert.match(
      outcome.stderr,
      /recorded 3 snapshots .*; 1 scheduled snapshot not pulled \(1 cut short, discarded\)/,
    );
    const list: Listed = await listJson(rec);
    assert.equal(list.end!.snapshots, 3);
    assert.equal(list.end!.missed, 1);
    assert.deepEqual(list.snapshots.map((s) => s.gap?.missed ?? 0), [0, 1, 0]);
    assert.match(list.snapshots[1]!.gap!.reason, /lost after \d+ bytes of a snapshot|cut short/);
    assert.equal(proxy.requests(), 4);
    await everySnapshotIsTheServed(rec, list, expected);
    const table = await ok(["list", rec]);
    assert.match(table.stdout, /Missed\n/);
    assert.match(table.stderr, /1 scheduled snapshot missing before snapshot 1: /);
  } finally {
    await proxy.close();
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("faults: the server killed (SIGKILL) and restarted: the puller retries, records the gap, resumes; slots = snapshots + missed", async () => {
  const dir = await Deno.makeTempDir();
  const capture = await deviceCapture(dir);
  let server = await serve(["-S", capture, "--interval", "1h"]);
  const { port } = server;
  try {
    const expected = await served(server.url);
    const rec = `${dir}/board.rec`;
    const pulling = memsnapProcess([
      "record",
      "--from",
      server.url,
      "-o",
      rec,
      "-n",
      "9",
      "-i",
      "1s",
      "--detail",
      "full",
    ], { killAfterMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    assert.equal(await server.stop("SIGKILL"), 137);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    server = await serve(["-S", capture, "--interval", "1h"], `127.0.0.1:${port}`);
    const outcome = await pulling;
    assert.equal(outcome.code, 0, outcome.stderr);
    const list: Listed = await listJson(rec);
    const gaps = list.snapshots.map((s) => s.gap?.missed ?? 0);
    assert.equal(list.end!.snapshots + list.end!.missed, 9, JSON.stringify(list.end));
    assert.equal(gaps.reduce((a, b) => a + b, 0), list.end!.missed);
    // Those before the kill, a gap, and snapshots after the restart.
    const resumed = gaps.findIndex((g) => g > 0);
    assert.ok(resumed >= 2 && resumed < list.snapshots.length, JSON.stringify(gaps));
    assert.match(list.snapshots[resumed]!.gap!.reason, /cannot reach/);
    await everySnapshotIsTheServed(rec, list, expected);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("faults: the puller killed (SIGKILL): every snapshot written before is kept", async () => {
  await withDevice(async (server, dir) => {
    const expected = await served(server.url);
    const rec = `${dir}/board.rec`;
    const [command, ...prefix] = (await import("../_helpers/memsnap.ts")).memsnapCommand();
    const child = new Deno.Command(command!, {
      args: [
        ...prefix,
        "record",
        "--from",
        server.url,
        "-o",
        rec,
        "-i",
        "300ms",
        "--detail",
        "full",
      ],
      cwd: ROOT,
      stdout: "null",
      stderr: "null",
    }).spawn();
    // Bounded: until three snapshots are on disk.
    const deadline = Date.now() + 30_000;
    for (;;) {
      assert.ok(Date.now() < deadline, "no three snapshots within 30 s");
      await new Promise((resolve) => setTimeout(resolve, 300));
      const listed = await memsnapProcess(["list", rec, "--format", "json"]);
      if (listed.code === 0 && JSON.parse(listed.stdout).snapshots.length >= 3) break;
    }
    child.kill("SIGKILL");
    await child.status;
    const listed = await memsnapProcess(["list", rec, "--format", "json"]);
    assert.equal(listed.code, 0, listed.stderr);
    const list: Listed = JSON.parse(listed.stdout);
    assert.equal(list.end, null);
    assert.ok(list.snapshots.length >= 3);
    assert.match(listed.stderr, /cut short/);
    await everySnapshotIsTheServed(rec, list, expected);
  });
});

Deno.test("faults: record --from stopped (SIGINT) while a pull hangs: it ends at once, the recording whole", async () => {
  const dir = await Deno.makeTempDir();
  const server = await serve(["-S", await deviceCapture(dir), "--interval", "1h"]);
  // Passes the first request on; every later one is taken and never answered (on its
  // connection or a new one: the puller keeps its connection alive).
  let requests = 0;
  const held = new Set<Socket>();
  const stalling = createServer((client) => {
    held.add(client);
    client.on("error", () => {});
    const upstream = connect(server.port, "127.0.0.1");
    held.add(upstream);
    upstream.on("error", () => client.destroy());
    upstream.pipe(client);
    client.on("data", (chunk: Uint8Array) => {
      requests += new TextDecoder().decode(chunk).split("GET /api/v1/capture").length - 1;
      if (requests <= 1) upstream.write(chunk);
    });
  });
  await new Promise<void>((resolve) => stalling.listen(0, "127.0.0.1", resolve));
  const { port } = stalling.address() as { port: number };
  try {
    const rec = `${dir}/board.rec`;
    const [command, ...prefix] = memsnapCommand();
    const child = new Deno.Command(command!, {
      args: [...prefix, "record", "--from", `http://127.0.0.1:${port}`, "-o", rec, "-i", "300ms"],
      cwd: ROOT,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Bounded: until the second pull hangs (a request the proxy holds).
    for (let tries = 0; tries < 300 && requests < 2; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(requests >= 2, "no second pull within 30 s");
    const stoppedAt = Date.now();
    child.kill("SIGINT");
    const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    const { code, stderr } = await child.output();
    clearTimeout(killer);
    const took = Date.now() - stoppedAt;
    // The pull in flight (its timeout is 120 s) does not hold the stop.
    assert.ok(took < 10_000, `stopped after ${took} ms`);
    // Ctrl-C is how a recording without --count ends: a success, said.
    const said = new TextDecoder().decode(stderr);
    assert.equal(code, 0, said);
    assert.match(said, /^memsnap: recorded 1 snapshot from http:\/\/127\.0\.0\.1:\d+ into /m);
    const list: Listed = await listJson(rec);
    assert.equal(list.snapshots.length, 1);
    assert.deepEqual(list.end, { ...list.end!, snapshots: 1, missed: 0 });
  } finally {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => stalling.close(resolve));
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pull: /api/v1/stream sends a recording as snapshots are taken; saved, it reads like one recorded on the device", async () => {
  await withDevice(async (server, dir) => {
    const expected = await served(server.url);
    const response = await fetch(`${server.url}/api/v1/stream?interval=1s&count=3&detail=full`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/gzip");
    const rec = `${dir}/streamed.rec`;
    await Deno.writeFile(rec, new Uint8Array(await response.arrayBuffer()));
    const list: Listed = await listJson(rec);
    assert.equal(list.recording.hostname, HOST);
    assert.deepEqual(list.end?.snapshots, 3);
    assert.deepEqual(list.snapshots.map((s) => s.index), [0, 1, 2]);
    await everySnapshotIsTheServed(rec, list, expected);
    for (const bad of ["interval=100ms", "interval=soon", "count=0", "detail=some"]) {
      const refused = await fetch(`${server.url}/api/v1/stream?${bad}`);
      assert.equal(refused.status, 400, bad);
      await refused.body?.cancel();
    }
  });
});
