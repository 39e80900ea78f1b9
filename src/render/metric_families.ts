/**
 * memsnap's metric families, built from report tables (pure): one family
 * per quantity in bytes, each series labelled by its view and the view's
 * key, so that sum() over any label within a view means something. Per
 * process only the top N by PSS, plus one `other` series holding the rest:
 * cardinality stays bounded.
 *
 * @module
 */

import type { CellValue } from "../view/column.ts";
import type { Table } from "../view/table.ts";
import type { Family, Series } from "./prometheus.ts";

/** The quantities exported, by column id; each a family memsnap_<id>_bytes. */
export const QUANTITIES = [
  ["pss", "proportional set size: shared pages divided among their users; sums to used memory"],
  ["uss", "unique set size: pages only this key maps; what freeing it would return"],
  ["rss", "resident set size: shared pages counted once per user; never sum across keys"],
  ["swap", "swapped-out anonymous memory"],
  ["swappss", "swap, shared pages divided among their users"],
] as const;

/** The columns a table must carry for the families. */
export const QUANTITY_COLUMNS: readonly string[] = QUANTITIES.map(([id]) => id);

/** What the families are built from: per-key tables (kB cells). */
export interface MetricTables {
  /** The users view: columns user + QUANTITY_COLUMNS. */
  readonly users: Table;
  /** The processes view: columns pid, name + QUANTITY_COLUMNS, every process. */
  readonly processes: Table;
  /** The commands view: columns command + QUANTITY_COLUMNS, every command. */
  readonly commands?: Table;
  /** The cgroups view: columns cgroup, hierarchy + QUANTITY_COLUMNS. */
  readonly cgroups?: Table;
  /** How many processes (and commands) get a series of their own. */
  readonly topN: number;
}

/**
 * The memory families: one per quantity; series per user and per cgroup,
 * per top process and top command (by PSS), each top plus one `other`.
 */
export function memoryFamilies(tables: MetricTables): Family[] {
  const users = keyed(tables.users, ["user"]);
  const processes = keyed(tables.processes, ["pid", "name"]);
  const topProcesses = topByPss(tables.processes, tables.topN);
  const commands = tables.commands && keyed(tables.commands, ["command"]);
  const topCommands = tables.commands && topByPss(tables.commands, tables.topN);
  const cgroups = tables.cgroups && keyed(tables.cgroups, ["cgroup", "hierarchy"]);
  return QUANTITIES.map(([id, help]) => {
    const series: Series[] = [];
    for (const row of tables.users.rows) {
      series.push({
        labels: { view: "users", user: String(row[users.column("user")]) },
        value: bytes(row[users.column(id)]),
      });
    }
    for (const row of topProcesses.top) {
      series.push({
        labels: {
          view: "processes",
          pid: String(row[processes.column("pid")]),
          command: String(row[processes.column("name")]),
        },
        value: bytes(row[processes.column(id)]),
      });
    }
    series.push({
      labels: { view: "processes", pid: "other", command: "other" },
      value: topProcesses.rest.reduce((sum, row) => sum + bytes(row[processes.column(id)]), 0),
    });
    if (commands && topCommands) {
      for (const row of topCommands.top) {
        series.push({
          labels: { view: "commands", command: String(row[commands.column("command")]) },
          value: bytes(row[commands.column(id)]),
        });
      }
      series.push({
        labels: { view: "commands", command: "other" },
        value: topCommands.rest.reduce((sum, row) => sum + bytes(row[commands.column(id)]), 0),
      });
    }
    if (cgroups && tables.cgroups) {
      for (const row of tables.cgroups.rows) {
        series.push({
          labels: {
            view: "cgroups",
            cgroup: String(row[cgroups.column("cgroup")]),
            hierarchy: String(row[cgroups.column("hierarchy")] ?? ""),
          },
          value: bytes(row[cgroups.column(id)]),
        });
      }
    }
    return {
      name: `memsnap_${id}_bytes`,
      help: `${help} (kB × 1024)`,
      type: "gauge",
      unit: "bytes",
      series,
    };
  });
}

/** A table's rows split into the n largest by PSS and the rest. */
function topByPss(table: Table, n: number) {
  const pssAt = keyed(table, ["pss"]).column("pss");
  const ranked = [...table.rows].sort((a, b) => Number(b[pssAt] ?? 0) - Number(a[pssAt] ?? 0));
  return { top: ranked.slice(0, n), rest: ranked.slice(n) };
}

/** Column positions of a table by id. */
function keyed(table: Table, keys: readonly string[]) {
  const at = new Map(table.columns.map((column, index) => [column.id, index]));
  for (const key of keys) if (!at.has(key)) throw new Error(`metric table lacks column ${key}`);
  return {
    column(id: string): number {
      const index = at.get(id);
      if (index === undefined) throw new Error(`metric table lacks column ${id}`);
      return index;
    },
  };
}

/** A kB cell in bytes; an empty cell is 0. */
function bytes(cell: CellValue | undefined): number {
  return typeof cell === "number" ? cell * 1024 : 0;
}

/**
 * The system tree as memsnap_system_bytes{path, depth}: every node of the
 * tree, so that the nodes of one depth under a parent add up to it and
 * sum(memsnap_system_bytes{depth="1"}) is MemTotal (docs/system-view.md).
 */
export function systemFamily(tree: Table): Family {
  const at = keyed(tree, ["path", "depth", "kb"]);
  return {
    name: "memsnap_system_bytes",
    help: 'system memory by the system tree\'s path; depth="1" adds up to MemTotal (kB × 1024)',
    type: "gauge",
    unit: "bytes",
    series: tree.rows.map((row) => ({
      labels: { path: String(row[at.column("path")]), depth: String(row[at.column("depth")]) },
      value: bytes(row[at.column("kb")]),
    })),
  };
}
