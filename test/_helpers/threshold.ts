/**
 * What the CLI gives parseThreshold(): the memory columns of each view,
 * with the process view shown.
 *
 * @module
 */

import { diffSides, type DiffTable, type KeyedSide } from "../../src/diff/diff_table.ts";
import { amountMetricIds, type ThresholdView } from "../../src/diff/threshold.ts";
import type { Column } from "../../src/view/column.ts";
import { commandView } from "../../src/view/commands.ts";
import { mappingView } from "../../src/view/mappings.ts";
import { processView } from "../../src/view/processes.ts";
import { userView } from "../../src/view/users.ts";

const SPECS = {
  shown: processView,
  processes: processView,
  commands: commandView,
  users: userView,
  mappings: mappingView,
} as const;

/** The metric ids of a view, the processes view shown. */
export const knownMetrics = (view: ThresholdView): string[] =>
  amountMetricIds(Object.values(SPECS[view].columns));

/**
 * A diff of programs by PSS and swap, from each side's rows (`[name, pss,
 * swap]`): the table thresholds are checked against in the renderers' tests.
 */
export function programDiff(
  a: readonly ProgramRow[],
  b: readonly ProgramRow[],
): DiffTable {
  const info = <Row>({ value: _, ...rest }: Column<Row>) => rest;
  const side = (rows: readonly ProgramRow[]): KeyedSide => ({
    rows: rows.map(([key, pss, swap]) => ({ key, labels: [key], values: [pss, swap] })),
    totals: [rows.reduce((sum, [, pss]) => sum + pss, 0), undefined],
  });
  return diffSides(side(a), side(b), {
    labels: [info(commandView.columns.command)],
    metrics: [info(commandView.columns.pss), info(commandView.columns.swap)],
  });
}

/** A program's row: its name, PSS and swap (kB). */
export type ProgramRow = readonly [string, number, number | undefined];
