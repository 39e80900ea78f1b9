/**
 * A process and all its descendants, from every process's parent. Pure.
 *
 * @param parents Parent pid by pid.
 * @param root The process whose tree is kept.
 */
export function descendants(
  parents: ReadonlyMap<number, number>,
  root: number,
): ReadonlySet<number> {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    children.set(ppid, [...children.get(ppid) ?? [], pid]);
  }
  const tree = new Set<number>([root]);
  const pending = [root];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    for (const child of children.get(pid) ?? []) {
      if (!tree.has(child)) {
        tree.add(child);
        pending.push(child);
      }
    }
  }
  return tree;
}
