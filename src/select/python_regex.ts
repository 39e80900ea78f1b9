/**
 * smem's -P, -U and -M take Python regular expressions, matched with
 * re.search. memsnap matches them with RE2 (src/select/re2_matcher.ts), an
 * engine that runs in time linear in the text whatever the pattern: a
 * pattern such as `(a+)+$` cannot make a report hang, nor time out and
 * count as not matching. This module checks a Python pattern and rewrites
 * it in RE2's syntax, with the same meaning:
 *
 * - `(?#...)` comments dropped; named groups as plain ones (nothing reads them); `{,n}` and `{,}` as `{0,n}` and `{0,}`;
 * - leading global flags `(?i)`, `(?m)`, `(?s)` (`a` and `u` accepted, as
 *   RE2's classes are those of `(?a)` already), scoped ones `(?i-s:...)`;
 * - `\Z` as `\z`; `$` without `(?m)`, which Python also matches before a
 *   final newline, as `(?:\n?\z)`;
 * - `\s` and `\S` as Python's (Unicode) whitespace; octal, `\u` and `\U`
 *   escapes, `[\b]` and escaped punctuation as `\x{...}`; `[` inside a
 *   class as a literal (RE2 would read `[[:alpha:]]` as a POSIX class).
 *
 * Refused, with the reason: what Python refuses (a bad escape, a global flag
 * after the start, `(?<name>...)`), and what RE2 cannot do in linear time:
 * backreferences (`\1`, `(?P=name)`), lookaround (`(?=`, `(?!`, `(?<=`,
 * `(?<!`), conditionals, atomic groups and possessive quantifiers, named
 * characters (`\N{...}`), `(?x)`. Left as RE2 has them: `\w`, `\d` and `\b`
 * match ASCII letters and digits only (Python's, any script's), and `\S`
 * inside a class is RE2's.
 *
 * @module
 */

/** A pattern that is not a valid regular expression, or one memsnap cannot run in linear time. */
export class RegexError extends Error {
  override readonly name = "RegexError";
}

/** A Python pattern, checked and rewritten in RE2's syntax: plain data. */
export interface PythonPattern {
  /** The pattern as given, in Python's syntax. */
  readonly source: string;
  /** The same pattern in RE2's syntax, its leading flags included. */
  readonly re2: string;
}

/** What a filter asks of a compiled pattern: is it found anywhere in the text (re.search)? */
export interface TextMatcher {
  test(text: string): boolean;
}

/** Python's whitespace (str.isspace), what its `\s` matches, as RE2 class items. */
const PYTHON_SPACE = "\\t-\\r\\x{1c}-\\x{20}\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}" +
  "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}";

/** Escapes Python knows outside a class, beside the digits; RE2 reads them alike. */
const SAME_ESCAPES = new Set(["a", "b", "B", "d", "D", "f", "n", "r", "t", "v", "w", "W", "A"]);

/** Escapes Python knows inside a class, beside the digits and \b (a backspace there). */
const SAME_CLASS_ESCAPES = new Set(["a", "d", "D", "f", "n", "r", "t", "v", "w", "W"]);

const LINEAR = "memsnap matches in linear time (RE2), without backreferences or lookaround";

/** A refusal of what RE2 cannot match in linear time. */
function notLinear(what: string, token: string): RegexError {
  return new RegexError(`${what} "${token}" not supported: ${LINEAR}`);
}

/**
 * Checks a Python regular expression and rewrites it in RE2's syntax.
 * Pure; RE2 itself checks the rest (parentheses, classes, repeats) when
 * the pattern is compiled.
 *
 * @throws {RegexError} When Python would refuse the pattern, or RE2 cannot run it.
 *
 * @example
 * ```ts
 * translatePythonRegex("(?i)^fire(fox)?$").re2; // "(?i)^fire(fox)?(?:\n?\z)"
 * ```
 */
export function translatePythonRegex(pattern: string): PythonPattern {
  let body = pattern;
  let letters = "";
  // Global flags come first (Python 3.11 refuses them anywhere else); comments may precede them.
  for (let group; (group = /^\((?:\?([a-zA-Z]+)|\?#[^)]*)\)/.exec(body)) !== null;) {
    letters += group[1] ?? "";
    body = body.slice(group[0].length);
  }
  const unknown = letters.replace(/[aiLmsux]/g, "");
  if (unknown !== "") throw new RegexError(`unknown flag "${unknown[0]}"`);
  const unsupported = letters.replace(/[imsau]/g, "");
  if (unsupported !== "") {
    throw new RegexError(`the inline flag "${unsupported[0]}" is not supported`);
  }
  const flags = [..."ims"].filter((flag) => letters.includes(flag)).join("");
  const re2 = new Translator(body, letters.includes("m")).translate();
  return { source: pattern, re2: (flags === "" ? "" : `(?${flags})`) + re2 };
}

/** One pass over a pattern's body, writing RE2's syntax. */
class Translator {
  #at = 0;
  #out = "";
  /** The group names seen: Python refuses one twice. */
  readonly #names = new Set<string>();
  /** Whether `(?m)` holds, per open group (scoped flags change it), innermost last. */
  readonly #multiline: boolean[];

  constructor(readonly source: string, multiline: boolean) {
    this.#multiline = [multiline];
  }

  translate(): string {
    while (this.#at < this.source.length) {
      const char = this.source[this.#at]!;
      if (char === "\\") this.#escape();
      else if (char === "[") this.#class();
      else if (char === "(") this.#group();
      else if (char === ")") {
        if (this.#multiline.length > 1) this.#multiline.pop();
        this.#emit(")", 1);
      } else if (char === "$") {
        this.#emit(this.#multiline.at(-1) ? "$" : "(?:\\n?\\z)", 1);
      } else if (char === "{") this.#brace();
      else if (char === "*" || char === "+" || char === "?") this.#quantifier(char, 1);
      else this.#emit(char, 1);
    }
    return this.#out;
  }

  #emit(text: string, consumed: number): void {
    this.#out += text;
    this.#at += consumed;
  }

  /** After a quantifier: `?` makes it lazy; `+` possessive (Python 3.11), which needs backtracking. */
  #quantifier(text: string, consumed: number): void {
    this.#emit(text, consumed);
    if (this.source[this.#at] === "+") {
      throw notLinear("possessive quantifier", text + "+");
    }
  }

  /** `{m,n}`, `{,n}`, `{m,}`, `{,}` repeat; any other brace is a literal in Python. */
  #brace(): void {
    const repeat = /^\{(\d*)(,?)(\d*)\}/.exec(this.source.slice(this.#at));
    if (repeat === null || (repeat[1] === "" && repeat[2] === "")) {
      this.#emit("\\{", 1);
      return;
    }
    const [whole, low, comma, high] = repeat;
    this.#quantifier(`{${low || "0"}${comma}${high}}`, whole.length);
  }

  #group(): void {
    const rest = this.source.slice(this.#at);
    if (!rest.startsWith("(?")) {
      this.#open(this.#multiline.at(-1)!, "(", 1);
      return;
    }
    const comment = /^\(\?#[^)]*\)/.exec(rest);
    if (comment !== null) return this.#emit("", comment[0].length);
    if (rest.startsWith("(?#")) throw new RegexError("missing ), unterminated comment");
    const named = /^\(\?P<([^>]*)>/.exec(rest);
    if (named !== null) {
      const name = named[1]!;
      if (!/^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(name)) {
        throw new RegexError(`bad character in group name "${name}"`);
      }
      if (this.#names.has(name)) throw new RegexError(`redefinition of group name "${name}"`);
      this.#names.add(name);
      // Nothing reads groups: a plain one spares RE2's stricter rules for names (ASCII only).
      return this.#open(this.#multiline.at(-1)!, "(?:", named[0].length);
    }
    const reference = /^\(\?P=([^)]*)\)/.exec(rest);
    if (reference !== null) throw notLinear("backreference", reference[0]);
    for (const [start, what] of LINEAR_ONLY) {
      if (rest.startsWith(start)) throw notLinear(what, start);
    }
    if (rest.startsWith("(?:")) return this.#open(this.#multiline.at(-1)!, "(?:", 3);
    const scoped = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
    if (scoped === null) {
      throw new RegexError(`unknown extension "${rest.slice(0, 3)}"`);
    }
    const [whole, on = "", off, end] = scoped;
    if (end === ")") {
      throw new RegexError(`global flags not at the start of the expression: "${whole}"`);
    }
    const wrong = on.replace(/[aimsux]/g, "") + (off ?? "").replace(/[imsx]/g, "");
    if (wrong !== "") throw new RegexError(`unknown flag "${wrong[0]}" in "${whole}"`);
    if ((on + (off ?? "")).includes("x")) {
      throw new RegexError(`the inline flag "x" is not supported`);
    }
    const keep = (letters: string) => letters.replace(/[au]/g, "");
    const multiline = on.includes("m")
      ? true
      : off?.includes("m")
      ? false
      : this.#multiline.at(-1)!;
    const offText = off === undefined || off === "" ? "" : `-${off}`;
    this.#open(multiline, `(?${keep(on)}${offText}:`, whole.length);
  }

  #open(multiline: boolean, text: string, consumed: number): void {
    this.#multiline.push(multiline);
    this.#emit(text, consumed);
  }

  /** An escape outside a class. */
  #escape(): void {
    const next = this.source[this.#at + 1];
    if (next === undefined) throw new RegexError("bad escape (end of pattern)");
    if (SAME_ESCAPES.has(next)) return this.#emit(`\\${next}`, 2);
    if (next === "Z") return this.#emit("\\z", 2);
    if (next === "s") return this.#emit(`[${PYTHON_SPACE}]`, 2);
    if (next === "S") return this.#emit(`[^${PYTHON_SPACE}]`, 2);
    const digits = /^\\([1-9]\d?)/.exec(this.source.slice(this.#at));
    if (digits !== null && !/^\\[0-7]{3}/.test(this.source.slice(this.#at))) {
      throw notLinear("backreference", digits[0]);
    }
    const [text, consumed] = this.#character(this.#at);
    this.#emit(text, consumed);
  }

  /** A class, `[...]`, copied with its escapes rewritten. */
  #class(): void {
    let text = "[";
    let at = this.#at + 1;
    if (this.source[at] === "^") text += this.source[at++];
    // A "]" right after "[" or "[^" is a literal in Python.
    if (this.source[at] === "]") {
      text += "\\]";
      at++;
    }
    for (; at < this.source.length && this.source[at] !== "]"; at++) {
      const char = this.source[at]!;
      if (char === "[") text += "\\[";
      else if (char !== "\\") text += char;
      else {
        const next = this.source[at + 1];
        if (next === undefined) throw new RegexError("bad escape (end of pattern)");
        if (SAME_CLASS_ESCAPES.has(next) || next === "S") text += `\\${next}`;
        else if (next === "s") text += PYTHON_SPACE;
        else if (next === "b") text += "\\x{8}";
        else {
          const [escaped, consumed] = this.#character(at, { inClass: true });
          text += escaped;
          at += consumed - 2;
        }
        at++;
      }
    }
    // An unterminated class is RE2's to refuse ("missing closing ]").
    if (at < this.source.length) text += "]";
    this.#emit(text, at + 1 - this.#at);
  }

  /**
   * An escape that stands for one character (`\x41`, `\u00e9`, `\101`,
   * `\-`) as RE2's `\x{...}`, and the length of the escape.
   */
  #character(at: number, options: { inClass?: boolean } = {}): [string, number] {
    const rest = this.source.slice(at);
    const next = rest[1]!;
    const hex = (digits: number) => {
      const match = new RegExp(`^\\\\${next}([0-9a-fA-F]{${digits}})`).exec(rest);
      if (match === null) throw new RegexError(`incomplete escape "\\${next}"`);
      const code = parseInt(match[1]!, 16);
      if (code > 0x10ffff) throw new RegexError(`bad escape "${match[0]}"`);
      return [`\\x{${match[1]}}`, match[0].length] as [string, number];
    };
    if (next === "x") return hex(2);
    if (next === "u") return hex(4);
    if (next === "U") return hex(8);
    if (next === "N") throw new RegexError(`named characters ("\\N{...}") are not supported`);
    const octal = /^\\(0[0-7]{0,2}|[0-7]{1,3})/.exec(rest);
    if (
      octal !== null && (options.inClass || octal[1]!.startsWith("0") || octal[1]!.length === 3)
    ) {
      const code = parseInt(octal[1]!, 8);
      if (code > 0o377) throw new RegexError(`octal escape value "${octal[0]}" outside of range`);
      return [`\\x{${code.toString(16)}}`, octal[0].length];
    }
    if (/[0-9A-Za-z]/.test(next)) throw new RegexError(`bad escape "\\${next}"`);
    // Any other character escaped is itself (a code point: one or two UTF-16 units).
    const char = String.fromCodePoint(rest.codePointAt(1)!);
    return [`\\x{${char.codePointAt(0)!.toString(16)}}`, 1 + char.length];
  }
}

/** Group openings that need backtracking, and what each is called. */
const LINEAR_ONLY: readonly (readonly [string, string])[] = [
  ["(?=", "lookahead"],
  ["(?!", "negative lookahead"],
  ["(?<=", "lookbehind"],
  ["(?<!", "negative lookbehind"],
  ["(?(", "conditional group"],
  ["(?>", "atomic group"],
];
