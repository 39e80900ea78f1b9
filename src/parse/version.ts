import { ParseError } from "./parse_error.ts";

/**
 * The kernel release from /proc/version (`Linux version 6.1.0-13 (...)`).
 *
 * @throws {ParseError} When the text does not start with "Linux version".
 */
export function parseVersion(text: string, file: string): string {
  const match = /^Linux version (\S+)/.exec(text);
  if (match === null) {
    throw new ParseError(file, 1, 'expected "Linux version RELEASE ..."');
  }
  return match[1]!;
}
