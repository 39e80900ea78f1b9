/**
 * A checked Python pattern ({@link ./python_regex.ts}) compiled by re2js, a
 * pure JavaScript port of RE2: matching takes time linear in the text,
 * whatever the pattern. Loaded only when a filter is given (re2js's tables
 * cost a few milliseconds at start-up).
 *
 * @module
 */

import { RE2JS } from "re2js";
import {
  type PythonPattern,
  RegexError,
  type TextMatcher,
  translatePythonRegex,
} from "./python_regex.ts";

export { RegexError } from "./python_regex.ts";

/**
 * A Python pattern as given (-P, -U, -M), checked, translated and compiled.
 *
 * @throws {RegexError} When it is no regular expression, needs
 *   backtracking, or RE2 refuses it.
 */
export function compilePython(pattern: string): TextMatcher {
  return compileRe2(translatePythonRegex(pattern));
}

/**
 * Compiles a translated pattern.
 *
 * @throws {RegexError} When RE2 refuses it (an unbalanced parenthesis, a
 *   repeat above 1000…), with RE2's reason.
 */
export function compileRe2(pattern: PythonPattern): TextMatcher {
  try {
    return RE2JS.compile(pattern.re2);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // RE2 quotes with backticks; memsnap's messages quote with double quotes.
    throw new RegexError(
      reason.replace(/^error parsing regexp: /, "").replace(/`([^`]*)`$/, '"$1"'),
    );
  }
}
