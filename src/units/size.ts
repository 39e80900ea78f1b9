import { UsageError } from "../errors/memsnap_error.ts";

const UNIT_BYTES: Record<string, number> = {
  k: 2 ** 10,
  m: 2 ** 20,
  g: 2 ** 30,
  t: 2 ** 40,
};

/**
 * Parses smem's -R size (`32G`, `1024M`, `1.5T`, `512kB`) into kB: a
 * number with a unit, binary multiples, fractions truncated to the byte
 * then to the kB.
 *
 * @throws {UsageError} Without a unit, or when the number is not positive.
 */
export function parseSize(text: string): number {
  // The number as Python's float() reads it: sign, exponent, "_" between digits.
  const match =
    /^\s*(\+?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d+)?)\s*([kKmMgGtT])(?:i?B)?\s*$/
      .exec(text);
  if (match === null) {
    throw new UsageError(
      `Invalid size "${text}": memory size should be written with units, for example 1024M`,
    );
  }
  const bytes = Math.trunc(
    Number(match[1]!.replaceAll("_", "")) * UNIT_BYTES[match[2]!.toLowerCase()]!,
  );
  if (bytes < 1024) throw new UsageError(`Invalid size "${text}": less than 1 kB`);
  if (!Number.isSafeInteger(bytes)) throw new UsageError(`Invalid size "${text}": too large`);
  return Math.floor(bytes / 1024);
}
