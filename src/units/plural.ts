/**
 * Nouns counted in messages and titles, one rule for every layer.
 *
 * @module
 */

/** `process` → `processes`, `row` → `rows` (for a count other than 1). */
export function plural(noun: string, count: number): string {
  if (count === 1) return noun;
  return /(s|x|ch|sh)$/.test(noun) ? `${noun}es` : `${noun}s`;
}

/** A count and its noun: `1 process`, `3 processes`. */
export function counted(count: number, noun: string): string {
  return `${count} ${plural(noun, count)}`;
}
