/** Runs Debian's smem, the reference, for parity tests. */

import type { Outcome } from "./memsnap.ts";

const SMEM = "/usr/bin/smem";

/** Fails with a clear message where smem is not installed. */
export async function requireSmem(): Promise<void> {
  try {
    await Deno.stat(SMEM);
  } catch {
    throw new Error(
      `${SMEM} is missing: the parity tests run Debian's smem (sh scripts/ensure-test-tools.sh installs it)`,
    );
  }
}

/**
 * smem 1.5 run unchanged but for its Python 3 bug reading tarballs
 * (a copy of the shared tools' smem-tar): `smem -S FILE.tar.gz` works.
 */
const SMEM_TAR = new URL("./smem-tar.py", import.meta.url).pathname;

/**
 * Runs `smem ARGS` with no terminal (as memsnap's tests run memsnap).
 *
 * @param options.tar Through smem-tar, so that `-S FILE.tar.gz` reads.
 */
export async function smem(
  args: readonly string[],
  options: { readonly tar?: boolean } = {},
): Promise<Outcome> {
  await requireSmem();
  const { code, stdout, stderr } = await new Deno.Command(options.tar ? "python3" : SMEM, {
    args: options.tar ? [SMEM_TAR, ...args] : [...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}
