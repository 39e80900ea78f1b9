/**
 * Turns a view's rows into a table: the chosen columns' cells, sorted as
 * smem sorts them, and the totals line's values.
 *
 * @module
 */

import type { CellValue, Column } from "./column.ts";

/** What a table is built from: a view's typed columns, and a tree's depths. */
export interface TableSpec<Row, Id extends string> {
  readonly columns: { readonly [K in Id]: Column<Row> };
  /** A tree's rows come in tree order, which the table keeps. */
  readonly depthOf?: (row: Row) => number;
}

/** A column's description, without its accessor. */
export type ColumnInfo = Omit<Column<unknown>, "value">;

/** Cells ready for a renderer. */
export interface Table {
  readonly columns: readonly ColumnInfo[];
  readonly rows: readonly (readonly CellValue[])[];
  /** One value per column: the total, or undefined for "none". */
  readonly totals: readonly CellValue[];
  /** A tree's rows: each row's depth, for the indented columns. */
  readonly depths?: readonly number[];
}

/** Which columns, sorted how. */
export interface TableRequest<Id extends string> {
  readonly columns: readonly Id[];
  readonly sort: Id;
  readonly reverse: boolean;
  /**
   * Only the rows that weigh most by the sort field, this many: the last of
   * smem's ascending order (the first with `reverse`), in that order; the
   * totals are theirs.
   */
  readonly limit?: number;
}

/**
 * Builds the table of a view. Rows are sorted as smem sorts them: by the
 * sort column ascending (or descending with `reverse`), ties broken by the
 * row's cells from left to right (smem sorts (key, row) tuples).
 */
export function buildTable<Row, Id extends string>(
  spec: TableSpec<Row, Id>,
  rows: readonly Row[],
  request: TableRequest<Id>,
): Table {
  const columns: Column<Row>[] = request.columns.map((id) => spec.columns[id]);
  const sortValue = spec.columns[request.sort].value;
  const keyed = rows.map((row) => {
    const cells = columns.map((c) => c.value(row));
    return { key: [sortValue(row), ...cells], cells, row };
  });
  const direction = request.reverse ? -1 : 1;
  // A tree's rows are in tree order already.
  if (spec.depthOf === undefined) keyed.sort((a, b) => direction * compareTuples(a.key, b.key));
  const { limit } = request;
  const shown = limit === undefined || limit >= keyed.length
    ? keyed
    : request.reverse
    ? keyed.slice(0, limit)
    : keyed.slice(keyed.length - limit);
  const totals = columns.map((column) =>
    columnTotal(column.total, shown.map((k) => column.value(k.row)))
  );
  const depthOf = spec.depthOf;
  return {
    columns: columns.map(({ value: _, ...info }) => info),
    rows: shown.map((k) => k.cells),
    totals,
    ...(depthOf !== undefined && { depths: shown.map((k) => depthOf(k.row)) }),
  };
}

/** A column's total by its rule, as smem's totals line sums it. */
export function columnTotal(
  rule: Column<unknown>["total"],
  values: readonly CellValue[],
): CellValue {
  switch (rule) {
    case "count":
      return values.length;
    case "distinct":
      return new Set(values).size;
    case "sum": {
      // No row sums to 0, as in smem; rows that all lack the value, to unknown.
      const numbers = values.filter((v): v is number => typeof v === "number");
      if (numbers.length === 0 && values.length > 0) return undefined;
      return numbers.reduce((a, b) => a + b, 0);
    }
    case "none":
      return undefined;
  }
}

/** Python's ordering of tuples; unknown sorts first, numbers before text. */
export function compareTuples(a: readonly CellValue[], b: readonly CellValue[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareValues(a[i], b[i]);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

function compareValues(a: CellValue, b: CellValue): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return compareCodePoints(a, b);
}

/** Orders strings by code point, as Python does (not by UTF-16 unit). */
function compareCodePoints(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return (x.done ? 0 : 1) - (y.done ? 0 : 1);
    if (x.value !== y.value) return x.value.codePointAt(0)! - y.value.codePointAt(0)!;
  }
}
