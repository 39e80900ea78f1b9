/** Runs memsnap in-process or as a subprocess, for tests. */

import { memoryIo } from "../../src/cli/io.ts";
import { run } from "../../src/cli/run.ts";

export interface Outcome {
  /** The process id, when run as a program. */
  readonly pid?: number;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs memsnap's CLI in this process (fast: the parity matrices use it). */
export async function memsnap(args: readonly string[], terminalColumns?: number): Promise<Outcome> {
  const io = memoryIo(terminalColumns);
  const code = await run(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** The repository's root directory. */
export const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * The command that runs memsnap as a program: `deno run -A main.ts`, or what
 * MEMSNAP_COMMAND names (e.g. a compiled binary), split on spaces.
 */
export function memsnapCommand(): string[] {
  const given = Deno.env.get("MEMSNAP_COMMAND");
  return given ? given.split(" ") : [Deno.execPath(), "run", "-A", `${ROOT}main.ts`];
}

/**
 * Runs memsnap as a subprocess, the way a user runs it. `deno task test`
 * runs every test file that calls memsnapProcess() or memsnapCommand() a
 * second time with MEMSNAP_COMMAND set to the compiled dist/memsnap
 * (scripts/test_binary.ts), so such tests cover the binary too.
 */
export async function memsnapProcess(
  args: readonly string[],
  options: {
    stdin?: Uint8Array;
    cwd?: string;
    env?: Record<string, string>;
    /** Kills memsnap after this many ms (it is then a failure: a hang, not a timing). */
    killAfterMs?: number;
  } = {},
): Promise<Outcome> {
  const [command, ...prefix] = memsnapCommand();
  const child = new Deno.Command(command!, {
    args: [...prefix, ...args],
    stdin: options.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    cwd: options.cwd ?? ROOT,
    ...(options.env && { env: options.env }),
    ...(options.killAfterMs !== undefined && { signal: AbortSignal.timeout(options.killAfterMs) }),
  }).spawn();
  if (options.stdin) {
    const writer = child.stdin.getWriter();
    await writer.write(options.stdin);
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return { pid: child.pid, code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}
