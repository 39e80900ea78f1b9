/**
 * The name of a chart written without a name given: from its data.
 *
 * @module
 */

/** The extension of a chart written without -o. */
export const DEFAULT_CHART_EXTENSION = "svg";

/**
 * `memsnap-PART-…-HOST-YYYYMMDDTHHMMSSZ.svg`, from the data's host and time
 * (left out when unknown), never from the clock: the same input, the same name.
 */
export function defaultChartName(
  parts: readonly string[],
  origin: { readonly hostname: string | null; readonly takenAt: string | null },
): string {
  const time = origin.takenAt?.replace(/[-:]/g, "").replace(/\.\d+/, "");
  return [
    "memsnap",
    ...parts,
    ...(origin.hostname === null ? [] : [origin.hostname]),
    ...(time === undefined ? [] : [time]),
  ].map((part) => part.replace(/[^A-Za-z0-9._]/g, "_")).join("-") +
    `.${DEFAULT_CHART_EXTENSION}`;
}
