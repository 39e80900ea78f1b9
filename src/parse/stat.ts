import { exactInteger, tooLarge } from "./kernel_number.ts";
import { ParseError } from "./parse_error.ts";
import { parsePid } from "./pid.ts";

/** The fields memsnap uses from /proc/PID/stat. */
export interface ProcStat {
  readonly pid: number;
  /** The command name (`comm`), up to 15 bytes, may hold spaces and `)`. */
  readonly name: string;
  readonly state: string;
  readonly ppid: number;
  /** User and system CPU time, in clock ticks. */
  readonly utime: number;
  readonly stime: number;
  /** Start time, in clock ticks after boot. */
  readonly startTime: number;
}

// Fields after the name, counted from `state` (field 3 in proc(5)).
const STATE = 0;
const PPID = 1;
const UTIME = 11;
const STIME = 12;
const STARTTIME = 19;

/**
 * Parses /proc/PID/stat. The name sits between the first `(` and the last
 * `)`, since it may itself contain parentheses and spaces.
 *
 * @throws {ParseError} When the line lacks the name or a numeric field, a
 *   number is larger than a kernel prints, or the pid is not a pid.
 */
export function parseStat(text: string, file: string): ProcStat {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open === -1 || close < open) {
    throw new ParseError(file, 1, 'expected "pid (name) state ..."');
  }
  const fields = text.slice(close + 1).trim().split(" ");
  const number = (index: number, what: string): number => {
    const value = fields[index];
    if (value === undefined || !/^-?\d+$/.test(value)) {
      throw new ParseError(file, 1, `expected a number for ${what}`);
    }
    const digits = value.replace(/^-/, "");
    const magnitude = exactInteger(digits);
    if (magnitude === undefined) throw new ParseError(file, 1, tooLarge(what, digits));
    return value.startsWith("-") ? -magnitude : magnitude;
  };
  const pid = parsePid(text.slice(0, open).trim());
  if (pid === undefined) {
    throw new ParseError(file, 1, 'expected "pid (name) state ..."');
  }
  return {
    pid,
    name: text.slice(open + 1, close),
    state: fields[STATE] ?? "",
    ppid: number(PPID, "ppid"),
    utime: number(UTIME, "utime"),
    stime: number(STIME, "stime"),
    startTime: number(STARTTIME, "starttime"),
  };
}
