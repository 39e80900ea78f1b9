/**
 * How a process's memory numbers were obtained. A page-table walk
 * (smaps_rollup, smaps) is exact but costs the process it reads; status is
 * cheap and tells RSS and swap only. Each process in a snapshot says which
 * it got, so that no estimate passes for a measurement.
 *
 * @module
 */

import type { Counters } from "../parse/counters.ts";
import type { StatusMemory } from "../parse/status.ts";

export type { Provenance, RssOnlyReason } from "../archive/format.ts";
import type { Provenance } from "../archive/format.ts";

export const EXACT: Provenance = { kind: "exact" };

/** The provenance as JSON and CSV give it: `exact`, `carried`, `rss-only`. */
export type ProvenanceKind = Provenance["kind"];

/**
 * A provenance in words, for a table's column and for messages: `exact`,
 * `carried 12s`, `rss-only (over-ceiling)`.
 */
export function provenanceText(provenance: Provenance): string {
  switch (provenance.kind) {
    case "exact":
      return "exact";
    case "carried":
      return `carried ${Math.round(provenance.ageMs / 1000)}s`;
    case "rss-only":
      return `rss-only (${provenance.reason})`;
  }
}

/**
 * The counters of a process read from status only: RSS, swap and VSS are
 * known; PSS, USS and the rest stay absent (unknown, never zero).
 */
export function rssOnlyCounters(memory: StatusMemory): Counters {
  return { rss: memory.rss, swap: memory.swap, size: memory.size };
}
