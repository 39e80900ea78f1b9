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

/**
 * The test files (relative to the repository) that run memsnap as a program:
 * directly, or through a test helper that does (test/_helpers/busybox.ts).
 */
export async function endToEndTestFiles(dir = `${ROOT}test`): Promise<string[]> {
  const helpers = await endToEndHelpers();
  const runsMemsnap = (text: string) =>
    E2E.test(text) || helpers.some((name) => text.includes(`_helpers/${name}"`));
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory && !entry.name.startsWith("_")) await walk(path);
      else if (entry.name.endsWith("_test.ts") && runsMemsnap(await Deno.readTextFile(path))) {
        files.push(relative(ROOT, path));
      }
    }
  };
  await walk(dir);
  return files.sort();
}

/** The helper modules (by file name) that run memsnap as a program. */
async function endToEndHelpers(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(`${ROOT}test/_helpers`)) {
    // memsnap.ts defines the runners; importing it says nothing.
    if (!entry.name.endsWith(".ts") || entry.name === "memsnap.ts") continue;
    if (E2E.test(await Deno.readTextFile(`${ROOT}test/_helpers/${entry.name}`))) {
      names.push(entry.name);
    }
  }
  return names;
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
