/**
 * smem's filter options (-P, -U, -M) as given → a Selection, each pattern
 * compiled as the Python regular expression smem takes it.
 *
 * @module
 */

import { UsageError } from "../errors/memsnap_error.ts";
import { compilePythonRegex, RegexError } from "./python_regex.ts";
import type { Selection } from "./select.ts";

/** The patterns, as a front end got them. */
export interface Filters {
  /** -P: process name or command line. */
  readonly process?: string | undefined;
  /** -U: user name. */
  readonly user?: string | undefined;
  /** -M: mapping name. */
  readonly mapping?: string | undefined;
}

/**
 * Compiles the filters.
 *
 * @throws {UsageError} For a pattern that is no regular expression, naming its option.
 */
export function selectionOf(filters: Filters): Selection {
  return {
    ...(filters.process !== undefined && { process: regex("-P", filters.process) }),
    ...(filters.user !== undefined && { user: regex("-U", filters.user) }),
    ...(filters.mapping !== undefined && { mapping: regex("-M", filters.mapping) }),
  };
}

function regex(option: string, pattern: string): RegExp {
  try {
    return compilePythonRegex(pattern);
  } catch (error) {
    if (!(error instanceof RegexError)) throw error;
    throw new UsageError(`Invalid regular expression for ${option} "${pattern}": ${error.message}`);
  }
}
