/**
 * smem's -P, -U and -M take Python regular expressions, matched with
 * re.search. JavaScript's syntax is nearly the same; this translates what
 * differs in form or in meaning:
 *
 * - `(?P<name>...)` and `(?P=name)` named groups; `(?#...)` comments;
 * - global inline flags at the start, `(?i)`, `(?s)`, `(?m)`, one group or
 *   several;
 * - `\A`, `\Z`; `$`, which Python also matches before a final newline;
 *   `^` and `$` with `(?m)`, which break lines at `\n` only; `.`, which
 *   Python lets match `\r`;
 * - `{,n}`, Python's `{0,n}`.
 *
 * Left as JavaScript has them: `\w`, `\d` and `\b` match ASCII only (Python:
 * any Unicode letter or digit), and Python 3.11's possessive quantifiers and
 * atomic groups are refused.
 *
 * @module
 */

/** A pattern that is not a valid regular expression. */
export class RegexError extends Error {
  override readonly name = "RegexError";
}

interface Flags {
  readonly multiline: boolean;
  readonly dotAll: boolean;
}

/**
 * Compiles a Python regular expression into an equivalent RegExp.
 *
 * @throws {RegexError} When the pattern is invalid, with the engine's reason.
 *
 * @example
 * ```ts
 * compilePythonRegex("(?i)^FIRE").test("firefox"); // true
 * ```
 */
export function compilePythonRegex(pattern: string): RegExp {
  let body = pattern;
  let letters = "";
  for (let group; (group = /^\(\?([aiLmsux]+)\)/.exec(body)) !== null;) {
    letters += group[1];
    body = body.slice(group[0].length);
  }
  const unsupported = letters.replace(/[imsau]/g, "");
  if (unsupported !== "") {
    throw new RegexError(`the inline flag "${unsupported[0]}" has no JavaScript equivalent`);
  }
  const flags = { multiline: letters.includes("m"), dotAll: letters.includes("s") };
  try {
    return new RegExp(translate(body, flags), letters.includes("i") ? "i" : "");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RegexError(reason.replace(/^Invalid regular expression: /, ""));
  }
}

const START = "(?<![\\s\\S])";
const END = "(?![\\s\\S])";

/** Rewrites the Python-only tokens, leaving escapes and classes intact. */
function translate(source: string, flags: Flags): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    const rest = source.slice(i);
    if (char === "\\") {
      const next = source[i + 1] ?? "";
      if (!inClass && next === "A") out += START;
      else if (!inClass && next === "Z") out += END;
      else out += char + next;
      i++;
      continue;
    }
    if (inClass) {
      if (char === "]") inClass = false;
      out += char;
      continue;
    }
    if (char === "[") {
      inClass = true;
      out += char;
      // A "]" right after "[" or "[^" is a literal in Python.
      if (source[i + 1] === "^") out += source[++i];
      if (source[i + 1] === "]") out += "\\" + source[++i];
      continue;
    }
    const token = /^\(\?#[^)]*\)/.exec(rest) ?? /^\(\?P=(\w+)\)/.exec(rest) ??
      /^\{,(\d+)\}/.exec(rest);
    if (token !== null) {
      if (token[0].startsWith("(?P=")) out += `\\k<${token[1]}>`;
      else if (token[0].startsWith("{")) out += `{0,${token[1]}}`;
      // A comment adds nothing.
      i += token[0].length - 1;
      continue;
    }
    if (rest.startsWith("(?P<")) {
      out += "(?<";
      i += 3;
    } else if (char === ".") {
      out += flags.dotAll ? "[\\s\\S]" : "[^\\n]";
    } else if (char === "$") {
      out += flags.multiline ? `(?=\\n|${END})` : `(?=\\n?${END})`;
    } else if (char === "^" && flags.multiline) {
      out += `(?:${START}|(?<=\\n))`;
    } else {
      out += char;
    }
  }
  return out;
}
