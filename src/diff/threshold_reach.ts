/**
 * Whether a `--fail-if` threshold can name anything, known before any
 * source is read: a named scope that the filters or -n leave out names no
 * row on either side, whatever the snapshots hold. Pure.
 *
 * @module
 */

import type { TextMatcher } from "../select/python_regex.ts";
import type { Filters } from "../select/select.ts";
import { scopeText, type Threshold } from "./threshold.ts";
import { plural } from "../units/plural.ts";

/** What decides which rows a diff has, beside the snapshots. */
export interface Reach {
  /** -P, -U and -M, compiled. */
  readonly filters: Filters;
  /** -n: users are keyed by uid, not name. */
  readonly numeric: boolean;
}

/**
 * Why a threshold's named scope can match no row whatever the sources
 * hold; undefined when it may match (or has no named scope). Only what is
 * certain: `command[NAME]` under -P may still match by command line, so
 * it is left to the diff.
 */
export function unreachable(threshold: Threshold, reach: Reach): string | undefined {
  const { scope } = threshold;
  if (scope.kind !== "named") return undefined;
  const named = scopeText(scope);
  switch (scope.view) {
    case "users":
      if (reach.numeric) {
        return /^\d+$/.test(scope.name)
          ? undefined
          : `with -n users are uids, and "${scope.name}" is none (${named})`;
      }
      return misses("-U", reach.filters.user, scope.name, named);
    case "mappings":
      return misses("-M", reach.filters.mapping, scope.name, named);
    case "processes":
      return /^0+$/.test(scope.name) ? `no process has pid 0 (${named})` : undefined;
    case "commands":
      return undefined;
  }
}

/** A filter that the name does not pass: its rows are left out on both sides. */
function misses(
  option: string,
  filter: TextMatcher | undefined,
  name: string,
  named: string,
): string | undefined {
  return filter === undefined || filter.test(name) ? undefined : `${option} leaves out ${named}`;
}

/**
 * The one-line error for a threshold that names nothing, unless
 * --allow-missing: `Threshold "command[nope].pss>+1M" names nothing: no
 * command[nope] on either side (add --allow-missing to only warn)`; with
 * `more` others that name nothing, counted.
 */
export function namesNothing(threshold: Threshold, reason: string, more = 0): string {
  const others = more === 0 ? "" : `; ${more} more ${plural("threshold", more)} too`;
  return `Threshold "${threshold.text}" names nothing: ${reason}${others} (add --allow-missing to only warn)`;
}

/**
 * The error for the thresholds that can name nothing whatever the sources
 * hold ({@link unreachable}); undefined when every one may name a row.
 */
export function unreachableError(
  thresholds: readonly Threshold[],
  reach: Reach,
): string | undefined {
  const nothing = thresholds.flatMap((threshold) => {
    const reason = unreachable(threshold, reach);
    return reason === undefined ? [] : [{ threshold, reason }];
  });
  const first = nothing[0];
  return first && namesNothing(first.threshold, first.reason, nothing.length - 1);
}
