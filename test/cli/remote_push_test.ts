/**
 * Remote capture, pushed: `memsnap serve --receive DIR` appends each pushed
 * capture to DIR/<host>.rec. Security: no token or a wrong one refused
 * without a byte written; a host named `../../etc` lands inside DIR; an
 * oversized snapshot refused and its connection closed. Loopback only.
 */

import assert from "node:assert/strict";
import { connect } from "node:net";
import { memsnapProcess } from "../_helpers/memsnap.ts";
import { serve } from "../_helpers/serve.ts";
import { deviceCapture } from "../_helpers/device_capture.ts";

const TOKEN = "push-token-0123456789abcdef";

async function receiving(dir: string, extra: string[] = []) {
  const inbox = `${dir}/inbox`;
  await Deno.mkdir(inbox, { recursive: true });
  await Deno.writeTextFile(`${dir}/token`, `${TOKEN}\n`);
  const server = await serve([
    "-S",
    await deviceCapture(dir, "board-7"),
    "--interval",
    "1h",
    "--token-file",
    `${dir}/token`,
    "--receive",
    inbox,
    ...extra,
  ]);
  return { server, inbox };
}

function push(url: string, body: Uint8Array<ArrayBuffer>, token: string | null = TOKEN) {
  return fetch(`${url}/api/v1/push`, {
    method: "POST",
    body,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
}

const files = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

async function listJson(file: string) {
  const outcome = await memsnapProcess(["list", file, "--format", "json"]);
  assert.equal(outcome.code, 0, outcome.stderr);
  return JSON.parse(outcome.stdout);
}

Deno.test("push: each pushed capture appends to its host's recording, in order, numbers intact; a restart appends after", async () => {
  const dir = await Deno.makeTempDir();
  let { server, inbox } = await receiving(dir);
  try {
    const at = (i: number) => `2026-12-01T08:00:0${i}.000Z`;
    const captures = [];
    for (let i = 0; i < 4; i++) {
      captures.push(await Deno.readFile(await deviceCapture(dir, "board-7", at(i))));
    }
    for (let i = 0; i < 3; i++) {
      const answer = await push(server.url, captures[i]!);
      assert.equal(answer.status, 200);
      assert.equal(await answer.text(), `board-7.rec ${i}\n`);
    }
    // Sent again (its answer lost on the way back): stored once.
    assert.equal(await (await push(server.url, captures[2]!)).text(), `board-7.rec 2\n`);
    assert.deepEqual(files(inbox), ["board-7.rec"]);
    await server.stop();
    ({ server } = await receiving(dir));
    const answer = await push(server.url, captures[3]!);
    assert.equal(await answer.text(), `board-7.rec 3\n`);
    const list = await listJson(`${inbox}/board-7.rec`);
    assert.equal(list.recording.hostname, "board-7");
    assert.deepEqual(list.snapshots.map((s: { index: number }) => s.index), [0, 1, 2, 3]);
    assert.deepEqual(
      list.snapshots.map((s: { takenAt: string }) => s.takenAt),
      [0, 1, 2, 3].map(at),
    );
    const direct = await memsnapProcess(["-S", await deviceCapture(dir, "board-7"), "-u"]);
    const pushed = await memsnapProcess(["-S", `${inbox}/board-7.rec@3`, "-u"]);
    assert.equal(pushed.stdout, direct.stdout);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("push security: no token or a wrong one is refused (401) without a byte written", async () => {
  const dir = await Deno.makeTempDir();
  const { server, inbox } = await receiving(dir);
  try {
    const capture = await Deno.readFile(await deviceCapture(dir, "board-7"));
    for (const token of [null, "wrong-token-0123456789abcdef", `${TOKEN}x`]) {
      const answer = await push(server.url, capture, token);
      assert.equal(answer.status, 401);
      await answer.body?.cancel();
    }
    assert.deepEqual(files(inbox), []);
    // Not a capture: refused, nothing written either.
    const junk = await push(
      server.url,
      new TextEncoder().encode("not a capture") as Uint8Array<ArrayBuffer>,
    );
    assert.equal(junk.status, 400);
    await junk.body?.cancel();
    assert.deepEqual(files(inbox), []);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("push security: a host named ../../etc lands inside DIR, as one recording", async () => {
  const dir = await Deno.makeTempDir();
  const { server, inbox } = await receiving(dir);
  try {
    const before = files(dir);
    for (const host of ["../../etc", "..", "a/b", ".hidden"]) {
      const answer = await push(server.url, await Deno.readFile(await deviceCapture(dir, host)));
      assert.equal(answer.status, 200, host);
      await answer.body?.cancel();
    }
    assert.deepEqual(files(inbox), ["__.rec", "___.._etc.rec", "_hidden.rec", "a_b.rec"]);
    // Nothing new beside DIR but the captures this test made.
    assert.deepEqual(
      files(dir).filter((n) => !before.includes(n) && !/^capture-/.test(n)),
      [],
    );
    const list = await listJson(`${inbox}/___.._etc.rec`);
    assert.equal(list.recording.hostname, "../../etc");
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("push security: an oversized snapshot is refused (413), its connection closed, nothing written", async () => {
  const dir = await Deno.makeTempDir();
  const { server, inbox } = await receiving(dir, ["--receive-max", "8k"]);
  try {
    const capture = await Deno.readFile(await deviceCapture(dir, "board-7"));
    assert.ok(capture.length > 8192);
    // Declared too large: refused before the body is read.
    const declared = await push(server.url, capture);
    assert.equal(declared.status, 413);
    assert.equal(declared.headers.get("connection"), "close");
    await declared.body?.cancel();
    // Chunked, so undeclared: refused once 8 KiB have come, and the connection closed.
    const { port } = server;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      let got = "";
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`the connection stayed open: ${got}`));
      }, 10_000);
      socket.on("data", (chunk) => got += chunk.toString());
      socket.on("error", () => {});
      socket.on("close", () => {
        clearTimeout(timer);
        resolve(got);
      });
      socket.write(
        `POST /api/v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\n`,
      );
      for (let at = 0; at < capture.length; at += 4096) {
        const piece = capture.subarray(at, at + 4096);
        socket.write(`${piece.length.toString(16)}\r\n`);
        socket.write(piece);
        socket.write("\r\n");
      }
    });
    assert.match(answer, /^HTTP\/1\.1 413 /);
    assert.deepEqual(files(inbox), []);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("push security: a body that trickles is cut at --request-timeout, nothing written; a push after it is kept", async () => {
  const dir = await Deno.makeTempDir();
  const { server, inbox } = await receiving(dir, ["--request-timeout", "1s"]);
  try {
    const capture = await Deno.readFile(await deviceCapture(dir, "board-7"));
    const { port } = server;
    const started = Date.now();
    // The head at once, then a byte every 200 ms: each byte would reset an idle timeout.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      let got = "";
      let at = 0;
      const trickle = setInterval(() => {
        if (at < capture.length) socket.write(capture.subarray(at, ++at));
      }, 200);
      const timer = setTimeout(() => {
        clearInterval(trickle);
        socket.destroy();
        reject(new Error(`the connection stayed open: ${got}`));
      }, 15_000);
      socket.on("data", (chunk) => got += chunk.toString());
      socket.on("error", () => {});
      socket.on("close", () => {
        clearInterval(trickle);
        clearTimeout(timer);
        resolve(got);
      });
      socket.write(
        `POST /api/v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${capture.length}\r\n\r\n`,
      );
    });
    const held = Date.now() - started;
    assert.ok(held >= 900 && held < 10_000, `held ${held} ms`);
    assert.doesNotMatch(answer, /^HTTP\/1\.1 2/);
    assert.deepEqual(files(inbox), []);
    // The receiver goes on: a whole push is kept.
    const kept = await push(server.url, capture);
    assert.equal(kept.status, 200, await kept.text());
    assert.equal(files(inbox).length, 1);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
