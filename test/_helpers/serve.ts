/** Runs `memsnap serve` as a program for tests, on loopback, every wait bounded. */

import { memsnapCommand, ROOT } from "./memsnap.ts";

export interface Served {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly child: Deno.ChildProcess;
  /** What it wrote on stderr so far. */
  stderr(): string;
  stop(signal?: Deno.Signal): Promise<number>;
}

/**
 * Starts memsnap serve with `args`; resolves once it says where it listens.
 * `command` is how memsnap is run (the benchmarks pass their --memsnap).
 */
export async function serve(
  args: readonly string[],
  listen = "127.0.0.1:0",
  command: readonly string[] = memsnapCommand(),
): Promise<Served> {
  const [program, ...prefix] = command;
  const child = new Deno.Command(program!, {
    args: [...prefix, "serve", "--listen", listen, ...args],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const deadline = Date.now() + 30_000;
  while (!/listening on (\S+)\/\n/.test(seen)) {
    if (Date.now() > deadline) throw new Error(`serve did not start: ${seen}`);
    const { value, done } = await reader.read();
    if (done) throw new Error(`serve ended: ${seen}`);
    seen += value;
  }
  // Keep draining stderr so that the child never blocks on it.
  (async () => {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      seen += next.value;
    }
  })().catch(() => {});
  const url = /listening on (\S+)\/\n/.exec(seen)![1]!;
  return {
    url,
    port: Number(new URL(url).port),
    child,
    stderr: () => seen,
    async stop(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch { /* already ended */ }
      return (await child.status).code;
    },
  };
}
