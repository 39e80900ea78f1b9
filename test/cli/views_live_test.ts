/**
 * The cgroup, command and tree views on this machine: on a copy of its /proc
 * (one moment, so that views can be compared) and live.
 */

import { deepStrictEqual, ok } from "node:assert/strict";
import { memoryCgroupOf, parseCgroup } from "../../src/parse/cgroup.ts";
import { memsnap, memsnapProcess } from "../_helpers/memsnap.ts";
import { copyLiveProc, smemComparable } from "../_helpers/mirror.ts";
import { smem } from "../_helpers/smem.ts";

// Read by smem too: rewritten so that smem reads what memsnap reads (smemComparable).
const DIR = await copyLiveProc(smemComparable);
globalThis.addEventListener("unload", () => Deno.removeSync(DIR, { recursive: true }));

async function json(args: readonly string[]) {
  const { code, stdout } = await memsnap([...args, "--format", "json"]);
  deepStrictEqual(code, 0);
  return JSON.parse(stdout) as {
    rows: Record<string, string | number | null>[];
    totals: Record<string, number>;
  };
}

/** smem's PSS total on the copy: the last number of its -t line. */
async function smemPssTotal(): Promise<number> {
  const { stdout } = await smem(["-S", DIR, "-t", "-c", "pid pss", "-H"]);
  return Number(stdout.trim().split("\n").at(-1)!.trim().split(/\s+/).at(-1));
}

Deno.test("On a copy of this machine's /proc, every view's PSS adds up to smem's total", async () => {
  const total = await smemPssTotal();
  ok(total > 0);
  deepStrictEqual((await json(["-S", DIR, "-c", "pid pss"])).totals.pss, total);
  for (const view of [["--cgroups"], ["--cgroups", "--depth", "1"], ["--commands"], ["--tree"]]) {
    const report = await json(["-S", DIR, ...view, "-c", "pss"]);
    deepStrictEqual(report.totals.pss, total, view.join(" "));
  }
});

Deno.test("On a copy of this machine's /proc, --cgroups groups each process by its own cgroup file", async () => {
  const expected = new Map<string, number>();
  for await (const entry of Deno.readDir(`${DIR}/proc`)) {
    if (!/^\d+$/.test(entry.name)) continue;
    // Kernel threads (no command line) are in no report, as in smem's.
    const cmdline = await Deno.readTextFile(`${DIR}/proc/${entry.name}/cmdline`);
    if (cmdline.replaceAll("\0", "") === "") continue;
    const text = await Deno.readTextFile(`${DIR}/proc/${entry.name}/cgroup`).catch(() => "");
    const cgroup = memoryCgroupOf(parseCgroup(text, `${entry.name}/cgroup`));
    const key = cgroup === null ? "?" : cgroup.path;
    expected.set(key, (expected.get(key) ?? 0) + 1);
  }
  const rows = (await json(["-S", DIR, "--cgroups", "-c", "cgroup count"])).rows;
  deepStrictEqual(new Map(rows.map((r) => [r.cgroup, r.count])), expected);
});

Deno.test("memsnap --cgroups live names this machine's hierarchy and reads each cgroup's charge", async () => {
  const self = memoryCgroupOf(parseCgroup(await Deno.readTextFile("/proc/self/cgroup"), "self"));
  ok(self !== null);
  const { code, stdout } = await memsnapProcess([
    "--cgroups",
    "-c",
    "cgroup hierarchy count pss charge",
    "--format",
    "json",
  ]);
  deepStrictEqual(code, 0);
  const rows: Record<string, string | number | null>[] = JSON.parse(stdout).rows;
  ok(rows.length > 0);
  for (const row of rows) {
    deepStrictEqual(row.hierarchy, `v${self.version}`);
    // Readable as root; only the v2 root cgroup has no memory.current.
    if (!(self.version === 2 && row.cgroup === "/")) {
      ok(typeof row.charge === "number" && row.charge > 0, JSON.stringify(row));
    }
  }
  // memsnap itself is in the cgroup it was started in: this test's.
  ok(rows.some((row) => row.cgroup === self.path), `no row for ${self.path}`);
});
