/**
 * memsnap --version: the version, the commit and the runtime. A compiled
 * binary carries a build stamp (written by scripts/compile.ts into the
 * generated entry point, before main.ts runs); `deno run main.ts` has none.
 *
 * @module
 */

import process from "node:process";
import config from "../../deno.json" with { type: "json" };

/** memsnap's version, from deno.json. */
export const VERSION: string = config.version;

/** What the build script stamps into a compiled binary. */
export interface BuildStamp {
  /** The git commit it was built from (`-dirty` with local changes), or "unknown". */
  readonly commit: string;
}

/** The global the generated entry point sets (scripts/compile.ts). */
export const BUILD_STAMP_GLOBAL = "memsnapBuildStamp";

/** The build stamp of this program: undefined unless it is a compiled binary. */
export function buildStamp(): BuildStamp | undefined {
  const stamp: unknown = Reflect.get(globalThis, BUILD_STAMP_GLOBAL);
  return typeof stamp === "object" && stamp !== null && "commit" in stamp &&
      typeof stamp.commit === "string"
    ? { commit: stamp.commit }
    : undefined;
}

/** The JavaScript runtime running this program, with its version: "bun 1.4.5". */
export function runtimeName(versions: Readonly<Record<string, string | undefined>>): string {
  for (const name of ["bun", "deno", "node"]) {
    if (versions[name] !== undefined) return `${name} ${versions[name]}`;
  }
  return "unknown";
}

/**
 * The line `memsnap --version` prints, e.g.
 * `memsnap 0.1.0 (commit 15d11d1c2b3a, runtime bun 1.4.5, compiled)`.
 */
export function versionLine(stamp: BuildStamp | undefined, runtime: string): string {
  const how = stamp ? "compiled" : "not compiled";
  return `memsnap ${VERSION} (commit ${stamp?.commit ?? "unknown"}, runtime ${runtime}, ${how})`;
}

/** This program's version line. */
export function currentVersionLine(): string {
  return versionLine(buildStamp(), runtimeName(process.versions));
}
