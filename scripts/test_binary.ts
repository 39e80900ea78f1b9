/**
 * `deno task test:binary [deno test options]`: runs the end-to-end tests
 * again, against the compiled dist/memsnap (`deno task compile` builds it).
 * An end-to-end test file is one that runs memsnap through the test helper
 * (memsnapProcess or memsnapCommand), which MEMSNAP_COMMAND points at the
 * binary: a new e2e test file is picked up without being listed here.
 *
 * @module
 */

import { relative } from "node:path";
import { BINARY } from "./compile.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const E2E = /\bmemsnap(Process|Command)\(/;

/** The test files (relative to the repository) that run memsnap as a program. */
export async function endToEndTestFiles(dir = `${ROOT}test`): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory && !entry.name.startsWith("_")) {
      files.push(...await endToEndTestFiles(path));
    } else if (entry.name.endsWith("_test.ts") && E2E.test(await Deno.readTextFile(path))) {
      files.push(relative(ROOT, path));
    }
  }
  return files.sort();
}

async function main(args: string[]): Promise<void> {
  try {
    await Deno.stat(BINARY);
  } catch {
    console.error(`test:binary: ${BINARY} is missing: "deno task compile" builds it`);
    Deno.exit(1);
  }
  const files = await endToEndTestFiles();
  console.error(`test:binary: ${files.length} end-to-end test files against ${BINARY}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--parallel", ...args, ...files],
    cwd: ROOT,
    env: { MEMSNAP_COMMAND: BINARY },
  }).spawn().status;
  Deno.exit(code);
}

if (import.meta.main) await main(Deno.args);
