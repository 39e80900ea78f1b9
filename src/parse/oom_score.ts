import { exactInteger } from "./kernel_number.ts";
import { ParseError } from "./parse_error.ts";

/**
 * Parses /proc/PID/oom_score: the badness the OOM killer gives the process
 * (0 to 2000 with oom_score_adj; the highest is killed first).
 *
 * @throws {ParseError} When the file is not one whole number.
 *
 * @example
 * ```ts
 * parseOomScore("666\n", "1234/oom_score"); // 666
 * ```
 */
export function parseOomScore(text: string, file: string): number {
  const match = /^(\d+)\n?$/.exec(text);
  const score = match === null ? undefined : exactInteger(match[1]!);
  if (score === undefined) throw new ParseError(file, 1, "expected a whole number");
  return score;
}
