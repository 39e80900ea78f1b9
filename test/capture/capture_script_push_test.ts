/**
 * The capture script's push mode under BusyBox (sh, tar, gzip, nc, sleep:
 * busybox applets only) to `memsnap serve --receive`: snapshots arrive in
 * order in the host's recording with the numbers of the capture they were
 * taken from; with the receiver away they wait in the bounded spool and
 * are sent, oldest first, when it is back; a push cut mid-body (a proxy on
 * loopback) or lost to a receiver killed with SIGKILL is sent again, and
 * arrives once. Loopback only.
 */

import assert from "node:assert/strict";
import { busyboxPath, printedScript, runScript } from "../_helpers/busybox.ts";
import { memsnapProcess } from "../_helpers/memsnap.ts";
import { capturePath, unpackCapture } from "../_helpers/mirror.ts";
import { serve } from "../_helpers/serve.ts";
import { cuttingProxy } from "../_helpers/cutting_proxy.ts";
import { selfSignedCertificate } from "../_helpers/tls.ts";

const TOKEN = "push-token-0123456789abcdef";
const script = await printedScript(["--detail", "full"]);
const path = await busyboxPath({ add: ["sleep", "nc"] });
const work = await Deno.makeTempDir({ prefix: "memsnap-capture-push-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));
const mirror = await unpackCapture(capturePath("n8.tar.gz"));
globalThis.addEventListener("unload", () => Deno.removeSync(mirror, { recursive: true }));
const proc = `${mirror}/proc`;
await Deno.mkdir(`${proc}/sys/kernel`, { recursive: true });
await Deno.writeTextFile(`${proc}/sys/kernel/hostname`, "sh-board\n");
// The fixture's owners by name, as the device's passwd and group would name them.
await Deno.mkdir(`${mirror}/etc`);
for (const file of ["passwd", "group"]) {
  await Deno.writeTextFile(
    `${mirror}/etc/${file}`,
    "mema:x:999:999::/:/bin/sh\nmemb:x:995:995::/:/bin/sh\nmemc:x:994:994::/:/bin/sh\n",
  );
}

async function receiver(dir: string, listen?: string, extra: string[] = []) {
  await Deno.mkdir(`${dir}/inbox`, { recursive: true });
  await Deno.writeTextFile(`${dir}/token`, `${TOKEN}\n`);
  return await serve([
    "-S",
    capturePath("n8.tar.gz"),
    "--interval",
    "1h",
    "--token-file",
    `${dir}/token`,
    "--receive",
    `${dir}/inbox`,
    ...extra,
  ], listen);
}

function push(dir: string, url: string, args: string[]) {
  return runScript(script, {
    path,
    env: { PROC: proc, ETC: `${mirror}/etc`, TMPDIR: dir, MEMSNAP_TOKEN: TOKEN },
    args: ["--to", url, "--spool", `${dir}/spool`, ...args],
  });
}

const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

async function listed(file: string) {
  const outcome = await memsnapProcess(["list", file, "--format", "json"]);
  assert.equal(outcome.code, 0, outcome.stderr);
  return JSON.parse(outcome.stdout);
}

async function users(source: string) {
  const outcome = await memsnapProcess(["-S", source, "-u"]);
  assert.equal(outcome.code, 0, outcome.stderr);
  return outcome.stdout;
}

Deno.test("capture.sh --to under BusyBox (nc): 3 snapshots arrive in order in the host's recording, numbers intact", async () => {
  const dir = await Deno.makeTempDir({ dir: work });
  const server = await receiver(dir);
  try {
    const run = await push(dir, server.url, ["--every", "1s", "--count", "3"]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(names(`${dir}/inbox`), ["sh-board.rec"]);
    assert.deepEqual(names(`${dir}/spool`), []);
    const list = await listed(`${dir}/inbox/sh-board.rec`);
    assert.equal(list.recording.hostname, "sh-board");
    assert.deepEqual(list.snapshots.map((s: { index: number }) => s.index), [0, 1, 2]);
    const times = list.snapshots.map((s: { takenAt: string }) => s.takenAt);
    assert.deepEqual([...times].sort(), times);
    const expected = await users(capturePath("n8.tar.gz"));
    for (const at of [0, 2]) assert.equal(await users(`${dir}/inbox/sh-board.rec@${at}`), expected);
    // The token never on a command line: the script has none, nc gets it on its input.
    assert.doesNotMatch(script, /nc [^\n]*\$token/);
  } finally {
    await server.stop();
  }
});

Deno.test("capture.sh --to: with the receiver away, snapshots wait in the bounded spool and are sent oldest first when it is back", async () => {
  const dir = await Deno.makeTempDir({ dir: work });
  // A port nothing listens on: a receiver started and stopped.
  let server = await receiver(dir);
  const away = server.url;
  await server.stop();
  try {
    const first = await push(dir, away, ["--every", "1s", "--count", "3", "--spool-max", "2"]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stderr.match(/kept in the spool/g)?.length, 3, first.stderr);
    assert.equal(first.stderr.match(/Spool full \(2\): dropped/g)?.length, 1, first.stderr);
    const spooled = names(`${dir}/spool`);
    assert.equal(spooled.length, 2);
    assert.deepEqual(names(`${dir}/inbox`), []);
    server = await receiver(dir);
    // The mirror is static: a capture in the same second as the last spooled
    // one would be byte for byte the same, which the receiver takes for a
    // resend and stores once (a live /proc's meminfo differs every time).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const second = await push(dir, server.url, ["--count", "1"]);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(names(`${dir}/spool`), []);
    const list = await listed(`${dir}/inbox/sh-board.rec`);
    assert.equal(list.snapshots.length, 3);
    const times = list.snapshots.map((s: { takenAt: string }) => s.takenAt);
    assert.deepEqual([...times].sort(), times);
  } finally {
    await server.stop();
  }
});

/** BusyBox's applets, and curl as scripts/ensure-test-tools.sh installs it (for the serve TLS test). */
async function busyboxWithCurl(): Promise<string> {
  const withCurl = await busyboxPath({ add: ["sleep"] });
  const found = await new Deno.Command("sh", { args: ["-c", "command -v curl"], stdout: "piped" })
    .output();
  await Deno.symlink(new TextDecoder().decode(found.stdout).trim(), `${withCurl}/curl`);
  return withCurl;
}

Deno.test("capture.sh --to with curl on the PATH sends with curl, the token from --token-file in a header file", async () => {
  const dir = await Deno.makeTempDir({ dir: work });
  const withCurl = await busyboxWithCurl();
  const server = await receiver(dir);
  try {
    await Deno.writeTextFile(`${dir}/device.token`, `${TOKEN}\n`);
    const run = await runScript(script, {
      path: withCurl,
      env: { PROC: proc, ETC: `${mirror}/etc`, TMPDIR: dir },
      args: ["--to", server.url, "--spool", `${dir}/spool`, "--token-file", `${dir}/device.token`],
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(names(`${dir}/spool`), []);
    const list = await listed(`${dir}/inbox/sh-board.rec`);
    assert.equal(list.snapshots.length, 1);
    assert.equal(await users(`${dir}/inbox/sh-board.rec@0`), await users(capturePath("n8.tar.gz")));
    // Its working directory (with the header file) is gone.
    assert.deepEqual(names(dir).filter((n) => n.startsWith("memsnap.")), []);
  } finally {
    await server.stop();
  }
});

Deno.test("capture.sh --to: a push cut mid-body (a proxy drops it) stays in the spool and is sent next round; none lost, none twice", async () => {
  const dir = await Deno.makeTempDir({ dir: work });
  const server = await receiver(dir);
  // The first push's connection is cut after 3000 bytes of its request: head and part of the archive.
  const proxy = await cuttingProxy(server.port, {
    request: "POST /api/v1/push",
    cut: 1,
    after: 3000,
    side: "request",
  });
  try {
    const pushed = await push(dir, proxy.url, ["--every", "1s", "--count", "3"]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.equal(pushed.stderr.match(/kept in the spool/g)?.length, 1, pushed.stderr);
    assert.deepEqual(names(`${dir}/spool`), []);
    assert.equal(proxy.requests(), 4, "the cut push, then the spooled one again, then two");
    // The receiver kept what arrived whole: 3 snapshots, in order, the capture's numbers.
    assert.deepEqual(names(`${dir}/inbox`), ["sh-board.rec"]);
    const list = await listed(`${dir}/inbox/sh-board.rec`);
    assert.equal(list.snapshots.length, 3);
    const times = list.snapshots.map((s: { takenAt: string }) => s.takenAt);
    assert.deepEqual([...times].sort(), times);
    assert.equal(new Set(times).size, 3);
    const expected = await users(capturePath("n8.tar.gz"));
    for (let index = 0; index < 3; index++) {
      assert.equal(await users(`${dir}/inbox/sh-board.rec@${index}`), expected, `@${index}`);
    }
  } finally {
    await proxy.close();
    await server.stop();
  }
});

Deno.test("capture.sh --to: the receiver killed (SIGKILL) mid-run: what it missed waits in the spool and arrives, in order, once it is back", async () => {
  const dir = await Deno.makeTempDir({ dir: work });
  let server = await receiver(dir);
  const listen = `127.0.0.1:${server.port}`;
  const pushing = push(dir, server.url, ["--every", "1s", "--count", "4"]);
  try {
    // Killed once the first snapshot is in and answered (the script has taken it out of its
    // spool, and sleeps to its next round): not while it is stored, which would store it twice.
    const answered = () => names(`${dir}/inbox`).length === 1 && names(`${dir}/spool`).length === 0;
    for (let tries = 0; tries < 300 && !answered(); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.ok(answered(), "the first snapshot was not answered within 6 s");
    await server.stop("SIGKILL");
    const pushed = await pushing;
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stderr, /kept in the spool for the next round/);
    const spooled = names(`${dir}/spool`).length;
    assert.ok(spooled >= 1 && spooled <= 3, `${spooled} spooled`);
    // Back on its port: the next round sends the spool, oldest first, then its own.
    server = await receiver(dir, listen);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = await push(dir, server.url, ["--count", "1"]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(names(`${dir}/spool`), []);
    const list = await listed(`${dir}/inbox/sh-board.rec`);
    const times = list.snapshots.map((s: { takenAt: string }) => s.takenAt);
    assert.equal(times.length, 5, JSON.stringify(list));
    assert.deepEqual([...times].sort(), times);
    assert.equal(new Set(times).size, 5);
  } finally {
    await pushing.catch(() => {});
    await server.stop();
  }
});

Deno.test("capture.sh --to https:// with --ca-file: curl trusts the collector's own certificate; without it the snapshot stays in the spool", async () => {
  const dir = await Deno.makeTempDir({ dir: work });
  const withCurl = await busyboxWithCurl();
  const { cert, key } = await selfSignedCertificate(dir);
  const server = await receiver(dir, undefined, ["--tls-cert", cert, "--tls-key", key]);
  try {
    assert.match(server.url, /^https:/);
    const send = (extra: string[]) =>
      runScript(script, {
        path: withCurl,
        env: { PROC: proc, ETC: `${mirror}/etc`, TMPDIR: dir, MEMSNAP_TOKEN: TOKEN },
        args: ["--to", server.url, "--spool", `${dir}/spool`, ...extra],
      });
    const unknown = await send([]);
    assert.equal(unknown.code, 0, unknown.stderr);
    assert.match(unknown.stderr, /kept in the spool for the next round/);
    assert.deepEqual(names(`${dir}/inbox`), []);
    // A second later: the static mirror captured in the same second is the same bytes, a resend.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const trusted = await send(["--ca-file", cert]);
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.deepEqual(names(`${dir}/spool`), []);
    // The spooled snapshot, then this round's.
    assert.equal((await listed(`${dir}/inbox/sh-board.rec`)).snapshots.length, 2);
    const http = await runScript(script, {
      path: withCurl,
      env: { PROC: proc, ETC: `${mirror}/etc`, TMPDIR: dir, MEMSNAP_TOKEN: TOKEN },
      args: ["--to", "http://127.0.0.1:9", "--ca-file", cert],
    });
    assert.equal(http.code, 1);
    assert.match(
      http.stderr,
      /"--ca-file" applies to https:\/\/ URLs, not "http:\/\/127\.0\.0\.1:9"\n$/,
    );
  } finally {
    await server.stop();
  }
});
