/**
 * A table as CSV, with the CSV writer loaded only when CSV is asked for.
 *
 * @module
 */

import type { Table } from "../view/table.ts";
import type { CsvOptions } from "./report_csv.ts";

/** Renders a table as CSV (see report_csv.ts), loading the writer first. */
export async function csv(table: Table, options: CsvOptions): Promise<string> {
  const { renderCsv } = await import("./report_csv.ts");
  return renderCsv(table, options);
}
