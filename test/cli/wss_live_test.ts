/**
 * --wss on a process the test starts: it holds 100 MiB and touches 10 MiB
 * of it during the interval; the area's Referenced is then 10 MiB.
 */

import assert from "node:assert/strict";
import { memsnapProcess, ROOT } from "../_helpers/memsnap.ts";

const MIB_KB = 1024;

Deno.test("--wss reports the memory a process touched during the interval, not what it holds", async () => {
  const tag = `w${crypto.randomUUID().slice(0, 8)}`;
  const child = new Deno.Command("/usr/bin/python3", {
    args: [`${ROOT}test/_helpers/wss_workload.py`, tag],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  try {
    // The line may come in pieces; the stream ends if the process dies.
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let line = "";
    while (!line.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      line += value;
    }
    assert.equal(line, "ready\n");
    reader.releaseLock();
    const outcome = await memsnapProcess([
      "-m",
      "--wss",
      "1s",
      "-P",
      `wss_workload[.]py ${tag}`,
      "-c",
      "map rss",
      "--format",
      "json",
    ]);
    assert.equal(outcome.code, 0, outcome.stderr);
    const report = JSON.parse(outcome.stdout);
    // --wss adds the Referenced column.
    assert.deepEqual(
      report.columns.map((c: { id: string }) => c.id).slice(0, 3),
      ["map", "rss", "referenced"],
    );
    // The 100 MiB area, a mapping of its own: exactly the 10 MiB touched, to the page.
    // (The process's other rows vary: a shared library's page counts as referenced
    // when any process used it.)
    const area = report.rows.find((row: { map: string }) => row.map === `/memfd:wss-area-${tag}`);
    assert.deepEqual({ rss: area.rss, referenced: area.referenced }, {
      rss: 100 * MIB_KB,
      referenced: 10 * MIB_KB,
    });
  } finally {
    await child.stdin.close();
    await child.stdout.cancel().catch(() => {});
    await child.status;
  }
});

Deno.test("--wss refuses a copy and a view without processes", async () => {
  const copy = await memsnapProcess([
    "--wss",
    "1s",
    "-S",
    `${ROOT}fixtures/archives/v1-capture.tar.gz`,
  ]);
  assert.equal(copy.code, 1);
  assert.match(copy.stderr, /^memsnap: --wss measures the live system: "[^"]*" is a copy\n$/);
  const system = await memsnapProcess(["-w", "--wss", "1s"]);
  assert.equal(system.code, 2);
  assert.match(
    system.stderr,
    /^memsnap: Option "--wss" applies to views of processes, not to the system view\n/,
  );
});
