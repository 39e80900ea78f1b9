/** The compiled binary (scripts/compile.ts), as the tests expect to find it. */

import { match } from "node:assert/strict";
import config from "../../deno.json" with { type: "json" };
import { BUN_VERSION, commitId } from "../../scripts/compile.ts";

/**
 * Checks the `--version` line of a binary that `deno task compile` built from
 * this tree (with bun, or with deno compile), failing with a hint when the
 * binary is stale.
 */
export async function assertCompiledVersion(stdout: string): Promise<void> {
  const runtime = `(bun ${BUN_VERSION}|deno ${Deno.version.deno})`;
  const commit = await commitId();
  match(
    stdout,
    new RegExp(
      `^memsnap ${config.version} \\(commit ${commit}, runtime ${runtime}, compiled\\)\n$`,
    ),
    `not the --version of a binary built from commit ${commit} (deno task compile rebuilds it): ${stdout}`,
  );
}
