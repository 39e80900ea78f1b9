/**
 * What the CLI gives parseThreshold(): the memory columns of each view,
 * with the process view shown.
 *
 * @module
 */

import { amountMetricIds, type ThresholdView } from "../../src/diff/threshold.ts";
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
