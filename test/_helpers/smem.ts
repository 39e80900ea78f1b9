/** Runs Debian's smem, the reference, for parity tests. */

import type { Outcome } from "./memsnap.ts";

const SMEM = "/usr/bin/smem";

/** Fails with a clear message where smem is not installed. */
export async function requireSmem(): Promise<void> {
  try {
    await Deno.stat(SMEM);
  } catch {
    throw new Error(
      `${SMEM} is missing: the parity tests run Debian's smem (sh scripts/ensure-smem.sh installs it)`,
    );
  }
}

/** Runs `smem ARGS` with no terminal (as memsnap's tests run memsnap). */
export async function smem(args: readonly string[]): Promise<Outcome> {
  await requireSmem();
  const { code, stdout, stderr } = await new Deno.Command(SMEM, {
    args: [...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}
