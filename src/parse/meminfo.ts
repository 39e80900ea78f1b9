import { exactInteger, tooLarge } from "./kernel_number.ts";
import { CUT_SHORT, ParseError } from "./parse_error.ts";

const LINE = /^([^\s:]+):\s+(\d+)(?: kB)?\s*$/;

/**
 * Parses /proc/meminfo into a record of its fields as the kernel names them.
 * Values are kB, except the unitless HugePages_* counts (pages).
 *
 * @throws {ParseError} When a line is not `Key: value [kB]`, a value is
 *   larger than a kernel prints, or the text ends inside a line (cut short).
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
    const last = index === lines.length - 1;
    if (line === "" && last) return;
    // A value cut short ("MemFree: 2388" of 23880456 kB) would still match.
    if (last) throw new ParseError(file, index + 1, CUT_SHORT);
    const match = LINE.exec(line);
    if (match === null) {
      throw new ParseError(file, index + 1, 'expected "Key: value kB"');
    }
    const value = exactInteger(match[2]!);
    if (value === undefined) {
      throw new ParseError(file, index + 1, tooLarge(`"${match[1]}"`, match[2]!, " kB"));
    }
    fields[match[1]!] = value;
  });
  return fields;
}
