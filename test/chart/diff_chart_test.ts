/**
 * The diff chart's spec on diffs of a fixture recording's snapshots: its
 * bars are the largest changes, as the two snapshots' reports give them,
 * the rest summed; growth and shrinkage in two colours; a golden spec and SVG.
 */

import { deepStrictEqual, match, ok, strictEqual, throws } from "node:assert/strict";
import type { TopLevelSpec } from "vega-lite";
import type { Snapshot } from "../../src/snapshot/snapshot.ts";
import {
  type DiffBar,
  diffBars,
  diffBarSpec,
  type DiffSideOrigin,
  formatChange,
  GROWTH_COLOUR,
  SHRINKAGE_COLOUR,
} from "../../src/chart/diff_spec.ts";
import { renderChart } from "../../src/chart/output.ts";
import { type Spec, validateSpec } from "../_helpers/chart.ts";
import { diffOf, sideOf, WORKLOAD } from "../_helpers/diff.ts";
import { memsnap, ROOT } from "../_helpers/memsnap.ts";

type Side = { snapshot: Snapshot; origin: DiffSideOrigin };

const sides = new Map<string, Promise<Side>>();
/** A snapshot of the workload recording, loaded once. */
function workload(pick: string): Promise<Side> {
  if (!sides.has(pick)) sides.set(pick, sideOf(`${WORKLOAD}@${pick}`));
  return sides.get(pick)!;
}

/** One row of a report (`--format json`): its cells by column id. */
type ReportRow = Record<string, string | number>;

/** The report of one snapshot of the workload, and its totals. */
async function report(
  pick: string,
  args: readonly string[],
): Promise<{ rows: ReportRow[]; totals: ReportRow }> {
  const { code, stdout, stderr } = await memsnap([
    "-S",
    `${WORKLOAD}@${pick}`,
    ...args,
    "-t",
    "--format",
    "json",
  ]);
  strictEqual(code, 0, stderr);
  return JSON.parse(stdout);
}

/**
 * What the bars must be, from the two reports alone: each row's PSS in A
 * and B by `key`, the changed ones by size, the `top` largest on their own.
 */
function expectedBars(
  a: readonly ReportRow[],
  b: readonly ReportRow[],
  options: { key: (row: ReportRow) => string; label: (row: ReportRow) => string; top: number },
) {
  const inA = new Map(a.map((row) => [options.key(row), row]));
  const inB = new Map(b.map((row) => [options.key(row), row]));
  const keys = [...new Set([...inA.keys(), ...inB.keys()])];
  const changes = keys.map((key) => {
    const [before, after] = [inA.get(key), inB.get(key)];
    const [pssA, pssB] = [before?.pss as number | undefined, after?.pss as number | undefined];
    return {
      key,
      label: options.label((after ?? before)!),
      status: before === undefined ? "new" : after === undefined ? "gone" : "both",
      a: pssA,
      b: pssB,
      change: (pssB ?? 0) - (pssA ?? 0),
    };
  }).filter((row) => row.change !== 0)
    .sort((x, y) => Math.abs(y.change) - Math.abs(x.change) || (x.key < y.key ? -1 : 1));
  const rest = changes.slice(options.top);
  const sum = (side: "a" | "b") => rest.reduce((total, row) => total + (row[side] ?? 0), 0);
  return {
    own: changes.slice(0, options.top).sort((x, y) => y.change - x.change),
    others: rest.length === 0
      ? undefined
      : { rows: rest.length, a: sum("a"), b: sum("b"), change: sum("b") - sum("a") },
    changed: changes.length,
  };
}

/** A bar reduced to what the reports tell. */
function fromBar(bar: DiffBar) {
  return {
    label: bar.label,
    status: bar.status,
    a: bar.change.a,
    b: bar.change.b,
    change: bar.change.change,
  };
}

const PROCESS_COLUMNS = ["-c", "pid command pss"];
const byPid = {
  key: (row: ReportRow) => String(row.pid),
  label: (row: ReportRow) => `${row.command} [${row.pid}]`,
};

async function processDiff(a: string, b: string) {
  const [left, right] = [await workload(a), await workload(b)];
  return {
    diff: diffOf(left.snapshot, right.snapshot, "processes"),
    origins: [left.origin, right.origin] as const,
  };
}

function processSpec(
  diff: Awaited<ReturnType<typeof processDiff>>,
  top: number,
): TopLevelSpec {
  return diffBarSpec(diff.diff, {
    metric: "pss",
    labelColumn: "command",
    rowNoun: "process",
    top,
    sides: diff.origins,
    width: 800,
  });
}

Deno.test("diffBars() draws the largest PSS changes as the two reports give them, the rest summed", async () => {
  const { diff } = await processDiff("14", "last");
  const [a, b] = [await report("14", PROCESS_COLUMNS), await report("last", PROCESS_COLUMNS)];
  for (const top of [3, 20]) {
    const expected = expectedBars(a.rows, b.rows, { ...byPid, top });
    const bars = diffBars(diff, { metric: "pss", labelColumn: "command", top });
    deepStrictEqual(
      bars.filter((bar) => bar.kind === "row").map(fromBar),
      expected.own.map(({ key: _, ...row }) => row),
    );
    const others = bars.filter((bar) => bar.kind === "others");
    deepStrictEqual(
      others.map((bar) => ({ rows: bar.rows, ...fromBar(bar) })),
      expected.others === undefined ? [] : [{
        rows: expected.others.rows,
        label: `${expected.others.rows} others`,
        status: undefined,
        a: expected.others.a,
        b: expected.others.b,
        change: expected.others.change,
      }],
    );
    // Every changed row is drawn, on its own or in the sum.
    strictEqual(bars.reduce((n, bar) => n + bar.rows, 0), expected.changed);
  }
  // The fixture has growth, shrinkage and gone rows in the 3 drawn, and 6 others.
  deepStrictEqual(
    diffBars(diff, { metric: "pss", labelColumn: "command", top: 3 }).map((
      bar,
    ) => [bar.kind, bar.status, Math.sign(bar.change.change)]),
    [["row", "both", 1], ["row", "gone", -1], ["row", "gone", -1], ["others", undefined, 1]],
  );
});

Deno.test("diffBarSpec() colours bars by sign, marks gone and new rows, and sizes the axis to fit", async () => {
  // Backwards, the recording's exited processes are new and its workers shrink.
  const diff = await processDiff("last", "14");
  const spec: Spec = processSpec(diff, 20);
  const [a, b] = [await report("last", PROCESS_COLUMNS), await report("14", PROCESS_COLUMNS)];
  const expected = expectedBars(a.rows, b.rows, { ...byPid, top: 20 });
  const values = spec.data.values as Record<string, unknown>[];
  deepStrictEqual(
    values.map((value) => [value.direction, value.kb, value.value, value.status]),
    expected.own.map((row) => [
      row.change > 0 ? "growth" : "shrinkage",
      row.change,
      row.change / 1024,
      row.status,
    ]),
  );
  // Gone and new rows are marked in the bar's name; a process's pid names it too.
  for (const [value, row] of values.map((value, i) => [value, expected.own[i]!] as const)) {
    match(
      String(value.bar),
      new RegExp(`\\[${row.key}\\]${row.status === "both" ? "" : ` \\(${row.status}\\)`}$`),
    );
    strictEqual(value.amount, formatChange(row.change));
    strictEqual(
      value.percent,
      row.status === "new"
        ? "new"
        : `${row.change > 0 ? "+" : "\u2212"}${Math.abs((row.change / row.a!) * 100).toFixed(1)} %`,
    );
  }
  ok(expected.own.some((row) => row.status === "new"));
  const bar = spec.layer[0];
  deepStrictEqual(bar.encoding.color.scale, {
    domain: ["growth", "shrinkage"],
    range: [GROWTH_COLOUR, SHRINKAGE_COLOUR],
  });
  deepStrictEqual([GROWTH_COLOUR, SHRINKAGE_COLOUR], ["#D55E00", "#0072B2"]);
  // The largest change is 87.2 MiB: the axis reads in MiB; the zero line is drawn.
  strictEqual(bar.encoding.x.title, "PSS change, B \u2212 A (MiB)");
  deepStrictEqual(spec.layer[3].mark, { type: "rule", color: "#333333", strokeWidth: 1 });
  deepStrictEqual(bar.encoding.y.sort, values.map((value) => value.bar));
  const { valid, errors } = await validateSpec(spec);
  ok(valid, JSON.stringify(errors));
});

Deno.test("diffBarSpec() titles what, where and when: both sides and the total change", async () => {
  const diff = await processDiff("14", "last");
  const spec: Spec = processSpec(diff, 3);
  const [a, b] = [await report("14", PROCESS_COLUMNS), await report("last", PROCESS_COLUMNS)];
  const [pssA, pssB] = [a.totals.pss as number, b.totals.pss as number];
  const mib = (kb: number) => `${(kb / 1024).toFixed(kb >= 100 * 1024 ? 0 : 1)} MiB`;
  const change = pssB - pssA;
  deepStrictEqual(spec.title, {
    text: "PSS change by process",
    subtitle: [
      `A: host vm · 2026-11-25 20:01:27 UTC · "fixtures/charts/workload.tar.gz"@14`,
      `B: host vm · 2026-11-25 20:01:31 UTC · "fixtures/charts/workload.tar.gz"@last`,
      `total PSS ${mib(pssA)} → ${mib(pssB)}: ${formatChange(change)} (\u2212${
        Math.abs((change / pssA) * 100).toFixed(1)
      } %)`,
      "9 processes compared · largest 3 of 9 changes, labelled by Command",
    ],
  });
});

Deno.test("diffBarSpec() of programs names bars by the program alone", async () => {
  const [left, right] = [await workload("0"), await workload("last")];
  const diff = diffOf(left.snapshot, right.snapshot, "commands");
  const args = ["--commands", "-c", "command pss"];
  const [a, b] = [await report("0", args), await report("last", args)];
  const expected = expectedBars(a.rows, b.rows, {
    key: (row) => String(row.command),
    label: (row) => String(row.command),
    top: 20,
  });
  const spec = diffBarSpec(diff, {
    metric: "pss",
    labelColumn: "command",
    rowNoun: "program",
    top: 20,
    sides: [left.origin, right.origin],
    width: 700,
  }) as Spec;
  deepStrictEqual(
    spec.data.values.map((value: Record<string, unknown>) => [value.bar, value.kb]),
    expected.own.map((row) => [
      row.status === "both" ? row.label : `${row.label} (${row.status})`,
      row.change,
    ]),
  );
  deepStrictEqual(expected.own.map((row) => row.status), ["new", "both", "gone"]);
});

Deno.test("diffBarSpec() of a snapshot with itself draws no bar and says so", async () => {
  const diff = await processDiff("last", "last");
  const spec = processSpec(diff, 20);
  const { data, title }: Spec = spec;
  deepStrictEqual(data.values, []);
  deepStrictEqual(title.subtitle.slice(2), [
    "total PSS 159 MiB → 159 MiB: ±0 KiB (±0.0 %)",
    "5 processes compared · no PSS change",
  ]);
  const svg = new TextDecoder().decode(await renderChart(spec, "svg"));
  match(svg, /PSS change by process/);
});

Deno.test("diffBars() refuses a metric or label the diff does not have", async () => {
  const { diff } = await processDiff("14", "last");
  throws(
    () => diffBars(diff, { metric: "vss", labelColumn: "command", top: 3 }),
    /The diff has no metric column "vss": it has "pss", "uss", "rss", "swap"/,
  );
  throws(
    () => diffBars(diff, { metric: "pss", labelColumn: "name", top: 3 }),
    /The diff has no label column "name": it has "pid", "user", "command"/,
  );
});

for (const extension of ["vl.json", "svg"]) {
  const file = `diff-workload-processes.${extension}`;
  Deno.test(`diffBarSpec(): the golden fixtures/charts/${file}`, async () => {
    const spec = processSpec(await processDiff("14", "last"), 3);
    const written = extension === "svg"
      ? new TextDecoder().decode(await renderChart(spec, "svg"))
      : JSON.stringify(spec, null, 2) + "\n";
    const golden = `${ROOT}fixtures/charts/${file}`;
    if (Deno.env.get("UPDATE_GOLDEN") === "1") await Deno.writeTextFile(golden, written);
    strictEqual(written, await Deno.readTextFile(golden));
  });
}
