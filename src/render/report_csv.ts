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
 * unknown values empty.
 */
export function renderCsv(table: Table, options: CsvOptions): string {
  const records: (string | number)[][] = [];
  if (options.header) records.push(table.columns.map((c) => c.id));
  for (const row of table.rows) records.push(row.map((v) => v ?? ""));
  if (options.totals) {
    records.push(table.totals.map((v, i) => table.columns[i]!.total === "none" ? "" : v ?? ""));
  }
  return stringify(records, { record_delimiter: "unix" });
}
