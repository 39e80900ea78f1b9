import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { pieSlices } from "../../src/chart/pie_spec.ts";
import {
  drawnText,
  formatKb,
  formatTime,
  METRIC_COLOURS,
  metricColour,
  originLine,
  PALETTE,
  shortLabel,
  uniqueLabels,
  unitFor,
} from "../../src/chart/style.ts";
import { cgroupView } from "../../src/view/cgroups.ts";
import { isAmount } from "../../src/view/column.ts";
import { commandView } from "../../src/view/commands.ts";
import { mappingView } from "../../src/view/mappings.ts";
import { processTreeView } from "../../src/view/process_tree.ts";
import { processView } from "../../src/view/processes.ts";
import { systemView } from "../../src/view/system.ts";
import { systemTreeView } from "../../src/view/system_tree_view.ts";
import type { ColumnInfo } from "../../src/view/table.ts";
import { userView } from "../../src/view/users.ts";

/** Every view's catalogue. */
const VIEW_SPECS = [
  processView,
  userView,
  mappingView,
  systemView,
  cgroupView,
  commandView,
  processTreeView,
  systemTreeView,
];

Deno.test("unitFor() picks the largest unit the amount fills; formatKb() gives 3 digits", () => {
  deepStrictEqual([0, 1023, 1024, 1024 ** 2 * 1.5, 1024 ** 3].map((kb) => unitFor(kb).name), [
    "KiB",
    "KiB",
    "MiB",
    "GiB",
    "TiB",
  ]);
  deepStrictEqual([940, 39502, 330_000, 24_684_096].map(formatKb), [
    "940 KiB",
    "38.6 MiB",
    "322 MiB",
    "23.5 GiB",
  ]);
});

Deno.test("shortLabel() cuts long labels in the middle; a command loses its program's directory", () => {
  strictEqual(shortLabel("wl-memfd0-0"), "wl-memfd0-0");
  strictEqual(
    shortLabel("/usr/bin/python3 /opt/memwork/workload.py leader private 0 12 4 wl-bench"),
    "python3 /opt…ate 0 12 4 wl-bench",
  );
  // A lone path keeps its directories: two cgroups named init.scope stay apart.
  strictEqual(
    shortLabel("/user.slice/user-1000.slice/user@1000.service/init.scope"),
    "/user.slice/….service/init.scope",
  );
  strictEqual(Array.from(shortLabel("é".repeat(40))).length, 32);
});

Deno.test("shortLabel() puts a command line's script on one line", () => {
  strictEqual(shortLabel("sh -c\n  make\tall"), "sh -c make all");
  strictEqual(
    shortLabel("/usr/bin/python3 -c \nimport time\nx = bytearray(2 << 20)\ntime.sleep(1)\n 4 24"),
    "python3 -c i… time.sleep(1) 4 24",
  );
});

Deno.test("shortLabel(), drawnText() and originLine() draw control and format characters visibly (\\x1b)", () => {
  strictEqual(shortLabel("evil\x1b]0;pwned\x07\x1b[2J"), "evil\\x1b]0;pwned\\x07\\x1b[2J");
  strictEqual(drawnText("a\u009bb\u202ec\x7f\n\td"), "a\\x9bb\\u202ec\\x7f d");
  // Cut after escaping: the label is at most 32 characters as drawn.
  strictEqual(
    shortLabel("x".repeat(20) + "\x1b".repeat(10)),
    "xxxxxxxxxxxx…x1b\\x1b\\x1b\\x1b\\x1b",
  );
  strictEqual(
    originLine({ hostname: "h\x1b[2J", takenAt: "2026-11-25T20:01:24.209Z" }, "1 process"),
    "host h\\x1b[2J · 2026-11-25 20:01:24 UTC · 1 process",
  );
  strictEqual(
    originLine({ hostname: null, takenAt: "\x1b]0;x\x07" }),
    "host unknown · \\x1b]0;x\\x07",
  );
});

Deno.test("uniqueLabels() numbers repeats, never colliding with a label given", () => {
  deepStrictEqual(uniqueLabels(["bash", "sshd", "bash", "bash (2)", "bash"]), [
    "bash",
    "sshd",
    "bash (2)'",
    "bash (2)",
    "bash (3)",
  ]);
});

Deno.test("formatTime() and originLine() say where and when, from the data only", () => {
  strictEqual(formatTime("2026-11-25T20:01:24.209Z"), "2026-11-25 20:01:24 UTC");
  strictEqual(
    originLine({ hostname: "vm", takenAt: "2026-11-25T20:01:24.209Z" }, "8 processes"),
    "host vm · 2026-11-25 20:01:24 UTC · 8 processes",
  );
  strictEqual(originLine({ hostname: null, takenAt: null }), "host unknown · time unknown");
});

Deno.test("pieSlices(): smem's other and unused, then the rows beyond top", () => {
  const rows = [60, 20, 10, 4, 3, 2, 1, 0].map((kb, i) => ({ label: `p${i}`, kb }));
  // Total 200: 2 % is 4, 0.5 % is 1: 0, 1 and 2 merge (together 3 < 4); 3 does not (6 ≥ 4).
  deepStrictEqual(pieSlices(rows, 200, 8), [
    { kind: "unused", label: "unused", kb: 100, rows: 0 },
    { kind: "row", label: "p0", kb: 60, rows: 1 },
    { kind: "row", label: "p1", kb: 20, rows: 1 },
    { kind: "row", label: "p2", kb: 10, rows: 1 },
    { kind: "row", label: "p3", kb: 4, rows: 1 },
    { kind: "row", label: "p4", kb: 3, rows: 1 },
    { kind: "other", label: "other", kb: 3, rows: 3 },
  ]);
  // --top 2: p2 to p4 join them.
  deepStrictEqual(pieSlices(rows, 200, 2).at(-1), {
    kind: "other",
    label: "other",
    kb: 20,
    rows: 6,
  });
  // Rows that are all zero leave no "other" (smem: only when it sums to more than nothing).
  deepStrictEqual(pieSlices([{ label: "a", kb: 0 }], 10, 8), [
    { kind: "unused", label: "unused", kb: 10, rows: 0 },
  ]);
});

Deno.test("METRIC_COLOURS has a colour for every amount column of every view, distinct among each view's defaults", () => {
  for (const spec of VIEW_SPECS) {
    const amounts = Object.values(spec.columns as Record<string, ColumnInfo>).filter(isAmount);
    for (const column of amounts) {
      ok(Object.hasOwn(METRIC_COLOURS, column.id), `${spec.id}: no colour for "${column.id}"`);
    }
    const defaults = (spec.defaultColumns as readonly string[]).filter((id) =>
      isAmount((spec.columns as Record<string, ColumnInfo>)[id]!)
    );
    const colours = defaults.map(metricColour);
    deepStrictEqual(new Set(colours).size, colours.length, `${spec.id}: ${defaults.join(" ")}`);
  }
});

Deno.test("METRIC_COLOURS gives each family of counters shown together its own colours", () => {
  const families = [
    ["swap", "uss", "pss", "rss", "vss", "swappss", "gpu"],
    ["swap", "uss", "pss", "rss", "vss", "swappss", "charge"],
    ["pss", "pss_anon", "pss_file", "pss_shmem", "pss_dirty"],
    ["rss", "shared_clean", "shared_dirty", "private_clean", "private_dirty"],
    ["pss", "uss", "rss", "tree_pss", "tree_uss", "tree_rss", "tree_swap"],
    ["private", "shared", "total", "pss"],
    ["pss", "avgpss", "avguss", "avgrss"],
  ];
  for (const family of families) {
    deepStrictEqual(new Set(family.map(metricColour)).size, family.length, family.join(" "));
  }
  // smem's four keep the colours the default chart (swap, uss, pss, rss) always had.
  deepStrictEqual(["swap", "uss", "pss", "rss"].map(metricColour), PALETTE.slice(0, 4));
});
