/**
 * Numbers as the kernel prints them in /proc: unsigned decimals. memsnap
 * holds them as JavaScript numbers, exact up to 2^53 - 1; a value above it
 * cannot come from a kernel (8 EiB in kB, or 2.8 billion years in clock
 * ticks), and would be rounded: it is refused, never rounded.
 *
 * @module
 */

/** The largest number memsnap holds exactly: 2^53 - 1. */
export const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/**
 * Reads a run of decimal digits exactly.
 *
 * @returns The number; undefined when it is above 2^53 - 1.
 *
 * @example
 * ```ts
 * exactInteger("18446744073709551616"); // undefined (2^64)
 * exactInteger("4096"); // 4096
 * ```
 */
export function exactInteger(digits: string): number | undefined {
  // Past 16 significant digits a number is above 2^53 (16 digits); Number()
  // of 400 digits would be Infinity.
  if (digits.replace(/^0+/, "").length > 16) return undefined;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Why a number was refused, for a ParseError's detail: `"Rss": 18446744073709551616 kB
 * is above 2^53 - 1, more than any kernel reports` (a long one by its length).
 *
 * @param what What the number is: `"Rss"`, `starttime`.
 * @param unit Follows the number: `" kB"`.
 */
export function tooLarge(what: string, digits: string, unit = ""): string {
  const shown = digits.length > 24 ? `a ${digits.length}-digit value` : `${digits}${unit}`;
  return `${what}: ${shown} is above 2^53 - 1, more than any kernel reports`;
}
