import { exactInteger, tooLarge } from "./kernel_number.ts";
import { ParseError } from "./parse_error.ts";

/** The fields memsnap uses from /proc/PID/status. */
export interface ProcStatus {
  readonly name: string;
  readonly ppid: number;
  /** Real, effective, saved and filesystem uid. */
  readonly uids: readonly [number, number, number, number];
  readonly gids: readonly [number, number, number, number];
  /** The Vm* and Rss* lines, in kB (absent for kernel threads). */
  readonly memory: Readonly<Record<string, number>>;
}

/**
 * Parses /proc/PID/status (`Key:\tvalue` lines).
 *
 * @throws {ParseError} When a line has no `Key:` or Name, PPid, Uid or Gid
 *   is missing or malformed (an id is below 2^32), or a number is larger
 *   than a kernel prints.
 */
export function parseStatus(text: string, file: string): ProcStatus {
  const fields = new Map<string, { value: string; line: number }>();
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    if (line === "" && index === lines.length - 1) return;
    const colon = line.indexOf(":");
    if (colon <= 0) {
      throw new ParseError(file, index + 1, 'expected "Key: value"');
    }
    const key = line.slice(0, colon);
    // The kernel writes "Key:\tvalue"; a name may begin or end with spaces.
    const value = line.slice(colon + 1);
    fields.set(key, {
      value: key === "Name" ? value.replace(/^\t/, "") : value.trim(),
      line: index + 1,
    });
  });
  const required = (key: string): { value: string; line: number } => {
    const field = fields.get(key);
    if (field === undefined) {
      throw new ParseError(file, 0, `missing the "${key}" line`);
    }
    return field;
  };
  const ids = (key: string): [number, number, number, number] => {
    const { value, line } = required(key);
    const parts = value.split(/\s+/);
    if (parts.length !== 4 || !parts.every((p) => /^\d+$/.test(p) && Number(p) < 2 ** 32)) {
      throw new ParseError(file, line, `expected four ids after "${key}:"`);
    }
    return parts.map(Number) as [number, number, number, number];
  };
  const ppid = required("PPid");
  const ppidValue = /^\d+$/.test(ppid.value) ? exactInteger(ppid.value) : undefined;
  if (ppidValue === undefined) {
    throw new ParseError(file, ppid.line, 'expected a number after "PPid:"');
  }
  const memory: Record<string, number> = {};
  for (const [key, { value, line }] of fields) {
    const kb = /^(\d+) kB$/.exec(value);
    if (kb === null || !/^(Vm|Rss)/.test(key)) continue;
    const amount = exactInteger(kb[1]!);
    if (amount === undefined) throw new ParseError(file, line, tooLarge(`"${key}"`, kb[1]!, " kB"));
    memory[key] = amount;
  }
  return {
    name: required("Name").value,
    ppid: ppidValue,
    uids: ids("Uid"),
    gids: ids("Gid"),
    memory,
  };
}

/**
 * What status tells of a process's memory without walking its page tables
 * (kB): the kernel keeps these counters per process, so reading them costs
 * the same for a 200 GB process as for a shell.
 */
export interface StatusMemory {
  /** VmRSS: RssAnon + RssFile + RssShmem. */
  readonly rss: number;
  readonly rssAnon: number;
  readonly rssFile: number;
  readonly rssShmem: number;
  /** VmSwap. */
  readonly swap: number;
  /** VmSize: the virtual memory mapped (smem's VSS). */
  readonly size: number;
}

/** The cheap memory counters of a parsed status; null for a kernel thread or a zombie (none). */
export function statusMemory(status: ProcStatus): StatusMemory | null {
  const m = status.memory;
  const rss = m["VmRSS"];
  if (rss === undefined) return null;
  return {
    rss,
    rssAnon: m["RssAnon"] ?? 0,
    rssFile: m["RssFile"] ?? 0,
    rssShmem: m["RssShmem"] ?? 0,
    swap: m["VmSwap"] ?? 0,
    size: m["VmSize"] ?? 0,
  };
}
