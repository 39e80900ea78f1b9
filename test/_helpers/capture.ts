/** Runs `memsnap capture` for tests, and compares what reads it. */

import { deepStrictEqual } from "node:assert/strict";
import { memsnapProcess } from "./memsnap.ts";

/**
 * Runs `memsnap capture -o DIR/RANDOM.tar.gz ARGS` as a program; fails the
 * test unless it exits 0.
 *
 * @returns The archive's path.
 */
export async function captureInto(dir: string, args: readonly string[]): Promise<string> {
  const output = `${dir}/${crypto.randomUUID()}.tar.gz`;
  const { code, stderr } = await memsnapProcess(["capture", "-o", output, ...args]);
  deepStrictEqual(code, 0, stderr);
  return output;
}

/** A report without what names the source and its time (JSON's "source", "takenAt"). */
export function withoutSource(text: string): string {
  if (!text.startsWith("{")) return text;
  const { source: _source, takenAt: _takenAt, ...rest } = JSON.parse(text);
  return JSON.stringify(rest, null, 2);
}
