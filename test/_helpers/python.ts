/**
 * Runs python3, the reference memsnap's formatting and matching must equal:
 * one subprocess per test, JSON in on stdin, JSON out on stdout.
 *
 * @module
 */

const decoder = new TextDecoder();

/**
 * Runs `script` with python3; the script reads `input` as JSON from stdin
 * and prints its answer as JSON.
 */
export async function python<T>(script: string, input: unknown): Promise<T> {
  const child = new Deno.Command("python3", {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(input)));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) throw new Error(`python3 failed (${code}): ${decoder.decode(stderr)}`);
  return JSON.parse(decoder.decode(stdout)) as T;
}
