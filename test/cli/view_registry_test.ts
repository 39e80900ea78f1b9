/**
 * Every view of the registry is a view everywhere: the report, the JSON
 * report's schema, diff --by, the charts (--pie, --bar, the timeline) and
 * --help take each one, without a list of their own.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { VIEWS } from "../../src/view/registry.ts";
import { memsnap, ROOT } from "../_helpers/memsnap.ts";

const N8 = `${ROOT}fixtures/captures/n8.tar.gz`;
const N60 = `${ROOT}fixtures/captures/n60.tar.gz`;
/** Full detail, three snapshots: every view can follow it, the mapping view too. */
const RECORDING = `${ROOT}fixtures/archives/v1-recording.tar.gz`;

async function json(args: readonly string[]) {
  const { code, stdout, stderr } = await memsnap(args);
  strictEqual(code, 0, `${args.join(" ")}: ${stderr}`);
  return JSON.parse(stdout);
}

/** Runs a chart command into a spec file; the spec. */
async function chart(args: readonly string[]) {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-registry-" });
  try {
    const { code, stderr } = await memsnap([...args, "-o", `${dir}/c.vl.json`]);
    strictEqual(code, 0, `${args.join(" ")}: ${stderr}`);
    return JSON.parse(await Deno.readTextFile(`${dir}/c.vl.json`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const schema = JSON.parse(await Deno.readTextFile(`${ROOT}docs/report.schema.json`));
const help = (await memsnap(["--help"])).stdout;
const diffHelp = (await memsnap(["diff", "--help"])).stdout;
const chartHelp = (await memsnap(["chart", "--help"])).stdout;

for (const view of VIEWS) {
  Deno.test(`the ${view.id} view: a report, in every format, its id in the JSON schema`, async () => {
    const report = await json(["-S", N8, "--by", view.id, "--format", "json"]);
    strictEqual(report.view, view.id);
    ok(report.rows.length > 0);
    deepStrictEqual(report.columns.map((c: { id: string }) => c.id), [
      ...(view.dataColumns ?? view.defaultColumns),
    ]);
    ok(schema.properties.view.enum.includes(view.id), "in docs/report.schema.json");
    for (const format of ["table", "csv", "markdown"]) {
      const { code, stdout } = await memsnap(["-S", N8, "--by", view.id, "--format", format]);
      strictEqual(code, 0, format);
      ok(stdout.length > 0, format);
    }
    // Its aliases name it too.
    for (const alias of view.aliases) {
      strictEqual((await json(["-S", N8, "--by", alias, "--format", "json"])).view, view.id);
    }
  });

  Deno.test(`the ${view.id} view: diff --by ${view.id}, its rows B minus A`, async () => {
    const diff = await json(["diff", N8, N60, "--by", view.id, "--format", "json"]);
    strictEqual(diff.view, view.id);
    ok(diff.rows.length > 0);
    const trend = await json(["diff", RECORDING, "--each", "--by", view.id, "--format", "json"]);
    strictEqual(trend.view, view.id);
  });

  Deno.test(`the ${view.id} view: --pie and --bar, and a recording's timeline`, async () => {
    const label = view.labels[0]!;
    for (const kind of ["--pie", "--bar"]) {
      const spec = await chart(["-S", N8, "--by", view.id, kind, label]);
      ok(JSON.stringify(spec.data ?? spec.layer).length > 2, `${kind} draws rows`);
    }
    const timeline = await chart(["chart", RECORDING, "--by", view.id]);
    ok(timeline.title.text.endsWith(`by ${view.noun} over time`), timeline.title.text);
  });

  Deno.test(`the ${view.id} view: named in memsnap --help, diff --help and chart --help`, () => {
    for (const text of [help, diffHelp, chartHelp]) ok(text.includes(view.id), view.id);
    ok(help.includes(`  ${view.id}:`), "its columns listed");
  });
}

Deno.test("a chart of a tree draws its parts: a process's own memory, the system tree's leaves", async () => {
  // The system tree's leaves add up to MemTotal, as the tree's root does.
  const tree = await json(["-S", N8, "-w", "--tree", "--format", "json"]);
  const pie = await chart(["-S", N8, "-w", "--tree", "--pie", "path", "--top", "8"]);
  const slices: { kb: number }[] = pie.data.values;
  strictEqual(slices.reduce((sum, s) => sum + s.kb, 0), tree.tree.kb);
  // The process tree's pie: each process's own PSS, as the process view has it.
  const processes = await json(["-S", N8, "--format", "json", "-t"]);
  const own = await chart(["-S", N8, "--tree", "--pie", "pid", "--no-unused"]);
  strictEqual(
    (own.data.values as { kb: number }[]).reduce((sum, s) => sum + s.kb, 0),
    processes.totals.pss,
  );
});
