/**
 * smem's -P, -U and -M take Python regular expressions, matched with
 * re.search. JavaScript's syntax is nearly the same; this translates the
 * Python-only forms a user's smem command line may hold:
 *
 * - `(?P<name>...)` and `(?P=name)` named groups;
 * - global inline flags at the start, `(?i)`, `(?s)`, `(?m)`;
 * - `\A` and `\Z` anchors (start and end of the text).
 *
 * @module
 */

/** A pattern that is not a valid regular expression. */
export class RegexError extends Error {
  override readonly name = "RegexError";
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
  let flags = "";
  let body = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(body);
  if (inline !== null) {
    const unsupported = inline[1]!.replace(/[ims]/g, "");
    if (unsupported.replace(/[au]/g, "") !== "") {
      throw new RegexError(
        `the inline flag "${unsupported}" has no JavaScript equivalent`,
      );
    }
    flags = [...new Set(inline[1]!.replace(/[^ims]/g, ""))].join("");
    body = body.slice(inline[0].length);
  }
  try {
    return new RegExp(translate(body), flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RegexError(reason.replace(/^Invalid regular expression: /, ""));
  }
}

/** Rewrites the Python-only tokens, leaving escapes and classes intact. */
function translate(source: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === "\\") {
      const next = source[i + 1] ?? "";
      if (!inClass && next === "A") out += "^";
      else if (!inClass && next === "Z") out += "$(?![\\s\\S])";
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
      // A "]" right after "[" or "[^" is a literal in both dialects.
      if (source[i + 1] === "^") out += source[++i];
      if (source[i + 1] === "]") out += "\\" + source[++i];
      continue;
    }
    if (source.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
      continue;
    }
    const backref = /^\(\?P=(\w+)\)/.exec(source.slice(i));
    if (backref !== null) {
      out += `\\k<${backref[1]}>`;
      i += backref[0].length - 1;
      continue;
    }
    out += char;
  }
  return out;
}
