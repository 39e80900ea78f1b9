/**
 * memsnap serve, run as a program (and as dist/memsnap by test:binary):
 * metrics exact against memsnap's report of the same capture and against a
 * real Prometheus server that scraped them; promtool; OpenMetrics
 * negotiation; auth; TLS; abuse (oversized headers, a slow client, a burst).
 * Everything on loopback, every wait bounded.
 */

import assert from "node:assert/strict";
import { memsnapProcess } from "../_helpers/memsnap.ts";
import { serve } from "../_helpers/serve.ts";
import { selfSignedCertificate } from "../_helpers/tls.ts";

const CAPTURE = "fixtures/captures/n8.tar.gz";

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: await response.text(),
  };
}

async function reportJson(args: readonly string[]) {
  const outcome = await memsnapProcess(["-S", CAPTURE, ...args, "--format", "json"]);
  assert.deepEqual(outcome.code, 0, outcome.stderr);
  return outcome.stdout;
}

/** memsnap_<q>_bytes series of the text format, as labels → value. */
function series(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^(\w+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match && match[1] === name) found.set(match[2] ?? "", Number(match[3]));
  }
  return found;
}

Deno.test("serve: /metrics per user is memsnap -u's report of the same capture, exactly, in bytes", async () => {
  const served = await serve(["-S", CAPTURE, "--interval", "1s", "--top", "3"]);
  try {
    const metrics = await get(`${served.url}/metrics`);
    assert.deepEqual(metrics.status, 200);
    assert.deepEqual(metrics.type, "text/plain; version=0.0.4; charset=utf-8");
    const users = JSON.parse(await reportJson(["-u"])) as {
      rows: Record<string, number | string>[];
    };
    for (const quantity of ["pss", "uss", "rss", "swap"]) {
      const got = series(metrics.body, `memsnap_${quantity}_bytes`);
      for (const row of users.rows) {
        assert.deepEqual(
          got.get(`{view="users",user="${row.user}"}`),
          Number(row[quantity]) * 1024,
          `${quantity} ${row.user}`,
        );
      }
    }
    // Per process: the top 3 plus `other` add up to every process's sum.
    const processes = JSON.parse(await reportJson([])) as { rows: { pss: number }[] };
    const pss = series(metrics.body, "memsnap_pss_bytes");
    const perProcess = [...pss].filter(([labels]) => labels.includes('view="processes"'));
    assert.deepEqual(perProcess.length, 4);
    assert.deepEqual(
      perProcess.reduce((sum, [, value]) => sum + value, 0),
      processes.rows.reduce((sum, row) => sum + row.pss, 0) * 1024,
    );
    // promtool accepts the text format.
    const promtool = new Deno.Command("promtool", {
      args: ["check", "metrics"],
      stdin: "piped",
      stderr: "piped",
      stdout: "piped",
    }).spawn();
    const writer = promtool.stdin.getWriter();
    await writer.write(new TextEncoder().encode(metrics.body));
    await writer.close();
    const checked = await promtool.output();
    assert.deepEqual(checked.code, 0, new TextDecoder().decode(checked.stderr));
    // OpenMetrics when asked: its content type, UNIT lines, # EOF.
    const open = await get(`${served.url}/metrics`, {
      accept: "application/openmetrics-text; version=1.0.0,text/plain;q=0.5",
    });
    assert.deepEqual(open.type, "application/openmetrics-text; version=1.0.0; charset=utf-8");
    assert.match(open.body, /^# UNIT memsnap_pss_bytes bytes$/m);
    assert.ok(open.body.endsWith("# EOF\n"));
    assert.deepEqual(series(open.body, "memsnap_pss_bytes"), pss);
  } finally {
    assert.deepEqual(await served.stop(), 0);
  }
});

Deno.test("serve: /api/v1/report is the very document --format json prints", async () => {
  const served = await serve(["-S", CAPTURE, "--interval", "1s"]);
  try {
    assert.deepEqual(
      (await get(`${served.url}/api/v1/report?view=users`)).body,
      await reportJson(["-u"]),
    );
    assert.deepEqual(
      (await get(
        `${served.url}/api/v1/report?view=processes&columns=pid,name,pss,uss&sort=uss&reverse=1&limit=3`,
      )).body,
      await reportJson(["-c", "pid name pss uss", "-s", "uss", "-r", "--limit", "3"]),
    );
    // The system view: the same but for `detail`: the server holds a full
    // sample (any view may be asked of it), `-w` alone reads the rollups.
    const system = JSON.parse((await get(`${served.url}/api/v1/report?view=system`)).body);
    assert.deepEqual({ ...system, detail: "rollup" }, JSON.parse(await reportJson(["-w"])));
    // The diff of the first sample and the latest: `memsnap diff` of the capture with itself,
    // but for what each side is called.
    const diff = JSON.parse((await get(`${served.url}/api/v1/diff?view=users&sort=uss`)).body);
    assert.match(diff.a.source, /^sample 0$/);
    assert.match(diff.b.source, /^sample \d+$/);
    const cli = await memsnapProcess([
      "diff",
      CAPTURE,
      CAPTURE,
      "--by",
      "users",
      "-s",
      "uss",
      "--format",
      "json",
    ]);
    assert.deepEqual(cli.code, 0, cli.stderr);
    const expected = JSON.parse(cli.stdout);
    assert.deepEqual(
      { ...diff, a: { ...diff.a, source: "" }, b: { ...diff.b, source: "" } },
      { ...expected, a: { ...expected.a, source: "" }, b: { ...expected.b, source: "" } },
    );
    const bad = await get(`${served.url}/api/v1/report?view=users&sort=nope`);
    assert.deepEqual(bad.status, 400);
    assert.match(bad.body, /Unknown sort field "nope"/);
    assert.deepEqual((await get(`${served.url}/nothing`)).status, 404);
    const post = await fetch(`${served.url}/metrics`, { method: "POST", body: "x" });
    await post.body?.cancel();
    assert.deepEqual(post.status, 405);
    const samples = JSON.parse((await get(`${served.url}/api/v1/samples`)).body) as {
      samples: { index: number }[];
    };
    assert.deepEqual(samples.samples[0]!.index, 0);
  } finally {
    assert.deepEqual(await served.stop(), 0);
  }
});

Deno.test("serve: a real Prometheus scrapes it; its queries equal memsnap's report exactly", async () => {
  const served = await serve(["-S", CAPTURE, "--interval", "1s"]);
  const dir = await Deno.makeTempDir({ prefix: "memsnap-prom-" });
  const port = freePort();
  const target = new URL(served.url).host;
  await Deno.writeTextFile(
    `${dir}/prometheus.yml`,
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: memsnap\n    static_configs:\n      - targets: ["${target}"]\n`,
  );
  const prometheus = new Deno.Command("prometheus", {
    args: [
      `--config.file=${dir}/prometheus.yml`,
      `--storage.tsdb.path=${dir}/data`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    const query = async (promql: string) => {
      const response = await fetch(
        `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(promql)}`,
      );
      const body = await response.json() as {
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      return body.data.result;
    };
    // Bounded: until a scrape has landed.
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        if ((await query(`memsnap_pss_bytes{view="users"}`)).length > 0) break;
      } catch { /* not up yet */ }
      if (Date.now() > deadline) throw new Error("Prometheus scraped nothing within 60 s");
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const users = JSON.parse(await reportJson(["-u"])) as {
      rows: Record<string, number | string>[];
    };
    for (const quantity of ["pss", "uss", "rss"]) {
      const result = await query(`sum by (user) (memsnap_${quantity}_bytes{view="users"})`);
      const got = Object.fromEntries(result.map((r) => [r.metric.user, Number(r.value[1])]));
      const expected = Object.fromEntries(
        users.rows.map((row) => [row.user, Number(row[quantity]) * 1024]),
      );
      assert.deepEqual(got, expected, quantity);
    }
    const processes = JSON.parse(await reportJson([])) as { rows: { pss: number }[] };
    const total = await query(`sum(memsnap_pss_bytes{view="processes"})`);
    assert.deepEqual(
      Number(total[0]!.value[1]),
      processes.rows.reduce((sum, row) => sum + row.pss, 0) * 1024,
    );
    // Per cgroup and per command, as memsnap --cgroups and --commands report them.
    for (const [view, key] of [["cgroups", "cgroup"], ["commands", "command"]] as const) {
      const rows =
        (JSON.parse(await reportJson(["--by", view, "-c", `${key} pss`, "--sort", "pss"])) as {
          rows: Record<string, number | string>[];
        }).rows;
      const result = await query(`sum(memsnap_pss_bytes{view="${view}"})`);
      assert.deepEqual(
        Number(result[0]!.value[1]),
        rows.reduce((sum, row) => sum + Number(row.pss), 0) * 1024,
        view,
      );
      const largest = await query(
        `topk(1, memsnap_pss_bytes{view="${view}",${key}!="other"})`,
      );
      const top = [...rows].sort((a, b) => Number(b.pss) - Number(a.pss))[0]!;
      assert.deepEqual(largest[0]!.metric[key], String(top[key]), view);
      assert.deepEqual(Number(largest[0]!.value[1]), Number(top.pss) * 1024, view);
    }
    // The system tree's first level adds up to MemTotal, as the report says.
    const tree = JSON.parse(await reportJson(["-w", "--tree"])) as { memTotal: number };
    const level = await query(`sum(memsnap_system_bytes{depth="1"})`);
    assert.deepEqual(Number(level[0]!.value[1]), tree.memTotal * 1024);
    const up = await query(`up{job="memsnap"}`);
    assert.deepEqual(up[0]!.value[1], "1");
    // What Prometheus asked for, as memsnap counted it: OpenMetrics (Prometheus 2.x prefers
    // it), so each query above went through Prometheus's OpenMetrics parser.
    const formats = await query(`memsnap_scrapes_total{job="memsnap"} > 0`);
    assert.deepEqual(formats.map((r) => r.metric.format), ["openmetrics"]);
  } finally {
    prometheus.kill("SIGTERM");
    await prometheus.status;
    await served.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve: bearer token (or ?token=): none or wrong 401, right 200, the web UI at / too; beyond loopback without one is a usage error", async () => {
  const dir = await Deno.makeTempDir();
  const token = "s3cret-token-of-some-length";
  await Deno.writeTextFile(`${dir}/token`, `${token}\n`);
  const served = await serve(["-S", CAPTURE, "--token-file", `${dir}/token`]);
  try {
    assert.deepEqual((await get(`${served.url}/metrics`)).status, 401);
    assert.deepEqual(
      (await get(`${served.url}/metrics`, { authorization: "Bearer wrong" })).status,
      401,
    );
    assert.deepEqual(
      (await get(`${served.url}/metrics`, { authorization: `Bearer ${token}` })).status,
      200,
    );
    // The web UI at /, behind the same token: in the header, or in the link's ?token=.
    assert.deepEqual((await get(`${served.url}/`)).status, 401);
    assert.deepEqual((await get(`${served.url}/?token=wrong`)).status, 401);
    const page = await fetch(`${served.url}/?token=${token}`);
    assert.deepEqual(page.status, 200);
    assert.match(page.headers.get("content-type")!, /^text\/html/);
    assert.match(page.headers.get("content-security-policy")!, /^default-src 'self';/);
    assert.match(await page.text(), /<title>memsnap<\/title>/);
    assert.deepEqual(
      (await get(`${served.url}/api/v1/samples?token=${token}`)).status,
      200,
    );
  } finally {
    // SIGINT stops it cleanly too.
    assert.deepEqual(await served.stop("SIGINT"), 0);
  }
  const open = await memsnapProcess(["serve", "-S", CAPTURE, "--listen", "0.0.0.0:0"], {
    killAfterMs: 30_000,
  });
  assert.deepEqual(open.code, 2);
  assert.match(open.stderr, /--token-file FILE/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("serve: --keep 0, --keep x and --top -1 are usage errors, one line each", async () => {
  for (const args of [["--keep", "0"], ["--keep", "x"], ["--top", "-1"]]) {
    const out = await memsnapProcess(["serve", "-S", CAPTURE, ...args], { killAfterMs: 30_000 });
    assert.deepEqual(out.code, 2, args.join(" "));
    assert.match(out.stderr, new RegExp(`^memsnap serve: [^\\n]*${args[0]}[^\\n]*\\n`), out.stderr);
    assert.deepEqual(out.stderr.split("\n").filter((l) => l !== "").length <= 2, true, out.stderr);
  }
});

Deno.test("serve: TLS with a self-signed certificate made here", async () => {
  const dir = await Deno.makeTempDir();
  await selfSignedCertificate(dir);
  const served = await serve([
    "-S",
    CAPTURE,
    "--tls-cert",
    `${dir}/cert.pem`,
    "--tls-key",
    `${dir}/key.pem`,
    "--request-timeout",
    "120s",
  ]);
  let stopped = false;
  try {
    assert.match(served.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const curl = await new Deno.Command("curl", {
      args: ["-sS", "--max-time", "10", "--cacert", `${dir}/cert.pem`, `${served.url}/healthz`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.deepEqual(curl.code, 0, new TextDecoder().decode(curl.stderr));
    assert.deepEqual(JSON.parse(new TextDecoder().decode(curl.stdout)).status, "ok");
    // SIGTERM after a TLS connection ends: a clean exit, not held for the
    // request time by the closed connection's deadline (it was, under Deno).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const code = await Promise.race([
      served.stop(),
      new Promise<string>((resolve) => timer = setTimeout(() => resolve("held"), 60_000)),
    ]);
    clearTimeout(timer);
    assert.deepEqual(code, 0);
    stopped = true;
  } finally {
    if (!stopped) await served.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve: oversized headers, a slow client and a burst of 1000 are answered or refused cleanly; sampling keeps its schedule", async () => {
  const served = await serve(["-S", CAPTURE, "--interval", "500ms", "--request-timeout", "2s"]);
  const health = async () =>
    JSON.parse((await get(`${served.url}/healthz`)).body) as { sampleIndex: number };
  try {
    const { hostname, port } = new URL(served.url);
    // Oversized headers: 431 or the connection closed, never a hang.
    const big = await rawRequest(
      hostname,
      Number(port),
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(64 * 1024)}\r\n\r\n`,
    );
    assert.match(big, /^HTTP\/1\.1 (431|400)/);
    // A slow client: one header byte every 200 ms; the server closes it by its request time.
    const started = Date.now();
    const indexBefore = (await health()).sampleIndex;
    const slow = await Deno.connect({ hostname, port: Number(port) });
    let closedAt: number | undefined;
    // The server's closing shows as the end (or a reset) of what the client reads.
    const closed = slow.read(new Uint8Array(4096)).catch(() => null).finally(() => {
      closedAt = Date.now();
    });
    const bytes = new TextEncoder().encode("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    for (let i = 0; i < 100 && closedAt === undefined; i++) {
      await slow.write(bytes.subarray(i % bytes.length, (i % bytes.length) + 1)).catch(() => 0);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000))]);
    try {
      slow.close();
    } catch { /* closed by the server */ }
    assert.ok(closedAt !== undefined, "the slow client was never cut off");
    assert.ok(closedAt - started < 8_000, `cut off after ${closedAt - started} ms`);
    // Meanwhile sampling went on: 500 ms interval, several samples later.
    const indexAfter = (await health()).sampleIndex;
    assert.ok(indexAfter - indexBefore >= 3, `${indexBefore} → ${indexAfter}`);
    // A burst of 1000: each answered 200 or refused with a status, never left hanging.
    const statuses = await Promise.all(
      Array.from({ length: 1000 }, () =>
        fetch(`${served.url}/metrics`).then(async (r) => {
          await r.body?.cancel();
          return r.status;
        }).catch(() => "refused")),
    );
    const ok = statuses.filter((s) => s === 200).length;
    assert.ok(ok > 0);
    assert.deepEqual(
      statuses.filter((s) => s !== 200 && s !== "refused").length,
      0,
      String(statuses),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.ok((await health()).sampleIndex - indexAfter >= 2, "sampling stalled after the burst");
  } finally {
    assert.deepEqual(await served.stop(), 0);
  }
});

/** Sends raw bytes; resolves to what comes back before the server closes or 10 s pass. */
async function rawRequest(hostname: string, port: number, text: string): Promise<string> {
  const connection = await Deno.connect({ hostname, port });
  try {
    await connection.write(new TextEncoder().encode(text)).catch(() => {});
    const buffer = new Uint8Array(4096);
    const read = await Promise.race([
      connection.read(buffer).catch(() => null),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000)),
    ]);
    return read === null ? "" : new TextDecoder().decode(buffer.subarray(0, read));
  } finally {
    connection.close();
  }
}

/** A port free now on loopback. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test("serve: live, a process this test started is in the report, and samples keep coming", async () => {
  const marker = `memsnap-serve-live-${Date.now()}`;
  const held = new Deno.Command("python3", {
    args: [
      "-c",
      "import sys, time; b = bytearray(32 << 20); print('ready', flush=True); time.sleep(120)",
      marker,
    ],
    stdout: "piped",
  }).spawn();
  const reader = held.stdout.pipeThrough(new TextDecoderStream()).getReader();
  assert.match((await reader.read()).value ?? "", /ready/);
  const served = await serve(["--interval", "1s"]);
  try {
    const deadline = Date.now() + 20_000;
    let rows: { pid: number; uss: number }[] = [];
    while (Date.now() < deadline) {
      const body = (await get(
        `${served.url}/api/v1/report?processfilter=${marker}&columns=pid,name,uss,pss`,
      )).body;
      rows = JSON.parse(body).rows;
      if (rows.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.deepEqual(rows.map((row) => row.pid), [held.pid]);
    // Its 32 MiB bytearray is its own.
    assert.ok(rows[0]!.uss >= 32 * 1024, `uss ${rows[0]!.uss} kB`);
    const first = JSON.parse((await get(`${served.url}/healthz`)).body).sampleIndex;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.ok(JSON.parse((await get(`${served.url}/healthz`)).body).sampleIndex >= first + 2);
  } finally {
    assert.deepEqual(await served.stop(), 0);
    held.kill("SIGKILL");
    await held.status;
    await reader.cancel();
  }
});
