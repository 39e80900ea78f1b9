/**
 * The views, in one list: everything that names, parses, helps with, diffs,
 * charts or serves a view derives from it. Adding a view is one module
 * (a ViewModule) and one line here.
 *
 * @module
 */

import { cgroupView } from "./cgroups.ts";
import { commandView } from "./commands.ts";
import { mappingView } from "./mappings.ts";
import { processTreeView } from "./process_tree.ts";
import { processView } from "./processes.ts";
import { systemView } from "./system.ts";
import { systemTreeView } from "./system_tree_view.ts";
import { userView } from "./users.ts";
import { defineView, type View } from "./view.ts";

/** Every view: smem's, in smem's order of precedence (-m over -u over -w), then memsnap's. */
export const VIEWS = [
  defineView(processView),
  defineView(userView),
  defineView(mappingView),
  defineView(systemView),
  defineView(cgroupView),
  defineView(commandView),
  defineView(processTreeView),
  defineView(systemTreeView),
] as const;

export type ViewId = typeof VIEWS[number]["id"];

/** The view of an id. */
export function viewOf(id: ViewId): View<ViewId> {
  return VIEWS.find((view) => view.id === id)!;
}

/** The view a name means: its id or one of its aliases; undefined for none. */
export function findView(name: string): View<ViewId> | undefined {
  return VIEWS.find((view) => view.id === name || view.aliases.includes(name));
}

/** Every name a view is known by, ids first. */
export function viewNames(): string[] {
  return [...VIEWS.map((view) => view.id), ...VIEWS.flatMap((view) => view.aliases)];
}
