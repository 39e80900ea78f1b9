/**
 * The files the chart stack reads at run time — the embedded font, resvg's
 * WebAssembly and the scripts an HTML chart inlines — found the same way
 * under `deno run` and inside the compiled binary, with nothing beside it.
 *
 * Under `deno run` they are read from node_modules (deno.json's
 * nodeModulesDir "auto" puts it at the repository root). scripts/compile.ts
 * embeds each of them in the binary and, before memsnap starts, stores the
 * embedded files' paths under {@linkcode EMBEDDED_ASSETS_GLOBAL}; node:fs
 * reads those paths inside the binary.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** Each asset's path inside node_modules (the package and file are pinned in deno.json). */
export const ASSETS = {
  font: "dejavu-fonts-ttf/ttf/DejaVuSans.ttf",
  fontBold: "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf",
  resvgWasm: "@resvg/resvg-wasm/index_bg.wasm",
  vegaScript: "vega/build/vega.min.js",
  vegaLiteScript: "vega-lite/build/vega-lite.min.js",
  vegaEmbedScript: "vega-embed/build/vega-embed.min.js",
} as const;

/** The name of one run-time asset. */
export type AssetName = keyof typeof ASSETS;

/** The global a compiled binary's entry point sets: asset name → path of the embedded file. */
export const EMBEDDED_ASSETS_GLOBAL = "__memsnapAssets";

/** The repository's node_modules, where `deno run` finds the assets. */
const NODE_MODULES = new URL("../../node_modules/", import.meta.url);

/** Where the asset is: embedded in the binary, else in node_modules. */
export function assetPath(name: AssetName): string {
  const embedded: unknown = Reflect.get(globalThis, EMBEDDED_ASSETS_GLOBAL);
  const path = (embedded as Partial<Record<AssetName, string>> | undefined)?.[name];
  return path ?? fileURLToPath(new URL(ASSETS[name], NODE_MODULES));
}

const cache = new Map<AssetName, Promise<Uint8Array>>();

/** The asset's bytes (read once per process). */
export function readAsset(name: AssetName): Promise<Uint8Array> {
  let bytes = cache.get(name);
  if (bytes === undefined) {
    const path = assetPath(name);
    bytes = readFile(path).then(
      (data) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      (error: Error) => {
        cache.delete(name);
        throw new Error(`Cannot read memsnap's chart asset "${path}": ${error.message}`);
      },
    );
    cache.set(name, bytes);
  }
  return bytes;
}

/** The asset as text (the HTML page's scripts). */
export async function readAssetText(name: AssetName): Promise<string> {
  return new TextDecoder().decode(await readAsset(name));
}
