/**
 * /proc/PID/cgroup: one line per hierarchy, `ID:CONTROLLERS:PATH`
 * (cgroups(7)). cgroup v2 has one line, `0::PATH`; hybrid and v1 systems add
 * a line per v1 hierarchy, such as `4:memory:PATH`.
 *
 * @module
 */

import { ParseError } from "./parse_error.ts";

/** One line of /proc/PID/cgroup. */
export interface CgroupLine {
  /** The hierarchy ID: 0 for cgroup v2. */
  readonly hierarchy: number;
  /** The v1 controllers bound to the hierarchy (`memory`, `name=systemd`); none for v2. */
  readonly controllers: readonly string[];
  /** The cgroup's path in its hierarchy, from its root `/`. */
  readonly path: string;
}

/** Where a process's memory is charged: a cgroup path and its hierarchy. */
export interface MemoryCgroup {
  /** 2: the unified hierarchy; 1: the v1 memory controller's hierarchy. */
  readonly version: 1 | 2;
  readonly path: string;
}

/**
 * Parses /proc/PID/cgroup. An empty file (no line) gives no line.
 *
 * @throws {ParseError} When a line is not `ID:CONTROLLERS:/PATH`.
 */
export function parseCgroup(text: string, file: string): CgroupLine[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((line, index) => {
    // The path may itself hold colons: it is everything after the second one.
    const match = /^(\d{1,9}):([^:]*):(\/.*)$/s.exec(line);
    if (match === null) {
      throw new ParseError(file, index + 1, 'expected "hierarchy-ID:controllers:/path"');
    }
    const [, id, controllers, path] = match as unknown as [string, string, string, string];
    return {
      hierarchy: Number(id),
      controllers: controllers === "" ? [] : controllers.split(","),
      path,
    };
  });
}

/**
 * The cgroup that holds a process's memory: the v1 memory controller's, where
 * one is mounted (hybrid and v1 systems charge memory there), else the v2
 * one; null when the file names neither.
 */
export function memoryCgroupOf(lines: readonly CgroupLine[]): MemoryCgroup | null {
  const v1 = lines.find((line) => line.hierarchy !== 0 && line.controllers.includes("memory"));
  if (v1 !== undefined) return { version: 1, path: v1.path };
  const v2 = lines.find((line) => line.hierarchy === 0 && line.controllers.length === 0);
  return v2 === undefined ? null : { version: 2, path: v2.path };
}
