/**
 * What a threshold would judge on estimated numbers: the processes of
 * either side that were not walked in their snapshot (carried, rss-only).
 * A CI gate passed or failed on an old or RSS-only number would lie, so
 * `--fail-if` refuses them unless told otherwise (--allow-estimates).
 *
 * @module
 */

import { provenanceText } from "../snapshot/provenance.ts";
import type { Process } from "../snapshot/snapshot.ts";

/** The most estimated processes named in a refusal; the rest are counted. */
const NAMED = 10;

/**
 * One line per estimated process of each side (`B: 1234 postgres:
 * rss-only (over-ceiling)`), at most {@link NAMED}, then how many more.
 */
export function estimatedLines(
  sides: readonly { readonly name: string; readonly processes: readonly Process[] }[],
): string[] {
  const lines = sides.flatMap(({ name, processes }) =>
    processes.flatMap((p) =>
      p.provenance === undefined || p.provenance.kind === "exact"
        ? []
        : [`${name}: ${p.pid} ${p.name}: ${provenanceText(p.provenance)}`]
    )
  );
  return lines.length <= NAMED
    ? lines
    : [...lines.slice(0, NAMED), `... and ${lines.length - NAMED} more`];
}
