/**
 * `memsnap top -b` on the live system: -n 2 prints two refreshes, each a
 * report that holds the process the test started (filtered to it, so the
 * machine's other processes do not matter), then exits 0.
 */

import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { memsnapProcess, ROOT } from "../_helpers/memsnap.ts";

const LINE = /^memsnap top: refresh (\d+) of 2 at (\S+), read in \d+ ms$/;

Deno.test("top -b -n 2 -d 300ms, live: two refreshes of the test's own process, each its report", async () => {
  // A marker no other process's command line holds.
  const marker = `memsnap-top-live-${crypto.randomUUID().slice(0, 8)}`;
  const child = new Deno.Command("python3", {
    args: [
      "-c",
      "import sys, time; b = bytearray(16 << 20); print('ready', flush=True); time.sleep(60)",
      marker,
    ],
    stdout: "piped",
  }).spawn();
  try {
    const reader = child.stdout.getReader();
    const { value } = await reader.read();
    match(new TextDecoder().decode(value), /ready/);
    reader.releaseLock();
    const outcome = await memsnapProcess([
      "top",
      "-b",
      "-n",
      "2",
      "-d",
      "300ms",
      "-P",
      // "[m]": the pattern matches the test process's command line, not memsnap's own.
      `[m]${marker.slice(1)}`,
      "-c",
      "pid rss",
      "--no-header",
    ]);
    strictEqual(outcome.code, 0, outcome.stderr);
    const lines = outcome.stdout.trimEnd().split("\n");
    const refreshes = lines.flatMap((line, i) => LINE.test(line) ? [i] : []);
    deepStrictEqual(refreshes.map((i) => LINE.exec(lines[i]!)![1]), ["1", "2"]);
    // Each refresh is one row: the test's process, its 16 MiB bytearray resident.
    for (const [k, start] of refreshes.entries()) {
      const body = lines.slice(start + 1, refreshes[k + 1] ?? lines.length);
      strictEqual(body.length, 1, body.join("\n"));
      const [pid, rss] = body[0]!.trim().split(/\s+/);
      strictEqual(Number(pid), child.pid);
      ok(Number(rss) >= 16 * 1024, `rss ${rss} kB`);
    }
    // The second refresh is a slot later than the first.
    const [a, b] = refreshes.map((i) => Date.parse(LINE.exec(lines[i]!)![2]!));
    ok(b! - a! >= 250, `${a} then ${b}`);
  } finally {
    child.kill("SIGKILL");
    await child.status;
    await child.stdout.cancel().catch(() => {});
  }
});

Deno.test("top -b: --refresh limits sampling the live system; with -S it is a usage error", async () => {
  const outcome = await memsnapProcess([
    "top",
    "-b",
    "-S",
    `${ROOT}fixtures/captures/n8.tar.gz`,
    "--refresh",
    "10s",
  ]);
  strictEqual(outcome.code, 2);
  match(outcome.stderr, /Option "--refresh" limits what sampling the live system costs/);
  strictEqual(outcome.stdout, "");
});
