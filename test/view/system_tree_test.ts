import assert from "node:assert/strict";
import { parseMeminfo } from "../../src/parse/meminfo.ts";
import { MissingMeminfoError } from "../../src/view/system.ts";
import {
  flattenTree,
  type MemoryNode,
  systemTree,
  UNACCOUNTED_NODE,
} from "../../src/view/system_tree.ts";
import { capturePath } from "../_helpers/mirror.ts";

const FIXTURES = new URL("../../fixtures/", import.meta.url);

async function captureMeminfo(name: string): Promise<Record<string, number>> {
  const { stdout } = await new Deno.Command("tar", {
    args: ["-xzOf", capturePath(name), "meminfo"],
    stdout: "piped",
  }).output();
  return parseMeminfo(new TextDecoder().decode(stdout), "meminfo");
}

async function fixtureMeminfo(name: string): Promise<Record<string, number>> {
  return parseMeminfo(
    await Deno.readTextFile(new URL(`proc/meminfo/${name}.txt`, FIXTURES)),
    "meminfo",
  );
}

/** Every meminfo the tests have: both captures, the parser fixtures, this machine's. */
async function allMeminfos(): Promise<[string, Record<string, number>][]> {
  return [
    ["n8 capture", await captureMeminfo("n8.tar.gz")],
    ["n60 capture", await captureMeminfo("n60.tar.gz")],
    ["this-machine fixture", await fixtureMeminfo("this-machine")],
    ["old-kernel fixture", await fixtureMeminfo("old-kernel")],
    ["live /proc/meminfo", parseMeminfo(await Deno.readTextFile("/proc/meminfo"), "meminfo")],
  ];
}

function node(root: MemoryNode, path: string): MemoryNode {
  const found = flattenTree(root).find((p) => p.path.join("/") === path);
  assert.ok(found, `no node ${path}`);
  return found.node;
}

function leaves(root: MemoryNode): MemoryNode[] {
  return flattenTree(root).map((p) => p.node).filter((n) => n.children === undefined);
}

/** Asserts that every parent is the sum of its children's known sizes. */
function assertAddsUp(root: MemoryNode): void {
  for (const { node, path } of flattenTree(root)) {
    if (node.children === undefined) continue;
    const sum = node.children.reduce((a, c) => a + (c.kb ?? 0), 0);
    assert.equal(node.kb, sum, `${path.join("/")} is not the sum of its children`);
  }
}

Deno.test("systemTree(): the leaves sum to MemTotal exactly and every parent to its children, on every meminfo", async () => {
  for (const [name, meminfo] of await allMeminfos()) {
    for (const mappedShmemKb of [undefined, 0, meminfo.Shmem! >> 1]) {
      const tree = systemTree(meminfo, mappedShmemKb === undefined ? {} : { mappedShmemKb });
      assert.equal(tree.kb, meminfo.MemTotal, name);
      assert.equal(leaves(tree).reduce((a, l) => a + (l.kb ?? 0), 0), meminfo.MemTotal, name);
      assertAddsUp(tree);
    }
  }
});

Deno.test("systemTree() with -R: the root is the RAM installed, firmware the difference", async () => {
  for (const [name, meminfo] of await allMeminfos()) {
    const tree = systemTree(meminfo, { realMemKb: 33_554_432, kernelKb: 20_000 });
    assert.equal(tree.kb, 33_554_432, name);
    assert.equal(
      node(tree, "RAM (-R)/firmware/hardware").kb,
      33_554_432 - meminfo.MemTotal! - 20_000,
    );
    assert.equal(node(tree, "RAM (-R)/kernel image").kb, 20_000);
    assert.equal(node(tree, "RAM (-R)/MemTotal").kb, meminfo.MemTotal);
    assert.equal(leaves(tree).reduce((a, l) => a + (l.kb ?? 0), 0), 33_554_432);
    assertAddsUp(tree);
  }
});

Deno.test("systemTree() on the n8 capture: each line from its meminfo fields", async () => {
  const meminfo = await captureMeminfo("n8.tar.gz");
  // The 8 processes' Pss_Shmem (their smaps_rollup): 32768 kB, one memfd.
  const tree = systemTree(meminfo, { mappedShmemKb: 32768 });
  const kb = (path: string) => node(tree, `MemTotal/${path}`).kb;
  assert.equal(kb("free"), 23880456); // MemFree
  assert.equal(kb("userspace/anonymous"), 65328); // AnonPages
  assert.equal(kb("userspace/file-backed, mapped"), 81044 - 32768); // Mapped - mapped shmem
  assert.equal(kb("userspace/shmem/tmpfs"), 41556); // Shmem
  assert.equal(kb("userspace/shmem/tmpfs/not mapped"), 41556 - 32768);
  assert.equal(kb("page cache/files, not mapped"), 512548 - 41556 - (81044 - 32768)); // Cached - ...
  assert.equal(kb("page cache/buffers"), 5096);
  assert.equal(kb("kernel/slab"), 145852); // Slab = SReclaimable + SUnreclaim
  assert.equal(kb("kernel/other reclaimable"), 0); // KReclaimable - SReclaimable
  assert.equal(kb("kernel/vmalloc"), 14156);
  // 24684096 - (23880456 + 65328 + 48276 + 41556 + 422716 + 5096 + 0 + 117508
  //   + 28344 + 0 + 1392 + 1868 + 0 + 14156 + 928 + 0 + 0), by hand.
  assert.equal(kb(UNACCOUNTED_NODE), 56472);
  assert.equal(node(tree, "MemTotal/free").reclaimable, true);
  assert.equal(node(tree, "MemTotal/userspace").reclaimable, "partly");
  assert.equal(node(tree, "MemTotal/page cache").reclaimable, true);
  assert.equal(node(tree, `MemTotal/${UNACCOUNTED_NODE}`).reclaimable, null);
});

Deno.test("systemTree() without the processes' Pss_Shmem keeps mapped and unmapped cache whole", async () => {
  const meminfo = await captureMeminfo("n8.tar.gz");
  const tree = systemTree(meminfo);
  assert.equal(node(tree, "MemTotal/userspace/mapped (files and shmem)").kb, 81044);
  assert.equal(node(tree, "MemTotal/page cache/not mapped (files and shmem)").kb, 512548 - 81044);
  assert.equal(node(tree, `MemTotal/${UNACCOUNTED_NODE}`).kb, 56472);
});

Deno.test("systemTree() shows the fields an older kernel lacks as unknown, their memory in unaccounted", async () => {
  const meminfo = await fixtureMeminfo("old-kernel");
  const full = systemTree(await fixtureMeminfo("this-machine"), { mappedShmemKb: 0 });
  const tree = systemTree(meminfo, { mappedShmemKb: 0 });
  for (const line of ["other reclaimable", "secondary page tables", "percpu", "zswap pool"]) {
    const missing = node(tree, `MemTotal/kernel/${line}`);
    assert.equal(missing.kb, null, line);
    assert.equal(missing.reclaimable, null, line);
  }
  // Hugetlb (5.16+) is missing too: the default size's pool stands in.
  assert.equal(node(tree, "MemTotal/kernel/hugetlb pools").kb, 0);
  const unaccounted = (t: MemoryNode) => node(t, `MemTotal/${UNACCOUNTED_NODE}`).kb!;
  // KReclaimable - SReclaimable (0), SecPageTables (0), Percpu (664), Zswap (0).
  assert.equal(unaccounted(tree) - unaccounted(full), 664);
});

Deno.test("systemTree() shows counters that overlap as a negative unaccounted, not hidden", () => {
  const tree = systemTree({
    MemTotal: 1000,
    MemFree: 500,
    AnonPages: 100,
    Mapped: 50,
    Shmem: 0,
    Cached: 200,
    Buffers: 0,
    SwapCached: 0,
    SReclaimable: 100,
    SUnreclaim: 20,
    KernelStack: 30,
    // Kernel stacks are vmalloc()ed (VMAP_STACK): in both lines.
    VmallocUsed: 80,
  }, { mappedShmemKb: 0 });
  assert.equal(node(tree, `MemTotal/${UNACCOUNTED_NODE}`).kb, 1000 - 1030);
  assert.equal(tree.kb, 1000);
  assertAddsUp(tree);
});

Deno.test("systemTree() refuses a meminfo without MemTotal", () => {
  assert.throws(
    () => systemTree({ MemFree: 1 }),
    new MissingMeminfoError('Cannot show the system tree: meminfo has no "MemTotal"'),
  );
});
