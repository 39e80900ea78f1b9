/**
 * --pie and --bar on every view, at spec level: the spec validates against
 * Vega-Lite's schema, and its numbers are the report's, exactly.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { chartOf, type Spec, validateSpec } from "../_helpers/chart.ts";
import { memsnap, ROOT } from "../_helpers/memsnap.ts";
import { pieSpec } from "../../src/chart/pie_spec.ts";

const N8 = `${ROOT}fixtures/captures/n8.tar.gz`;
const FAMILY = `${ROOT}fixtures/views/family.tar.gz`;

/** One view, on a fixture, with the fields a chart labels and sizes by. */
interface Case {
  readonly view: readonly string[];
  readonly source: string;
  readonly label: string;
  readonly sort: string;
}

const CASES: readonly Case[] = [
  { view: [], source: N8, label: "name", sort: "pss" },
  { view: ["-u"], source: N8, label: "user", sort: "pss" },
  { view: ["-m"], source: N8, label: "map", sort: "pss" },
  { view: ["-w"], source: N8, label: "area", sort: "used" },
  { view: ["--cgroups"], source: FAMILY, label: "cgroup", sort: "pss" },
  { view: ["--commands"], source: FAMILY, label: "command", sort: "total" },
];

/** The report's rows as JSON, largest first by the sort field. */
async function reportRows(args: readonly string[]): Promise<Record<string, unknown>[]> {
  const { code, stdout, stderr } = await memsnap([...args, "--format", "json", "-r"]);
  strictEqual(code, 0, stderr);
  return JSON.parse(stdout).rows;
}

async function valid(spec: Spec): Promise<void> {
  const { valid, errors } = await validateSpec(spec);
  ok(valid, JSON.stringify(errors, null, 2));
}

/** A column's name in a chart: its header, but the system view's Used, which charts call Size. */
function seriesName(column: { id: string; header: string }): string {
  return column.id === "used" ? "Size" : column.header;
}

for (const { view, source, label, sort } of CASES) {
  const name = view.join(" ") || "(processes)";

  Deno.test(`--pie on ${name}: a valid spec whose slices are the report's ${sort}`, async () => {
    const args = ["-S", source, ...view];
    const spec = await chartOf([...args, "--pie", label, "-s", sort, "--no-unused"]);
    await valid(spec);
    const rows = await reportRows([...args, "-s", sort, "-c", `${label} ${sort}`]);
    const slices: { kind: string; label: string; kb: number }[] = spec.data.values;
    const shown = slices.filter((s) => s.kind === "row");
    deepStrictEqual(
      shown.map((s) => [s.label, s.kb]),
      rows.slice(0, shown.length).map((r) => [String(r[label]), r[sort]]),
    );
    const other = slices.find((s) => s.kind === "other")?.kb ?? 0;
    const rest = rows.slice(shown.length).reduce((sum, r) => sum + (r[sort] as number), 0);
    strictEqual(other, rest);
  });

  Deno.test(`--pie on ${name}: with "unused", the slices add up to MemTotal`, async () => {
    const args = ["-S", source, ...view, "-s", sort];
    const spec = await chartOf([...args, "--pie", label]);
    await valid(spec);
    const { stdout } = await memsnap([...args, "--format", "json"]);
    const memTotal: number = JSON.parse(stdout).memTotal;
    const slices: { kind: string; kb: number }[] = spec.data.values;
    const sum = slices.reduce((total, s) => total + s.kb, 0);
    if (slices[0]!.kind === "unused") strictEqual(sum, memTotal);
    else ok(sum >= memTotal, `${sum} < ${memTotal} with no unused slice`);
  });

  Deno.test(`--bar on ${name}: a valid spec whose bars are the report's amounts`, async () => {
    const args = ["-S", source, ...view, "-s", sort];
    const spec = await chartOf([...args, "--bar", label, "--top", "1000"]);
    await valid(spec);
    const report = JSON.parse((await memsnap([...args, "--format", "json", "-r"])).stdout);
    const amounts: { id: string; header: string }[] = report.columns.filter((
      c: { unit: string },
    ) => c.unit === "kB");
    // A column unknown in every row (a capture's cgroup charges) is left out.
    const known = amounts.filter((c) =>
      report.rows.some((row: Record<string, unknown>) => row[c.id] !== null)
    );
    deepStrictEqual(spec.encoding.color.scale.domain, known.map(seriesName));
    const bars: { order: number; series: string; kb: number }[] = spec.data.values;
    const expected = report.rows.flatMap((row: Record<string, number | null>, order: number) =>
      amounts.flatMap((c) => row[c.id] === null ? [] : [[order, seriesName(c), row[c.id]]])
    );
    deepStrictEqual(bars.map((b) => [b.order, b.series, b.kb]), expected);
  });
}

Deno.test("--bar draws the largest --top rows, and says how many of how many", async () => {
  const spec = await chartOf(["-S", N8, "--bar", "name", "--top", "3", "-c", "name pss"]);
  const rows = await reportRows(["-S", N8, "-c", "name pss"]);
  deepStrictEqual(
    spec.data.values.map((v: { label: string; kb: number }) => [v.label, v.kb]),
    rows.slice(0, 3).map((r) => [r.name, r.pss]),
  );
  ok(spec.title.subtitle.includes("largest 3 of 8 processes by PSS"), spec.title.subtitle);
});

Deno.test("a chart's title says what, where and when; its axis, which unit", async () => {
  const snapshot = `${ROOT}fixtures/charts/workload.tar.gz@3`;
  const pie = await chartOf(["-S", snapshot, "-u", "--pie", "user"]);
  strictEqual(pie.title.text, "PSS by user");
  // The snapshot's own host and time (fixtures/charts/README.md), not the clock's.
  // Unused dwarfs the rows: a second line says how to see them.
  deepStrictEqual(pie.title.subtitle, [
    "host vm · 2026-11-25 20:01:24 UTC · 1 user · MemTotal 23.5 GiB",
    "unused is 99.8 %: --no-unused draws the users' shares of what they use",
  ]);
  const mirror = await chartOf(["-S", N8, "-u", "--pie", "user", "--no-unused"]);
  strictEqual(
    mirror.title.subtitle,
    "host unknown · time unknown · 3 users · shares of their 123 MiB",
  );
  const system = await chartOf(["-S", N8, "-w", "--pie", "area", "-s", "used"]);
  // Free memory is a slice: the areas' sizes, not what is "used".
  strictEqual(system.title.text, "Size by memory area");
  strictEqual(system.encoding.color.title, "Area (Size)");
  const bar = await chartOf(["-S", N8, "--bar", "name", "-c", "name pss rss"]);
  strictEqual(bar.encoding.x.title, "Memory (MiB)");
  strictEqual(bar.title.text, "PSS, RSS by process");
});

Deno.test("a pie says how to see the rows only where unused memory is more than half of it", () => {
  const pie = (unusedKb: number) =>
    pieSpec([{ label: "a", kb: 600 }, { label: "b", kb: 400 }], {
      sizeName: "PSS",
      labelName: "Name",
      rowNoun: "process",
      total: { kb: 1000 + unusedKb, name: "MemTotal" },
      top: 8,
      origin: { hostname: "h", takenAt: null },
      width: 640,
      height: 420,
    }) as unknown as Spec;
  // Half exactly: the rows are seen.
  strictEqual(pie(1000).title.subtitle, "host h · time unknown · 2 processes · MemTotal 1.95 MiB");
  deepStrictEqual(pie(1001).title.subtitle, [
    "host h · time unknown · 2 processes · MemTotal 1.95 MiB",
    "unused is 50.0 %: --no-unused draws the processes' shares of what they use",
  ]);
});
