import type { Column } from "./column.ts";

/**
 * The views: smem's, in smem's order of precedence (-m over -u over -w),
 * then memsnap's.
 */
export const VIEW_IDS = [
  "processes",
  "users",
  "mappings",
  "system",
  "cgroups",
  "commands",
  "process-tree",
  "system-tree",
] as const;
export type ViewId = typeof VIEW_IDS[number];

/** A view's column catalogue and smem's defaults for it. */
export interface ViewSpec<Row, Id extends string = string, V extends ViewId = ViewId> {
  readonly id: V;
  /** Every column the view knows, in the order --help lists them. */
  readonly columns: { readonly [K in Id]: Column<Row> };
  readonly defaultColumns: readonly Id[];
  readonly defaultSort: Id;
  /**
   * A tree view's row depth: its rows come in tree order, which the table
   * keeps (the view sorts siblings itself), and indented columns show it.
   */
  readonly depthOf?: (row: Row) => number;
}

/** Whether `id` names a column of `spec`. */
export function isColumnOf<Row, Id extends string>(
  spec: ViewSpec<Row, Id>,
  id: string,
): id is Id {
  return Object.hasOwn(spec.columns, id);
}
