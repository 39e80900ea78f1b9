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

/**
 * memsnap's own run-time files (the web UI's script and style sheet),
 * relative to the repository: plain files, so that they are formatted and
 * linted as what they are, and embedded like the others.
 */
export const SOURCE_ASSETS = {
  uiScript: "src/web/ui.js",
  uiStyle: "src/web/ui.css",
} as const;

/** The name of one run-time asset. */
export type AssetName = keyof typeof ASSETS | keyof typeof SOURCE_ASSETS;

/** Each asset's path relative to the repository (what the compiler embeds). */
export function assetFiles(): Record<AssetName, string> {
  return {
    ...Object.fromEntries(
      Object.entries(ASSETS).map(([name, path]) => [name, `node_modules/${path}`]),
    ) as Record<keyof typeof ASSETS, string>,
    ...SOURCE_ASSETS,
  };
}

/** The global a compiled binary's entry point sets: asset name → path of the embedded file. */
export const EMBEDDED_ASSETS_GLOBAL = "__memsnapAssets";

/** The repository, where `deno run` finds the assets (node_modules, src/web). */
const ROOT = new URL("../../", import.meta.url);

/** Where the asset is: embedded in the binary, else in node_modules. */
export function assetPath(name: AssetName): string {
  const embedded: unknown = Reflect.get(globalThis, EMBEDDED_ASSETS_GLOBAL);
  const path = (embedded as Partial<Record<AssetName, string>> | undefined)?.[name];
  return path ?? fileURLToPath(new URL(assetFiles()[name], ROOT));
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
        throw new Error(`Cannot read memsnap's asset "${path}": ${error.message}`);
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
