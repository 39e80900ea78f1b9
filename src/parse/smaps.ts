/**
 * Parsers for /proc/PID/smaps (one record per mapping) and
 * /proc/PID/smaps_rollup (one record for the whole process). Both have the
 * same shape: a mapping header line, then `Key:   value kB` lines.
 *
 * @module
 */

import {
  COUNTER_KEY_BY_KERNEL_NAME,
  type CounterKey,
  type Counters,
  type MutableCounters,
} from "./counters.ts";
import { exactInteger, tooLarge } from "./kernel_number.ts";
import { CUT_SHORT, ParseError } from "./parse_error.ts";

/** One line of /proc/PID/smaps with its counters. */
export interface Mapping {
  /** Start address, hex as the kernel prints it (64-bit: kept as text). */
  readonly start: string;
  /** End address, hex. */
  readonly end: string;
  /** Permissions, e.g. `r-xp`. */
  readonly perms: string;
  /** File offset, hex. */
  readonly offset: string;
  /** Device `major:minor`, hex. */
  readonly device: string;
  /**
   * Inode number, decimal as the kernel prints it: kept as text, since it
   * may use all 64 bits (overlayfs's xino puts a layer number in the top ones).
   */
  readonly inode: string;
  /**
   * Path or pseudo-name as the kernel prints it (`[heap]`, `/lib/x.so`,
   * `/memfd:a (deleted)`); empty for anonymous memory.
   */
  readonly name: string;
  readonly counters: Counters;
}

// start-end perms offset dev inode [name]; the name may hold spaces.
const HEADER = /^([0-9a-f]+)-([0-9a-f]+) (\S+) ([0-9a-f]+) (\S+) (\d+)(?: +(.*))?$/;
const DECIMAL = /^\d+$/;

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
  scanSmaps(text, file, (header) => {
    const counters: MutableCounters = {};
    byStart.set(header[1]!, {
      start: header[1]!,
      end: header[2]!,
      perms: header[3]!,
      offset: header[4]!,
      device: header[5]!,
      inode: header[6]!,
      name: header[7] ?? "",
      counters,
    });
    return counters;
  });
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
  let counters: MutableCounters | undefined;
  let records = 0;
  let rollup = false;
  scanSmaps(text, file, (header) => {
    records++;
    rollup = header[7] === "[rollup]";
    counters = {};
    return counters;
  });
  if (counters === undefined) return undefined;
  if (records > 1 || !rollup) throw new ParseError(file, 0, "expected one [rollup] record");
  return counters;
}

/**
 * Called at each mapping header with the header's fields (the match of
 * `start-end perms offset dev inode [name]`: groups 1 to 7); returns the
 * counters the record's fields are written into.
 */
export type OnMappingHeader = (header: RegExpExecArray) => MutableCounters;

/**
 * The one pass over smaps or smaps_rollup text that every reader of them
 * shares: no line array, no string per field line but its key. Each header
 * goes to `onHeader`; each field memsnap models is written into the counters
 * it returned (a repeated key: the last wins).
 *
 * @throws {ParseError} When a line is neither a mapping header nor a field,
 *   a value or an inode is larger than a kernel prints, or the text ends
 *   inside a line (the kernel ends each with a newline: a copy cut short).
 *
 * @example
 * ```ts
 * const all: MutableCounters[] = [];
 * scanSmaps("00400000-00401000 r--p 00000000 fe:00 12 /bin/x\nRss: 4 kB\n", "1/smaps", () => {
 *   all.push({});
 *   return all.at(-1)!;
 * });
 * all[0]?.rss; // 4
 * ```
 */
export function scanSmaps(text: string, file: string, onHeader: OnMappingHeader): void {
  let current: MutableCounters | undefined;
  let lineNo = 0;
  const length = text.length;
  // Line by line: the kernel ends every line with a newline, so a text
  // that ends inside one was cut short (a copy interrupted).
  for (let pos = 0; pos < length;) {
    lineNo++;
    const end = text.indexOf("\n", pos);
    if (end === -1) throw new ParseError(file, lineNo, CUT_SHORT);
    const found = text.indexOf(":", pos);
    const colon = found < end ? found : -1;
    // A header's first colon (in the device) comes after its first space;
    // a field's colon ends its key. (lastIndexOf stops at the previous
    // line's " kB" at the latest.)
    if (colon === -1 || text.lastIndexOf(" ", colon) >= pos) {
      const header = HEADER.exec(text.slice(pos, end));
      if (header === null) {
        throw new ParseError(
          file,
          lineNo,
          'expected a mapping header "start-end perms offset dev inode [name]"',
        );
      }
      checkInode(header[6]!, file, lineNo);
      current = onHeader(header);
    } else {
      if (current === undefined) {
        throw new ParseError(file, lineNo, "field before any mapping header");
      }
      const key = counterKeyAt(text, pos, colon);
      // Fields memsnap does not model (VmFlags, THPeligible, KSM...) are skipped.
      if (key !== undefined) {
        current[key] = fastKilobytes(text, colon, end) ??
          kilobytes(text.slice(pos, end), colon - pos, file, lineNo);
      }
    }
    pos = end + 1;
  }
}

/** An inode is a 64-bit unsigned number. */
function checkInode(digits: string, file: string, lineNo: number): void {
  // Below 10^19 is below 2^64: only a longer one needs a BigInt.
  if (digits.length >= 20 && BigInt(digits) >= 2n ** 64n) {
    throw new ParseError(
      file,
      lineNo,
      `inode ${digits.length > 24 ? `of ${digits.length} digits` : digits} is above 2^64 - 1`,
    );
  }
}

// The kernel names by first letter and length: a key is found without
// making a string of it (a third of the time of a pass, measured).
const MAX_NAME = 32;
const NAMES_BY_LETTER_AND_LENGTH: (readonly [string, CounterKey])[][] = [];
for (const [name, key] of COUNTER_KEY_BY_KERNEL_NAME) {
  (NAMES_BY_LETTER_AND_LENGTH[name.charCodeAt(0) * MAX_NAME + name.length] ??= []).push([
    name,
    key,
  ]);
}

/** The counter named by text[pos, colon), the same as COUNTER_KEY_BY_KERNEL_NAME. */
function counterKeyAt(text: string, pos: number, colon: number): CounterKey | undefined {
  const length = colon - pos;
  if (length >= MAX_NAME) return undefined;
  const candidates = NAMES_BY_LETTER_AND_LENGTH[text.charCodeAt(pos) * MAX_NAME + length];
  if (candidates === undefined) return undefined;
  for (const [name, key] of candidates) {
    if (text.startsWith(name, pos)) return key;
  }
  return undefined;
}

const SPACE = 32;
const ZERO = 48;
const NINE = 57;
// Up to 15 digits, a sum of digits is the number Number() reads.
const MAX_FAST_DIGITS = 15;

/**
 * The kernel's own layout, `Key:<spaces>DIGITS kB`, read without making a
 * string; undefined for anything else, which the strict reader then judges.
 */
function fastKilobytes(text: string, colon: number, end: number): number | undefined {
  let i = colon + 1;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  const first = i;
  let value = 0;
  for (; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < ZERO || code > NINE) break;
    value = value * 10 + (code - ZERO);
  }
  const digits = i - first;
  if (digits === 0 || digits > MAX_FAST_DIGITS) return undefined;
  return end - i === 3 && text.startsWith(" kB", i) ? value : undefined;
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
  const value = exactInteger(digits);
  if (value === undefined) {
    throw new ParseError(file, lineNo, tooLarge(`"${line.slice(0, colon)}"`, digits, " kB"));
  }
  return value;
}
