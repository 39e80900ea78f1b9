import { ParseError } from "./parse_error.ts";

const LINE = /^([^\s:]+):\s+(\d+)(?: kB)?\s*$/;

/**
 * Parses /proc/meminfo into a record of its fields as the kernel names them.
 * Values are kB, except the unitless HugePages_* counts (pages).
 *
 * @throws {ParseError} When a line is not `Key: value [kB]`.
 *
 * @example
 * ```ts
 * parseMeminfo("MemTotal:  1024 kB\n", "meminfo").MemTotal; // 1024
 * ```
 */
export function parseMeminfo(
  text: string,
  file: string,
): Record<string, number> {
  const fields: Record<string, number> = {};
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    if (line === "" && index === lines.length - 1) return;
    const match = LINE.exec(line);
    if (match === null) {
      throw new ParseError(file, index + 1, 'expected "Key: value kB"');
    }
    fields[match[1]!] = Number(match[2]);
  });
  return fields;
}
