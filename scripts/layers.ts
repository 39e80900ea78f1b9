/**
 * Checks memsnap's layering: every import under src/ (static, dynamic or
 * type-only) goes to its own folder or to one below it in LAYERS, and no
 * modules import each other in a loop. `deno run -A scripts/layers.ts`
 * prints what breaks a rule (exit 1) or the folders' imports (exit 0);
 * test/scripts/layers_test.ts runs it on every test run.
 *
 * @module
 */

import { dirname, relative, resolve } from "node:path";

/** The folders of src/, lowest first: a folder imports only from those before it (or itself). */
export const LAYERS = [
  "errors",
  "units",
  "sink",
  "parse",
  "archive",
  "source",
  "snapshot",
  "select",
  "view",
  "diff",
  "render",
  "chart",
  "capture",
  "app",
  "http",
  "web",
  "cli",
] as const;

const SRC = resolve(new URL("../src", import.meta.url).pathname);

/** One import of one module. */
export interface Edge {
  readonly from: string;
  readonly to: string;
}

/** Every relative import of every module under `root` (paths relative to it). */
export async function importsUnder(root = SRC): Promise<Edge[]> {
  const edges: Edge[] = [];
  const pattern = /(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+\.ts)["']/g;
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".ts")) {
        const text = await Deno.readTextFile(path);
        for (const match of text.matchAll(pattern)) {
          edges.push({
            from: relative(root, path),
            to: relative(root, resolve(dirname(path), match[1]!)),
          });
        }
      }
    }
  };
  await walk(root);
  return edges;
}

/** A module's layer: its folder under src/. */
function layerOf(path: string): number {
  return (LAYERS as readonly string[]).indexOf(path.split("/")[0]!);
}

/** The imports that run up (to a later layer) or out of src/, or name no layer. */
export function upwardImports(edges: readonly Edge[]): Edge[] {
  return edges.filter(({ from, to }) =>
    to.startsWith("..") || layerOf(from) < 0 || layerOf(to) < 0 || layerOf(to) > layerOf(from)
  );
}

/** The modules that import each other in a loop (Tarjan's strongly connected components). */
export function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...next.get(from) ?? [], to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      for (let top = stack.pop()!;; top = stack.pop()!) {
        onStack.delete(top);
        component.push(top);
        if (top === node) break;
      }
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return found;
}

if (import.meta.main) {
  const edges = await importsUnder();
  const up = upwardImports(edges);
  const loops = cycles(edges);
  for (const { from, to } of up) console.log(`upward: ${from} -> ${to}`);
  for (const loop of loops) console.log(`cycle: ${loop.join(" <-> ")}`);
  if (up.length > 0 || loops.length > 0) Deno.exit(1);
  const folders = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const [a, b] = [from.split("/")[0]!, to.split("/")[0]!];
    if (a !== b) folders.set(a, (folders.get(a) ?? new Set()).add(b));
  }
  for (const layer of LAYERS) {
    console.log(`${layer.padEnd(9)} -> ${[...folders.get(layer) ?? []].sort().join(", ")}`);
  }
}
