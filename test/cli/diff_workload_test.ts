/**
 * A workload that allocates, then frees, 48 MiB between three captures of
 * this machine: `memsnap diff` finds it, by process and by command.
 */

import { deepStrictEqual, ok } from "node:assert/strict";
import { memsnapProcess } from "../_helpers/memsnap.ts";

const MIB = 1024; // kB
const BLOCK = 48 * MIB;
const MARKER = `memsnap-diff-workload-${Deno.pid}`;

// Python's big bytes objects are mmapped and munmapped whole: the heap
// holds nothing of them after they are freed.
const SCRIPT = `
import sys
blocks = []
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() == "grow":
        blocks.append(b"\\x01" * (${BLOCK} * 1024))
    else:
        blocks.clear()
    print("done", flush=True)
`;

const work = await Deno.makeTempDir({ prefix: "memsnap-diff-workload-" });
globalThis.addEventListener("unload", () => Deno.removeSync(work, { recursive: true }));

// The workload runs a python of its own (a copy of Debian's, named python3): its text is then
// shared with no other process, so python3s that other tests start and stop meanwhile do not
// move its USS (its ~2.5 MiB of interpreter text, shared with them, did: "USS shrank by 46576 kB").
const python = `${work}/python3`;
await Deno.copyFile(await Deno.realPath("/usr/bin/python3"), python);
await Deno.chmod(python, 0o755);
const child = new Deno.Command(python, {
  env: { PYTHONHOME: "/usr" },
  args: ["-c", SCRIPT, MARKER],
  stdin: "piped",
  stdout: "piped",
}).spawn();
const writer = child.stdin.getWriter();
const output = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
let pending = "";
/** The workload's next line (chunks need not end at a line's end). */
async function nextLine(): Promise<string | undefined> {
  while (!pending.includes("\n")) {
    const { value, done } = await output.read();
    if (done) return undefined;
    pending += value;
  }
  const line = pending.slice(0, pending.indexOf("\n"));
  pending = pending.slice(line.length + 1);
  return line;
}
async function step(command?: string): Promise<void> {
  if (command !== undefined) await writer.write(new TextEncoder().encode(command + "\n"));
  deepStrictEqual(await nextLine(), command === undefined ? "ready" : "done");
}

async function capture(name: string): Promise<string> {
  const file = `${work}/${name}.tar.gz`;
  const { code, stderr } = await memsnapProcess(["capture", "--detail", "rollup", "-o", file]);
  deepStrictEqual(code, 0, stderr);
  return file;
}

await step();
const before = await capture("before");
await step("grow");
const grown = await capture("grown");
await step("free");
const freed = await capture("freed");
await writer.close();
await output.cancel();
await child.status;

type Change = { a: number; b: number; change: number };
async function diff(a: string, b: string, args: string[]) {
  const { code, stdout, stderr } = await memsnapProcess(
    ["diff", a, b, "-P", MARKER, "--format", "json", ...args],
  );
  deepStrictEqual([code, stderr], [0, ""]);
  const rows: { labels: Record<string, unknown>; metrics: { pss: Change; uss: Change } }[] =
    JSON.parse(stdout).rows;
  // The metrics, beside the labels, as the tests below read them.
  return rows.map((row) => ({ labels: row.labels, ...row.metrics }));
}

/**
 * The block's size in kB, give or take what Python allocates beside it
 * (USS), and, for PSS, what other processes starting and ending in the
 * meantime move of the shared libraries' pages.
 */
function nearBlock(kb: number, slack = 2 * MIB): boolean {
  return kb >= BLOCK - slack && kb <= BLOCK + slack;
}

for (
  const [label, args, key] of [["process", [], "pid"], [
    "command",
    ["--by", "command"],
    "command",
  ]] as const
) {
  Deno.test(`memsnap diff finds 48 MiB allocated, then freed, by ${label}`, async () => {
    const grew = await diff(before, grown, [...args]);
    deepStrictEqual(grew.length, 1, JSON.stringify(grew));
    const row = grew[0]!;
    deepStrictEqual(row.labels[key], key === "pid" ? child.pid : "python3");
    ok(nearBlock(row.uss.change), `USS grew by ${row.uss.change} kB`);
    ok(nearBlock(row.pss.change, 6 * MIB), `PSS grew by ${row.pss.change} kB`);
    const shrank = (await diff(grown, freed, [...args]))[0]!;
    ok(nearBlock(-shrank.uss.change), `USS shrank by ${-shrank.uss.change} kB`);
    ok(nearBlock(-shrank.pss.change, 6 * MIB), `PSS shrank by ${-shrank.pss.change} kB`);
    // Freed, the process's own memory is back to what it was, within a MiB.
    ok(Math.abs((await diff(before, freed, [...args]))[0]!.uss.change) < MIB);
  });
}
