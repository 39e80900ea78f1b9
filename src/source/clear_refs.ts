/**
 * Resetting a process's "referenced" bits: writing 1 to /proc/PID/clear_refs
 * clears the accessed bit of every page the process maps, so that smaps'
 * Referenced counts, afterwards, only what it touched since. This changes
 * the system: reclaim loses what those bits told it of which pages are in
 * use (they are aged as if idle), and the kernel walks the process's page
 * tables to do it. Only `--wss` calls it.
 *
 * @module
 */

import { writeFile } from "node:fs/promises";
import { DENIED_CODES, errorCode, MISSING_CODES } from "../errors/source_error.ts";

/** Clears one process's referenced bits; "gone" or "denied" when it could not. */
export async function clearReferenced(
  pid: number,
  procRoot = "/proc",
): Promise<"cleared" | "gone" | "denied"> {
  try {
    await writeFile(`${procRoot}/${pid}/clear_refs`, "1");
    return "cleared";
  } catch (error) {
    const code = errorCode(error) ?? "";
    if (MISSING_CODES.has(code) || code === "ESRCH") return "gone";
    if (DENIED_CODES.has(code)) return "denied";
    throw error;
  }
}
