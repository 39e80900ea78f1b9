/** The output formats of a report. */
export const FORMATS = ["table", "json", "csv"] as const;
export type Format = typeof FORMATS[number];

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}
