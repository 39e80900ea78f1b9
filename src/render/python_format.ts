/**
 * Number formatting exactly as smem's Python prints it: `%.Nf` rounds the
 * exact binary value half to even (JavaScript's toFixed rounds ties up),
 * and smem's units() and percentages build on it.
 *
 * @module
 */

/**
 * Python's `"%.{digits}f" % value`.
 *
 * @example
 * ```ts
 * formatFixed(1.25, 1); // "1.2" (toFixed gives "1.3")
 * ```
 */
export function formatFixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return String(value).toLowerCase().replace("infinity", "inf");
  // From 1e21 toFixed writes exponents; such doubles are whole numbers.
  if (Math.abs(value) >= 1e21) {
    const whole = (value < 0 ? "-" : "") + BigInt(Math.abs(value)).toString();
    return digits > 0 ? `${whole}.${"0".repeat(digits)}` : whole;
  }
  // toFixed(100) is the exact decimal expansion for every double whose
  // magnitude matters here (its fractional digits number at most ~70).
  const exact = Math.abs(value).toFixed(100);
  const point = exact.indexOf(".");
  const kept = exact.slice(0, point + 1 + digits).replace(".", "");
  const rest = exact.slice(point + 1 + digits);
  const first = rest.charCodeAt(0) - 48;
  const tail = /[1-9]/.test(rest.slice(1));
  const lastKept = kept.charCodeAt(kept.length - 1) - 48;
  const up = first > 5 || (first === 5 && (tail || lastKept % 2 === 1));
  let digitsText = up ? increment(kept) : kept;
  digitsText = digitsText.padStart(digits + 1, "0");
  const whole = digitsText.slice(0, digitsText.length - digits);
  const fraction = digitsText.slice(digitsText.length - digits);
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  return sign + (digits > 0 ? `${whole}.${fraction}` : whole);
}

function increment(digits: string): string {
  const chars = [...digits];
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] === "9") chars[i] = "0";
    else {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join("");
    }
  }
  return "1" + chars.join("");
}

/**
 * smem's units(): bytes with one decimal and a K/M/G/T suffix (-k).
 *
 * @example
 * ```ts
 * units(1536 * 1024); // "1.5M"
 * ```
 */
export function units(bytes: number): string {
  if (bytes === 0) return "0";
  let value = bytes;
  let suffix = "";
  for (suffix of ["", "K", "M", "G", "T"]) {
    if (value < 1024) break;
    value /= 1024;
  }
  return formatFixed(value, 1) + suffix;
}

/** A kB amount as -k shows it, negative ones (changes) with their sign: "-1.5M". */
export function kbUnits(kb: number): string {
  return kb < 0 ? "-" + units(-kb * 1024) : units(kb * 1024);
}

/** smem's -p: a share of `total` with two decimals, `N/A` without a total. */
export function percent(amount: number, total: number): string {
  if (total === 0) return "N/A";
  return formatFixed(100 * amount / total, 2) + "%";
}
