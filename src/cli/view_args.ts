/**
 * Checks shared by the commands that show a view (reports, diffs): the
 * columns asked for, and the -P, -U and -M filters. Pure: no I/O.
 *
 * @module
 */

import { filterPattern, type Selection } from "../select/select.ts";
import { isColumnOf, type ViewSpec } from "../view/view_spec.ts";
import { UsageError } from "./errors.ts";

/** The lines that list a view's columns with their descriptions. */
export function knownColumns<Row, Id extends string>(spec: ViewSpec<Row, Id>): string[] {
  const columns = Object.values<{ id: string; description: string }>(spec.columns);
  const width = Math.max(...columns.map((c) => c.id.length));
  return [
    "known fields:",
    ...columns.map((c) => `  ${c.id.padEnd(width)}  ${c.description}`),
  ];
}

/**
 * The ids, each a column of the view.
 *
 * @throws {UsageError} Naming every unknown one, with the known ones listed.
 */
export function checkColumns<Row, Id extends string>(
  spec: ViewSpec<Row, Id>,
  ids: readonly string[],
): Id[] {
  const unknown = ids.filter((id) => !isColumnOf(spec, id));
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown column${unknown.length > 1 ? "s" : ""} ${
        unknown.map((id) => `"${id}"`).join(", ")
      } for the ${spec.id} view`,
      knownColumns(spec),
    );
  }
  return ids as Id[];
}

/** -P, -U and -M, compiled as Python regular expressions. */
export function selectionOf(values: {
  readonly processfilter?: string | undefined;
  readonly userfilter?: string | undefined;
  readonly mapfilter?: string | undefined;
}): Selection {
  return {
    ...(values.processfilter !== undefined &&
      { process: filterPattern("process", values.processfilter) }),
    ...(values.userfilter !== undefined && { user: filterPattern("user", values.userfilter) }),
    ...(values.mapfilter !== undefined && { mapping: filterPattern("mapping", values.mapfilter) }),
  };
}
