/**
 * What a view is: one module per view (processes, users, mappings, ...)
 * defines a {@link ViewModule} — its rows, its column catalogue, its
 * defaults, what it needs read, how its rows match across snapshots — and
 * {@link defineView} turns it into the {@link View} that the registry
 * (registry.ts) lists and every front end, diff, chart and help text uses.
 *
 * A View hides its row type: consumers get tables, diff sides and chart
 * parts, never rows, so that one list can hold views of different rows.
 *
 * @module
 */

import type { LoadOptions } from "../snapshot/load_snapshot.ts";
import type { Process, Snapshot } from "../snapshot/snapshot.ts";
import { type DiffColumns, type KeyedSide, keyedSide } from "./keyed_side.ts";
import type { CellValue, Column } from "./column.ts";
import type { MemoryNode } from "./system_tree.ts";
import { buildTable, type ColumnInfo, type Table, type TableRequest } from "./table.ts";
import type { UserspaceGap } from "./userspace_gap.ts";

/** What a view's rows are computed from: a snapshot and the report's options. */
export interface ViewContext {
  readonly snapshot: Snapshot;
  /** The processes the filters (-P, -U, -M) kept, in the snapshot's order. */
  readonly processes: readonly Process[];
  /** -n: users as uids, not names. */
  readonly numeric: boolean;
  /** -R: the physical RAM, kB. */
  readonly realMemKb?: number;
  /** -K: the kernel image's size, kB; undefined when not given. */
  readonly kernelKb?: number;
  /** --depth: cgroups deeper than this fold into their ancestor. */
  readonly depth?: number;
  /** The cgroups' charges (kB) by cgroup key; empty where unknown. */
  readonly charges: ReadonlyMap<string, number>;
  /** The sort column and its direction: a tree orders siblings by them. */
  readonly sort: string;
  readonly reverse: boolean;
}

/**
 * What must be read for a view: the loader's options, plus the cgroups'
 * charges from the cgroup filesystem.
 */
export interface Reading extends LoadOptions {
  readonly charges?: boolean;
  /** Each process's pages (pagemap, kpagecount): the exact columns (exact_columns.ts). */
  readonly exact?: boolean;
}

/** The options only some views take: --depth, -K. */
export const VIEW_OPTIONS = ["depth", "kernel"] as const;
export type ViewOption = typeof VIEW_OPTIONS[number];

/** An option a view takes only with another: -K needs -R in the system tree. */
export interface OptionRule {
  readonly option: ViewOption;
  /** The other option's long name. */
  readonly needs: string;
  /** Why, for the message. */
  readonly why: string;
}

/** What the system tree's report shows beside its rows. */
export interface ReportAnnex {
  readonly tree: MemoryNode;
  readonly userspace: UserspaceGap;
}

/** One row a chart or a timeline draws: what matches it, its name, its amount. */
export interface Part {
  readonly key: string;
  readonly name: string;
  /** kB; unknown counts as 0. */
  readonly kb: number;
}

/** A view, as its module defines it: typed by its rows and column ids. */
export interface ViewModule<Row, Id extends string, V extends string> {
  readonly id: V;
  /** What one row is, for titles and messages: "process", "memory area". */
  readonly noun: string;
  /** What the view shows, one line of --help: "processes summed per owner". */
  readonly summary: string;
  /** Other names a command line may give it (`--by user`). */
  readonly aliases: readonly string[];
  /** Every column, in the order --help lists them. */
  readonly columns: { readonly [K in Id]: Column<Row> };
  readonly defaultColumns: readonly Id[];
  readonly defaultSort: Id;
  /** The amount charts size rows by and timelines stack, unless told. */
  readonly measure: Id;
  /**
   * The columns that name a row rather than measure it (a diff's labels),
   * the most telling first (a diff chart names its bars by the first shown).
   */
  readonly labels: readonly Id[];
  /** A diff's default columns: labels and the metrics compared. */
  readonly diffColumns: readonly Id[];
  /** Default columns for CSV and JSON, where they differ from the table's. */
  readonly dataColumns?: readonly Id[];
  /**
   * A tree's row depth: its rows come in tree order, which the table keeps
   * (the view sorts siblings itself), and indented columns show it.
   */
  readonly depthOf?: (row: Row) => number;
  /** Rows in an order of their own that no sort, filter or total applies to. */
  readonly fixedOrder?: boolean;
  /** The options of {@link VIEW_OPTIONS} that the view takes. */
  readonly options: readonly ViewOption[];
  readonly optionRules?: readonly OptionRule[];
  /** What must be read to show these columns. */
  readonly reads: (asked: readonly string[]) => Reading;
  readonly rows: (context: ViewContext) => readonly Row[];
  /**
   * The rows that split the whole without counting anything twice, for
   * charts and timelines: a tree's own rows or leaves. All rows otherwise.
   */
  readonly parts?: (rows: readonly Row[]) => readonly Row[];
  /** What matches a row across snapshots (a diff, a trend, a timeline). */
  readonly key: (row: Row) => string;
  /** A row's name in a timeline's legend. */
  readonly name: (row: Row) => string;
  /** What a report shows beside the rows. */
  readonly annex?: (context: ViewContext) => ReportAnnex;
}

/** A view, as every consumer uses it: its rows hidden behind tables, sides and parts. */
export interface View<V extends string = string> {
  readonly id: V;
  readonly noun: string;
  readonly summary: string;
  readonly aliases: readonly string[];
  /** The catalogue, without accessors, in --help's order. */
  readonly columns: Readonly<Record<string, ColumnInfo>>;
  readonly defaultColumns: readonly string[];
  readonly defaultSort: string;
  readonly measure: string;
  readonly labels: readonly string[];
  readonly diffColumns: readonly string[];
  readonly dataColumns?: readonly string[];
  /** Its rows nest (a tree). */
  readonly tree: boolean;
  readonly fixedOrder: boolean;
  readonly options: readonly ViewOption[];
  readonly optionRules: readonly OptionRule[];
  readonly reads: (asked: readonly string[]) => Reading;
  /** The view's table: chosen columns, sorted as smem sorts (a tree in tree order). */
  table(context: ViewContext, request: TableRequest<string> & { readonly parts?: boolean }): Table;
  /** The view as one side of a diff: rows keyed, label cells and metric values. */
  side(context: ViewContext, columns: DiffColumnIds): KeyedSide;
  /** The rows that split the whole, each with its amount of `measure`. */
  parts(context: ViewContext, measure: string): Part[];
  readonly annex?: (context: ViewContext) => ReportAnnex;
}

/** The columns of a diff side, by id: those that name rows and those compared. */
export interface DiffColumnIds {
  readonly labels: readonly string[];
  readonly metrics: readonly string[];
}

/** Makes a view module into a View. */
export function defineView<Row, Id extends string, V extends string>(
  module: ViewModule<Row, Id, V>,
): View<V> {
  const column = (id: string): Column<Row> => module.columns[id as Id];
  const spec = {
    id: module.id,
    columns: module.columns,
    defaultColumns: module.defaultColumns,
    defaultSort: module.defaultSort,
    ...(module.depthOf !== undefined && { depthOf: module.depthOf }),
  };
  const partsOf = (context: ViewContext) => {
    const rows = module.rows(context);
    return module.parts === undefined ? rows : module.parts(rows);
  };
  return {
    id: module.id,
    noun: module.noun,
    summary: module.summary,
    aliases: module.aliases,
    columns: Object.fromEntries(
      Object.entries<Column<Row>>(module.columns).map(([id, { value: _, ...info }]) => [id, info]),
    ),
    defaultColumns: module.defaultColumns,
    defaultSort: module.defaultSort,
    measure: module.measure,
    labels: module.labels,
    diffColumns: module.diffColumns,
    ...(module.dataColumns !== undefined && { dataColumns: module.dataColumns }),
    tree: module.depthOf !== undefined,
    fixedOrder: module.fixedOrder === true,
    options: module.options,
    optionRules: module.optionRules ?? [],
    reads: module.reads,
    table(context, request) {
      const rows = request.parts ? partsOf(context) : module.rows(context);
      // Parts of a tree are drawn flat: sorted as any table.
      const { depthOf: _, ...flat } = spec;
      return buildTable(request.parts ? flat : spec, rows, request as TableRequest<Id>);
    },
    side(context, ids) {
      const columns: DiffColumns<Row> = {
        labels: ids.labels.map(column),
        metrics: ids.metrics.map(column),
      };
      return keyedSide(module.rows(context), module.key, columns);
    },
    parts(context, measure) {
      const value = column(measure).value;
      return partsOf(context).map((row) => ({
        key: module.key(row),
        name: module.name(row),
        kb: amount(value(row)),
      }));
    },
    ...(module.annex !== undefined && { annex: module.annex }),
  };
}

function amount(value: CellValue): number {
  return typeof value === "number" ? value : 0;
}

/** Whether `id` names a column of the view. */
export function isColumnOf(view: Pick<View, "columns">, id: string): boolean {
  return Object.hasOwn(view.columns, id);
}
