/**
 * smem's filter options (-P, -U, -M) as given → a Selection: each pattern
 * checked and translated from Python's dialect when the arguments are read
 * (compiled later, by compileSelection(), before any source is read).
 *
 * @module
 */

import { filterPattern, type Selection } from "./select.ts";

/** The patterns, as a front end got them. */
export interface FilterOptions {
  /** -P: process name or command line. */
  readonly process?: string | undefined;
  /** -U: user name. */
  readonly user?: string | undefined;
  /** -M: mapping name. */
  readonly mapping?: string | undefined;
}

/**
 * Checks the filters' patterns.
 *
 * @throws {UsageError} For a pattern that is no regular expression, or one
 *   that needs backtracking, naming its option.
 */
export function selectionOf(filters: FilterOptions): Selection {
  return {
    ...(filters.process !== undefined && { process: filterPattern("process", filters.process) }),
    ...(filters.user !== undefined && { user: filterPattern("user", filters.user) }),
    ...(filters.mapping !== undefined && { mapping: filterPattern("mapping", filters.mapping) }),
  };
}
