/**
 * smem's filter options (-P, -U, -M) as given → a Selection: the patterns
 * as they are, checked, translated from Python's dialect and compiled by
 * compileSelection() when a use case starts, before any source is read.
 *
 * @module
 */

import type { Selection } from "./select.ts";

/** The patterns, as a front end got them. */
export interface FilterOptions {
  /** -P: process name or command line. */
  readonly process?: string | undefined;
  /** -U: user name. */
  readonly user?: string | undefined;
  /** -M: mapping name. */
  readonly mapping?: string | undefined;
}

/** The filters given, as a Selection. */
export function selectionOf(filters: FilterOptions): Selection {
  return {
    ...(filters.process !== undefined && { process: filters.process }),
    ...(filters.user !== undefined && { user: filters.user }),
    ...(filters.mapping !== undefined && { mapping: filters.mapping }),
  };
}
