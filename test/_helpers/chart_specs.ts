/** Vega-Lite specs for the chart output tests: a pie and a bar with text, built here. */

import type { TopLevelSpec } from "vega-lite";

/** A pie of PSS by process, with a title and a legend. */
export function pieSpec(slices = 6): TopLevelSpec {
  const names = ["firefox", "Xorg", "gnome-shell", "postgres", "bash", "systemd-journald"];
  const values = Array.from({ length: slices }, (_, i) => ({
    name: i < names.length ? names[i]! : `process-${i}`,
    pss: 1000 + ((i * 7919) % 5000),
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "PSS by process on n8",
    width: 320,
    height: 240,
    data: { values },
    mark: { type: "arc", tooltip: true },
    encoding: {
      theta: { field: "pss", type: "quantitative", title: "PSS (MiB)" },
      color: { field: "name", type: "nominal", sort: null },
    },
  };
}

/** A bar chart of USS and PSS by user, with axes and their titles. */
export function barSpec(): TopLevelSpec {
  const rows = [["root", 812, 901], ["alice", 2310, 2577], ["postgres", 410, 455]] as const;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Memory by user on n8",
    width: 300,
    height: 200,
    data: {
      values: rows.flatMap(([user, uss, pss]) => [
        { user, column: "uss", mib: uss },
        { user, column: "pss", mib: pss },
      ]),
    },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "user", type: "nominal", title: "User" },
      xOffset: { field: "column" },
      y: { field: "mib", type: "quantitative", title: "Memory (MiB)" },
      color: { field: "column", type: "nominal" },
    },
  };
}

/** The spec with its title drawn white on white: the same layout, no ink where the title is. */
export function whiteTitle(spec: TopLevelSpec): TopLevelSpec {
  const { title } = spec as { title?: unknown };
  return { ...spec, title: { text: title as string, color: "white" } } as TopLevelSpec;
}

/** A scatter plot of `points` points on a canvas of `size` pixels square: heavy charts. */
export function scatterSpec(points: number, size: number): TopLevelSpec {
  return {
    width: size,
    height: size,
    mark: "point",
    data: { values: Array.from({ length: points }, (_, x) => ({ x, y: x % 7 })) },
    encoding: {
      x: { field: "x", type: "quantitative" },
      y: { field: "y", type: "quantitative" },
    },
  } as TopLevelSpec;
}
