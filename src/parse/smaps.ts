/**
 * Parsers for /proc/PID/smaps (one record per mapping) and
 * /proc/PID/smaps_rollup (one record for the whole process). Both have the
 * same shape: a mapping header line, then `Key:   value kB` lines.
 *
 * @module
 */

import {
  COUNTER_KEY_BY_KERNEL_NAME,
  type Counters,
  type MutableCounters,
} from "../snapshot/counters.ts";
import type { Mapping } from "../snapshot/snapshot.ts";
import { ParseError } from "./parse_error.ts";

// start-end perms offset dev inode [name]; the name may hold spaces.
const HEADER = /^([0-9a-f]+)-([0-9a-f]+) (\S+) ([0-9a-f]+) (\S+) (\d+)(?: +(.*))?$/;
const DECIMAL = /^\d+$/;

interface Record {
  readonly header: RegExpExecArray;
  readonly counters: MutableCounters;
}

/**
 * Parses /proc/PID/smaps into its mappings, in file order. A mapping the
 * kernel printed twice, because it changed while the file was read (a heap
 * that grew), counts once: its last record, in the place of its first, as
 * smem keys mappings by their start address.
 *
 * @param text The file's text.
 * @param file The file's name, for error messages (`1234/smaps`).
 * @throws {ParseError} When a line is neither a mapping header nor a field.
 *
 * @example
 * ```ts
 * const maps = parseSmaps("00400000-00401000 r--p 00000000 fe:00 12 /bin/x\nRss: 4 kB\n", "1/smaps");
 * maps[0]?.counters.rss; // 4
 * ```
 */
export function parseSmaps(text: string, file: string): Mapping[] {
  // A Map keeps a replaced key in its first place, as Python's dict does.
  const byStart = new Map<string, Mapping>();
  for (const { header, counters } of readRecords(text, file)) {
    byStart.set(header[1]!, {
      start: header[1]!,
      end: header[2]!,
      perms: header[3]!,
      offset: header[4]!,
      device: header[5]!,
      inode: Number(header[6]),
      name: header[7] ?? "",
      counters,
    });
  }
  return [...byStart.values()];
}

/**
 * Parses /proc/PID/smaps_rollup into the process's counters; undefined when
 * the file is empty (a process without memory; Linux 6.x refuses the read
 * instead, with ESRCH).
 *
 * @throws {ParseError} When the text is malformed or is not one `[rollup]`
 *   record.
 */
export function parseSmapsRollup(
  text: string,
  file: string,
): Counters | undefined {
  const records = readRecords(text, file);
  const [record] = records;
  if (record === undefined) return undefined;
  if (records.length > 1 || record.header[7] !== "[rollup]") {
    throw new ParseError(file, 0, "expected one [rollup] record");
  }
  return record.counters;
}

function readRecords(text: string, file: string): Record[] {
  const records: Record[] = [];
  let current: MutableCounters | undefined;
  const lines = text.split("\n");
  // A final newline leaves one empty string behind.
  const count = lines.at(-1) === "" ? lines.length - 1 : lines.length;
  for (let i = 0; i < count; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    const space = line.indexOf(" ");
    // A header's first colon (in the device) comes after its first space;
    // a field's colon ends its key.
    if (colon === -1 || (space !== -1 && space < colon)) {
      const header = HEADER.exec(line);
      if (header === null) {
        throw new ParseError(
          file,
          i + 1,
          'expected a mapping header "start-end perms offset dev inode [name]"',
        );
      }
      current = {};
      records.push({ header, counters: current });
      continue;
    }
    if (current === undefined) {
      throw new ParseError(file, i + 1, "field before any mapping header");
    }
    const key = COUNTER_KEY_BY_KERNEL_NAME.get(line.slice(0, colon));
    // Fields memsnap does not model (VmFlags, THPeligible, KSM...) are skipped.
    if (key === undefined) continue;
    current[key] = kilobytes(line, colon, file, i + 1);
  }
  return records;
}

function kilobytes(
  line: string,
  colon: number,
  file: string,
  lineNo: number,
): number {
  const rest = line.slice(colon + 1).trim();
  const digits = rest.endsWith(" kB") ? rest.slice(0, -3).trimEnd() : "";
  if (!DECIMAL.test(digits)) {
    throw new ParseError(file, lineNo, 'expected "Key: value kB"');
  }
  return Number(digits);
}
