/**
 * Process ids as /proc names them: the directory `/proc/1234`.
 *
 * @module
 */

/** The highest pid_max a kernel allows (PID_MAX_LIMIT, 64-bit): every pid is below it. */
export const PID_MAX_LIMIT = 4_194_304;

/**
 * Reads a /proc directory name as a process id. The kernel names them in
 * canonical decimal: `018844` or `+5` is not a process (a copied tree could
 * hold both `18844` and `018844`: one process, never counted twice).
 *
 * @returns The pid; undefined for any other name (`self`, `sys`, `018844`,
 *   `0`, a number past PID_MAX_LIMIT).
 *
 * @example
 * ```ts
 * parsePid("18844"); // 18844
 * parsePid("018844"); // undefined
 * ```
 */
export function parsePid(name: string): number | undefined {
  if (!/^[1-9]\d{0,6}$/.test(name)) return undefined;
  const pid = Number(name);
  return pid < PID_MAX_LIMIT ? pid : undefined;
}
