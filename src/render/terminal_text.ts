/**
 * Text from the system (command lines, process, user and file names,
 * archive metadata) made safe to print on a terminal. Any local user can
 * name a process `evil\x1b]0;pwned\x07\x1b[2J`: printed raw, the escape
 * sequences would retitle, clear or reprogram the terminal of whoever runs
 * memsnap. Every character a terminal may act on, or that changes how the
 * text around it reads, is written instead in a visible form, Python's
 * (smem's language) for its repr():
 *
 * - C0 controls, DEL and C1 controls (U+0080 to U+009F): `\x1b`, `\x7f`,
 *   `\x9b`; tab, line feed and carriage return as `\t`, `\n`, `\r`;
 * - Unicode format characters (bidi overrides and isolates such as U+202E,
 *   zero-width characters, the BOM), line and paragraph separators, and
 *   lone surrogates: `\u202e`, `\U000e0041` above U+FFFF.
 *
 * Everything else, backslashes included, is left as it is, so that an
 * ordinary name prints byte for byte as smem prints it. JSON output keeps
 * the exact text (escaped as JSON: {@link jsonText}).
 *
 * @module
 */

/** The characters written in their visible form: Cc, Cf, Zl, Zp and Cs. */
const TERMINAL_UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * Text with nothing to write visibly, tested first: nearly every cell is
 * such, and the Unicode classes above cost a start-up's worth of tables.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The short forms of tab, line feed and carriage return. */
const SHORT: Readonly<Record<string, string>> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One character's visible form: `\x1b`, `\n`, `\u202e`, `\U000e0041`. */
export function visibleForm(char: string): string {
  const short = SHORT[char];
  if (short !== undefined) return short;
  const code = char.codePointAt(0)!;
  const hex = code.toString(16);
  if (code < 0x100) return `\\x${hex.padStart(2, "0")}`;
  if (code < 0x10000) return `\\u${hex.padStart(4, "0")}`;
  return `\\U${hex.padStart(8, "0")}`;
}

/**
 * The text with every character a terminal may act on written visibly.
 *
 * @example
 * ```ts
 * terminalText("evil\x1b]0;pwned\x07"); // "evil\\x1b]0;pwned\\x07"
 * ```
 */
export function terminalText(text: string): string {
  return PRINTABLE_ASCII.test(text) ? text : text.replace(TERMINAL_UNSAFE, visibleForm);
}

/**
 * A value as indented JSON, safe to print on a terminal and the same data
 * for a JSON reader: JSON.stringify escapes C0 controls only; DEL, C1
 * controls, format characters and separators are written as `\uXXXX` too
 * (outside strings, JSON text holds none of them).
 */
export function jsonText(value: unknown): string {
  const json = JSON.stringify(value, null, 2);
  return DEL_OR_ABOVE.test(json) ? json.replace(JSON_UNSAFE, jsonEscape) : json;
}

/** What JSON.stringify leaves raw of TERMINAL_UNSAFE: all but C0 (its line breaks are JSON's own). */
const JSON_UNSAFE = /[\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** What JSON_UNSAFE may match: DEL and above (JSON.stringify has escaped C0); tested first. */
const DEL_OR_ABOVE = /[\u007f-\uffff]/;

function jsonEscape(char: string): string {
  // A character above U+FFFF (a tag character) is a surrogate pair in JSON.
  return Array.from(
    { length: char.length },
    (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`,
  ).join("");
}
