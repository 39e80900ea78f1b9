/**
 * The system tree (`-w --tree`): all of RAM as a hierarchy whose children
 * sum exactly to their parent, from /proc/meminfo (docs/system-view.md says
 * what each line is and where it comes from).
 *
 * @module
 */

import { MissingMeminfoError } from "./missing_meminfo.ts";

/**
 * Whether the kernel can take a line's memory back without losing data
 * (cache: smem's "cache" column): yes, no, partly (a line mixing both), or
 * null when not known (unknown size, "unaccounted").
 */
export type Reclaimable = true | false | "partly" | null;

/** One line of the tree. */
export interface MemoryNode {
  readonly name: string;
  /**
   * kB; null when the kernel does not report it (an older kernel): that
   * memory is then inside "unaccounted", never counted as zero.
   */
  readonly kb: number | null;
  readonly reclaimable: Reclaimable;
  /** Absent on leaves. A parent's kb is the sum of its children's known kb. */
  readonly children?: readonly MemoryNode[];
}

/** What -R and -K add, and what the processes tell. */
export interface SystemTreeInput {
  /** -R: the RAM installed, kB; the root is then this, not MemTotal. */
  readonly realMemKb?: number;
  /** -K: the kernel image, kB (part of what -R has beyond MemTotal). */
  readonly kernelKb?: number;
  /**
   * Shmem that processes map: the sum of their Pss_Shmem. Undefined when not
   * known (no smaps_rollup): the shmem and page cache lines are then coarser.
   */
  readonly mappedShmemKb?: number;
}

/** The root's name when it is MemTotal. */
export const MEMTOTAL_NODE = "MemTotal";
/** The name of the line that holds what no counter explains. */
export const UNACCOUNTED_NODE = "unaccounted";

type Meminfo = Readonly<Record<string, number>>;

/**
 * Builds the tree. Every parent's kb is the exact sum of its children's
 * known kb; the root is MemTotal (or -R), and "unaccounted" is MemTotal
 * minus every other known line: negative when the kernel's counters overlap
 * (e.g. kernel stacks allocated with vmalloc count in both lines).
 *
 * @throws {MissingMeminfoError} When meminfo lacks MemTotal or MemFree.
 */
export function systemTree(meminfo: Meminfo, input: SystemTreeInput = {}): MemoryNode {
  for (const key of ["MemTotal", "MemFree"]) {
    if (meminfo[key] === undefined) {
      throw new MissingMeminfoError(`Cannot show the system tree: meminfo has no "${key}"`);
    }
  }
  const memTotal = meminfo.MemTotal!;
  const known = [
    leaf("free", field(meminfo, "MemFree"), true),
    userspace(meminfo, input.mappedShmemKb),
    pageCache(meminfo, input.mappedShmemKb),
    kernel(meminfo),
  ];
  const unaccounted = leaf(UNACCOUNTED_NODE, memTotal - sumKnown(known), null);
  const total = branch(MEMTOTAL_NODE, [...known, unaccounted]);
  if (input.realMemKb === undefined) return total;
  const kernelKb = input.kernelKb ?? 0;
  return branch("RAM (-R)", [
    leaf("firmware/hardware", input.realMemKb - memTotal - kernelKb, false),
    ...(input.kernelKb === undefined ? [] : [leaf("kernel image", kernelKb, false)]),
    total,
  ]);
}

function userspace(m: Meminfo, mappedShmem: number | undefined): MemoryNode {
  const anonymous = leaf("anonymous", field(m, "AnonPages"), false);
  if (mappedShmem === undefined) {
    return branch("userspace", [
      anonymous,
      leaf("mapped (files and shmem)", field(m, "Mapped"), "partly"),
    ]);
  }
  return branch("userspace", [
    anonymous,
    leaf("file-backed, mapped", minus(field(m, "Mapped"), mappedShmem), true),
    branch("shmem/tmpfs", [
      leaf("mapped", field(m, "Shmem") === null ? null : mappedShmem, false),
      leaf("not mapped", minus(field(m, "Shmem"), mappedShmem), false),
    ]),
  ]);
}

function pageCache(m: Meminfo, mappedShmem: number | undefined): MemoryNode {
  // Cached holds Shmem and the mapped file pages; what is left is the cache
  // no process maps.
  const unmapped = mappedShmem === undefined
    ? leaf(
      "not mapped (files and shmem)",
      minus(field(m, "Cached"), field(m, "Mapped")),
      "partly",
    )
    : leaf(
      "files, not mapped",
      minus(
        field(m, "Cached"),
        field(m, "Shmem"),
        minus(field(m, "Mapped"), mappedShmem),
      ),
      true,
    );
  return branch("page cache", [
    unmapped,
    leaf("buffers", field(m, "Buffers"), true),
    leaf("swap cache", field(m, "SwapCached"), true),
  ]);
}

function kernel(m: Meminfo): MemoryNode {
  return branch("kernel", [
    branch("slab", [
      leaf("reclaimable", field(m, "SReclaimable"), true),
      leaf("unreclaimable", field(m, "SUnreclaim"), false),
    ]),
    // KReclaimable is SReclaimable plus other reclaimable kernel memory.
    leaf("other reclaimable", minus(field(m, "KReclaimable"), field(m, "SReclaimable")), true),
    leaf("kernel stacks", field(m, "KernelStack"), false),
    leaf("page tables", field(m, "PageTables"), false),
    leaf("secondary page tables", field(m, "SecPageTables"), false),
    leaf("vmalloc", field(m, "VmallocUsed"), false),
    leaf("percpu", field(m, "Percpu"), false),
    leaf("zswap pool", field(m, "Zswap"), false),
    leaf("hugetlb pools", hugetlb(m), false),
  ]);
}

/** Every huge page pool (Hugetlb), or, on older kernels, the default size's pool. */
function hugetlb(m: Meminfo): number | null {
  const all = field(m, "Hugetlb");
  if (all !== null) return all;
  const pages = field(m, "HugePages_Total");
  const size = field(m, "Hugepagesize");
  return pages === null || size === null ? null : pages * size;
}

function field(m: Meminfo, key: string): number | null {
  return m[key] ?? null;
}

/** `a - b - c ...`, unknown when any is. */
function minus(first: number | null, ...rest: (number | null)[]): number | null {
  if (first === null || rest.includes(null)) return null;
  return rest.reduce<number>((a, b) => a - b!, first);
}

function leaf(name: string, kb: number | null, reclaimable: Reclaimable): MemoryNode {
  return { name, kb, reclaimable: kb === null ? null : reclaimable };
}

function branch(name: string, children: readonly MemoryNode[]): MemoryNode {
  return {
    name,
    kb: children.some((c) => c.kb !== null) ? sumKnown(children) : null,
    reclaimable: combined(children.map((c) => c.reclaimable)),
    children,
  };
}

/** All yes: yes; all no: no; all unknown: unknown; any other mix: partly. */
function combined(flags: readonly Reclaimable[]): Reclaimable {
  if (flags.every((f) => f === null)) return null;
  if (flags.every((f) => f === true)) return true;
  if (flags.every((f) => f === false)) return false;
  return "partly";
}

function sumKnown(nodes: readonly MemoryNode[]): number {
  return nodes.reduce((sum, node) => sum + (node.kb ?? 0), 0);
}

/** One node with its place in the tree, in the tree's order (parents first). */
export interface PlacedNode {
  readonly node: MemoryNode;
  /** 0 for the root. */
  readonly depth: number;
  /** Names from the root, joined by " / " as they read. */
  readonly path: readonly string[];
}

/** The tree's nodes in order: each parent, then its children. */
export function flattenTree(root: MemoryNode): PlacedNode[] {
  const out: PlacedNode[] = [];
  const visit = (node: MemoryNode, path: readonly string[]) => {
    const here = [...path, node.name];
    out.push({ node, depth: path.length, path: here });
    for (const child of node.children ?? []) visit(child, here);
  };
  visit(root, []);
  return out;
}
