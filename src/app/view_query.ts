/**
 * A view as a use case asks for it: which view, which columns, sorted how,
 * over which processes. {@link viewQuery} checks a request against the
 * view's catalogue (every front end gets the same messages, with "did you
 * mean"); {@link viewContext} is what the view's rows are computed from.
 *
 * @module
 */

import { closest } from "../errors/closest_word.ts";
import { UsageError } from "../errors/memsnap_error.ts";
import { type Filters, type Selection, selectProcesses } from "../select/select.ts";
import type { Snapshot } from "../snapshot/snapshot.ts";
import { findView, type ViewId, viewNames, viewOf } from "../view/registry.ts";
import { isColumnOf, type Reading, type View, type ViewContext } from "../view/view.ts";

/** A view, its columns and its order, checked against its catalogue. */
export interface ViewQuery {
  readonly view: ViewId;
  readonly columns: readonly string[];
  readonly sort: string;
  readonly reverse: boolean;
  /** Only the rows that weigh most by the sort field, this many (see TableRequest). */
  readonly limit?: number;
}

/** What a front end asks for: anything left out takes the view's default. */
export interface ViewRequest {
  readonly view?: ViewId;
  readonly columns?: readonly string[];
  readonly sort?: string;
  readonly reverse?: boolean;
  readonly limit?: number;
  /** The columns are a diff's: its defaults, not the report's. */
  readonly diff?: boolean;
  /** Default columns for data formats (CSV, JSON), where a view has its own. */
  readonly data?: boolean;
}

/**
 * The view a name means (its id or an alias).
 *
 * @throws {UsageError} Naming the known views, with the nearest one.
 */
export function viewNamed(name: string): ViewId {
  const view = findView(name);
  if (view !== undefined) return view.id;
  const names = viewNames();
  const near = closest(name, names);
  throw new UsageError(
    `Unknown view "${name}"${near === undefined ? "" : ` (did you mean "${near}"?)`}: expected ${
      names.map((n) => `"${n}"`).join(", ")
    }`,
  );
}

/**
 * Checks a view request: the sort field first (as smem does), then the
 * columns.
 *
 * @throws {UsageError} For an unknown column or sort field, naming the
 *   nearest known one and listing them all.
 */
export function viewQuery(request: ViewRequest): ViewQuery {
  const view = viewOf(request.view ?? "processes");
  const sort = request.sort ?? view.defaultSort;
  if (!isColumnOf(view, sort)) {
    throw new UsageError(
      `Unknown sort field "${sort}" for the ${view.id} view${didYouMean(view, [sort])}`,
      knownColumns(view),
    );
  }
  const defaults = request.diff
    ? view.diffColumns
    : request.data
    ? view.dataColumns ?? view.defaultColumns
    : view.defaultColumns;
  const columns = request.columns === undefined || request.columns.length === 0
    ? defaults
    : request.columns;
  checkColumns(view, columns);
  if (request.limit !== undefined && view.tree) {
    throw new UsageError(
      `Option "--limit" keeps the largest rows of a flat view: the ${view.id} view's rows nest`,
    );
  }
  return {
    view: view.id,
    columns,
    sort,
    reverse: request.reverse ?? false,
    ...(request.limit !== undefined && { limit: request.limit }),
  };
}

/**
 * Checks that every id is a column of the view.
 *
 * @throws {UsageError} Naming every unknown one, with the known ones listed.
 */
export function checkColumns(view: View, ids: readonly string[]): void {
  const unknown = ids.filter((id) => !isColumnOf(view, id));
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown column${unknown.length > 1 ? "s" : ""} ${
        unknown.map((id) => `"${id}"`).join(", ")
      } for the ${view.id} view${didYouMean(view, unknown)}`,
      knownColumns(view),
    );
  }
}

/** The lines that list a view's columns with their descriptions. */
export function knownColumns(view: View): string[] {
  const columns = Object.values(view.columns);
  const width = Math.max(...columns.map((c) => c.id.length));
  return [
    "known fields:",
    ...columns.map((c) => `  ${c.id.padEnd(width)}  ${c.description}`),
  ];
}

function didYouMean(view: View, unknown: readonly string[]): string {
  const near = unknown.length === 1 ? closest(unknown[0]!, Object.keys(view.columns)) : undefined;
  return near === undefined ? "" : ` (did you mean "${near}"?)`;
}

/** The options that shape a view's rows beside the query. */
export interface RowOptions {
  readonly selection: Selection;
  readonly numeric: boolean;
  readonly realMemKb?: number;
  readonly depth?: number;
}

/**
 * What the view's rows are computed from.
 *
 * @param options.filters The selection's patterns, compiled (compileSelection()).
 */
export function viewContext(
  snapshot: Snapshot,
  query: Pick<ViewQuery, "sort" | "reverse">,
  options: Omit<RowOptions, "selection"> & {
    readonly filters: Filters;
    readonly kernelKb?: number;
    readonly charges?: ReadonlyMap<string, number>;
  },
): ViewContext {
  return {
    snapshot,
    processes: selectProcesses(snapshot, options.filters),
    numeric: options.numeric,
    ...(options.realMemKb !== undefined && { realMemKb: options.realMemKb }),
    ...(options.kernelKb !== undefined && { kernelKb: options.kernelKb }),
    ...(options.depth !== undefined && { depth: options.depth }),
    charges: options.charges ?? new Map(),
    sort: query.sort,
    reverse: query.reverse,
  };
}

/**
 * What must be read for some views' columns (and sort field), merged: what
 * each view needs, and mappings wherever -M filters.
 */
export function readingFor(
  views: readonly {
    readonly view: ViewId;
    readonly columns: readonly string[];
    readonly sort?: string;
  }[],
  selection: Selection,
): Reading {
  const none: Reading = {
    processes: false,
    mappings: selection.mapping !== undefined,
    rollupCounters: false,
  };
  const reads = ({ view, columns, sort }: (typeof views)[number]) =>
    viewOf(view).reads(sort === undefined ? columns : [...columns, sort]);
  return views.map(reads).reduce((all, one) => ({
    processes: all.processes || one.processes,
    mappings: all.mappings || one.mappings,
    rollupCounters: all.rollupCounters || one.rollupCounters,
    cgroups: (all.cgroups ?? false) || (one.cgroups ?? false),
    charges: (all.charges ?? false) || (one.charges ?? false),
    ...((all.exact || one.exact) && { exact: true }),
    ...((all.extras || one.extras) && { extras: { ...all.extras, ...one.extras } }),
  }), none);
}
