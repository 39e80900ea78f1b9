import { stringify } from "csv-stringify/sync";
import type { Table } from "../view/table.ts";

/** What the CSV shows beside the rows. */
export interface CsvOptions {
  /** A first line with the column ids (-H leaves it out). */
  readonly header: boolean;
  /** A last line with the totals (-t), blank where a column has none. */
  readonly totals: boolean;
}

/**
 * Renders a table as CSV (RFC 4180): raw kB integers whatever -k or -p say,
 * unknown values empty, text cells safe to open in a spreadsheet ({@link csvText}).
 */
export function renderCsv(table: Table, options: CsvOptions): string {
  const records: (string | number)[][] = [];
  if (options.header) records.push(table.columns.map((c) => c.id));
  for (const row of table.rows) records.push(row.map((v) => v ?? ""));
  if (options.totals) {
    records.push(table.totals.map((v, i) => table.columns[i]!.total === "none" ? "" : v ?? ""));
  }
  return csvText(records);
}

/**
 * A spreadsheet reads a cell that starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return as a formula (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`):
 * OWASP's list for CSV injection.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Records as CSV lines (RFC 4180, `\n` between records). A text cell that a
 * spreadsheet would run as a formula gets OWASP's defence, a leading `'`
 * (`'=HYPERLINK(...)`), so it shows as text; numbers stay numbers (`-12`). A
 * cell holding a carriage return is quoted, as RFC 4180 asks.
 */
export function csvText(records: readonly (readonly (string | number)[])[]): string {
  const safe = records.map((record) =>
    record.map((cell) => typeof cell === "string" && FORMULA_START.test(cell) ? `'${cell}` : cell)
  );
  return stringify(safe, { record_delimiter: "unix", quoted_match: /\r/ });
}
