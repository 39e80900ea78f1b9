/**
 * Times one command with the public tools: hyperfine for the wall time of
 * each run, GNU time (/usr/bin/time) inside it for each run's CPU time and
 * peak RSS. Both see the same runs.
 *
 * @module
 */

/** How many runs. */
export interface Runs {
  readonly warmup: number;
  readonly runs: number;
}

/** Medians over the counted runs. */
export interface Measurement {
  readonly name: string;
  /** Seconds. */
  readonly wall: number;
  /** User + system seconds. */
  readonly cpu: number;
  /** KiB. */
  readonly peakKib: number;
  readonly runs: number;
}

/** The median of numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Quotes a word for hyperfine's shell-word splitting (-N). */
function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

/**
 * Runs `argv` warmup + runs times under hyperfine (no shell) and GNU time.
 *
 * @throws {Error} When hyperfine fails.
 */
export async function measure(
  name: string,
  argv: readonly string[],
  runs: Runs,
): Promise<Measurement> {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-bench-measure-" });
  try {
    const timeFile = `${dir}/time`;
    const jsonFile = `${dir}/hyperfine.json`;
    const timed = ["/usr/bin/time", "-a", "-o", timeFile, "-f", "%e %U %S %M", ...argv];
    const { success, stderr } = await new Deno.Command("hyperfine", {
      args: [
        "-N",
        "-i",
        "--style",
        "none",
        "--warmup",
        String(runs.warmup),
        "--runs",
        String(runs.runs),
        "--export-json",
        jsonFile,
        timed.map(quote).join(" "),
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!success) {
      throw new Error(`hyperfine failed on ${name}: ${new TextDecoder().decode(stderr)}`);
    }
    const result = JSON.parse(await Deno.readTextFile(jsonFile)).results[0];
    // GNU time appends one line a run, the warm-up's first; it also writes
    // "Command exited with non-zero status" lines, which are skipped.
    const lines = (await Deno.readTextFile(timeFile)).split("\n")
      .filter((line) => /^[\d.]+ [\d.]+ [\d.]+ \d+$/.test(line))
      .slice(runs.warmup)
      .map((line) => line.split(" ").map(Number));
    return {
      name,
      wall: median(result.times),
      cpu: median(lines.map(([, user, sys]) => user! + sys!)),
      peakKib: median(lines.map((fields) => fields[3]!)),
      runs: result.times.length,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
