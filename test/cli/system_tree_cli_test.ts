/** memsnap -w --tree, run as a program: sums, goldens, the gap, usage errors. */

import assert from "node:assert/strict";
import type { MemoryNode } from "../../src/view/system_tree.ts";
import { memsnapProcess, ROOT } from "../_helpers/memsnap.ts";
import { unpackCapture } from "../_helpers/mirror.ts";

const GOLDEN = `${ROOT}fixtures/system-tree/`;
const UPDATE = Deno.env.get("UPDATE_GOLDEN") === "1";

function walk(node: MemoryNode, visit: (node: MemoryNode) => void): void {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}

function assertExact(tree: MemoryNode, memTotal: number): void {
  assert.equal(tree.kb, memTotal);
  let leaves = 0;
  walk(tree, (node) => {
    if (node.children === undefined) leaves += node.kb ?? 0;
    else assert.equal(node.kb, node.children.reduce((a, c) => a + (c.kb ?? 0), 0), node.name);
  });
  assert.equal(leaves, memTotal);
}

Deno.test("memsnap -w --tree live: the leaves sum to MemTotal exactly, every parent to its children", async () => {
  const { code, stdout } = await memsnapProcess(["-w", "--tree", "--format", "json"]);
  assert.equal(code, 0);
  const report = JSON.parse(stdout);
  assert.equal(report.view, "system-tree");
  assert.equal(report.tree.name, "MemTotal");
  assertExact(report.tree, report.memTotal);
  // The rows are the same lines, flattened, parents first.
  assert.equal(report.rows[0].path, "MemTotal");
  assert.equal(
    report.rows.length,
    (() => {
      let n = 0;
      walk(report.tree, () => n++);
      return n;
    })(),
  );
});

for (const capture of ["n8", "n60"]) {
  Deno.test(`memsnap -w --tree on the ${capture} capture: exact sums, and the golden text and JSON`, async () => {
    const source = `fixtures/captures/${capture}.tar.gz`;
    const json = await memsnapProcess(["-S", source, "-w", "--tree", "--format", "json"]);
    assert.equal(json.code, 0);
    assertExact(JSON.parse(json.stdout).tree, JSON.parse(json.stdout).memTotal);
    const text = await memsnapProcess(["-S", source, "-w", "--tree"]);
    assert.equal(text.code, 0);
    for (const [out, suffix] of [[text.stdout, "txt"], [json.stdout, "json"]] as const) {
      const file = `${GOLDEN}${capture}.${suffix}`;
      if (UPDATE) await Deno.writeTextFile(file, out);
      assert.equal(out, await Deno.readTextFile(file));
    }
  });
}

Deno.test("memsnap -w --tree beside userspace: the processes' PSS as smem sums it, and mapped shmem from their Pss_Shmem", async () => {
  const { stdout } = await memsnapProcess([
    "-S",
    "fixtures/captures/n8.tar.gz",
    "-w",
    "--tree",
    "--format",
    "json",
  ]);
  const report = JSON.parse(stdout);
  // smem's own process table on this capture: the PSS column summed.
  const smem = await Deno.readTextFile(`${ROOT}fixtures/captures/n8.smem-processes.txt`);
  const [header, ...rows] = smem.trim().split("\n").map((line) => line.trim().split(/\s+/));
  const column = header!.indexOf("PSS");
  const pss = rows.reduce((a, row) => a + Number(row.at(column - header!.length)), 0);
  assert.equal(report.userspace.processesPssKb, pss);
  assert.equal(report.userspace.mappedKb, 65328 + 81044); // AnonPages + Mapped
  assert.equal(report.userspace.gapKb, 65328 + 81044 - pss);
  // Pss_Shmem from the raw smaps_rollup files.
  const dir = await unpackCapture(`${ROOT}fixtures/captures/n8.tar.gz`);
  let shmem = 0;
  for await (const entry of Deno.readDir(`${dir}/proc`)) {
    if (!/^\d+$/.test(entry.name)) continue;
    const rollup = await Deno.readTextFile(`${dir}/proc/${entry.name}/smaps_rollup`);
    shmem += Number(/^Pss_Shmem:\s+(\d+) kB$/m.exec(rollup)![1]);
  }
  await Deno.remove(dir, { recursive: true });
  const userspace = report.tree.children.find((c: MemoryNode) => c.name === "userspace");
  const tmpfs = userspace.children.find((c: MemoryNode) => c.name === "shmem/tmpfs");
  assert.equal(tmpfs.children[0].name, "mapped");
  assert.equal(tmpfs.children[0].kb, shmem);
});

Deno.test("memsnap -w --tree --format csv: one line per node, with path and depth", async () => {
  const { code, stdout } = await memsnapProcess([
    "-S",
    "fixtures/captures/n8.tar.gz",
    "-w",
    "--tree",
    "--format",
    "csv",
  ]);
  assert.equal(code, 0);
  const lines = stdout.trim().split("\n");
  assert.equal(lines[0], "path,depth,name,kb,reclaimable");
  assert.equal(lines[1], "MemTotal,0,MemTotal,24684096,partly");
  assert.ok(lines.includes("MemTotal/userspace/anonymous,2,anonymous,65328,no"));
  assert.ok(lines.includes("MemTotal/unaccounted,1,unaccounted,56472,unknown"));
});

Deno.test("memsnap -w --tree -R -k: the root is the RAM installed, in units", async () => {
  const { code, stdout } = await memsnapProcess([
    "-S",
    "fixtures/captures/n8.tar.gz",
    "-w",
    "--tree",
    "-R",
    "32G",
    "-k",
  ]);
  assert.equal(code, 0);
  const lines = stdout.split("\n");
  assert.match(lines[1]!, /^RAM \(-R\) +32\.0G partly/);
  // 33554432 - 24684096 kB = 8.5G.
  assert.match(lines[2]!, /^ {2}firmware\/hardware +8\.5G no/);
});

for (
  const [args, message] of [
    [
      ["-u", "--tree"],
      'Option "--tree" applies to the process view and the system view (-w), not "-u"',
    ],
    [
      ["-w", "-m", "--tree"],
      'Option "--tree" applies to the process view and the system view (-w), not "-m"',
    ],
    [["-w", "--tree", "-s", "kb"], "cannot apply"],
    [["-w", "--tree", "-P", "x"], "cannot apply"],
    [["-w", "--tree", "-K", "/vmlinux"], "needs -R with -K"],
  ] as const
) {
  Deno.test(`memsnap ${args.join(" ")} is a usage error`, async () => {
    const { code, stderr, stdout } = await memsnapProcess(args);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.ok(stderr.includes(message), stderr);
  });
}

Deno.test("memsnap -w --tree on an older kernel's meminfo shows the missing fields as unknown", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-old-kernel-" });
  try {
    await Deno.mkdir(`${dir}/proc`);
    await Deno.copyFile(`${ROOT}fixtures/proc/meminfo/old-kernel.txt`, `${dir}/proc/meminfo`);
    const { code, stdout } = await memsnapProcess(["-S", dir, "-w", "--tree"]);
    assert.equal(code, 0);
    for (const line of ["other reclaimable", "secondary page tables", "percpu", "zswap pool"]) {
      assert.match(stdout, new RegExp(`^ {4}${line} +- unknown +$`, "m"), line);
    }
    // No process to tell mapped shmem: the coarse lines.
    assert.match(stdout, /^ {4}mapped \(files and shmem\) +\d+ partly +$/m);
    assert.match(stdout, /PSS of the 0 processes read: 0 kB/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
