/**
 * memsnap's --pie and --bar draw what smem 1.5's own chart code would: smem
 * is run with pylab and numpy stood in (test/_helpers/smem-charts.py), on
 * the same captures, and its slices and bars compared with memsnap's spec.
 */

import { deepStrictEqual } from "node:assert/strict";
import { chartOf, smemChart, type SmemDrawing, type Spec } from "../_helpers/chart.ts";
import { capturePath } from "../_helpers/mirror.ts";

/** A pie's slices as smem lists them: label and size (memsnap's in kB). */
function slicesOf(spec: Spec): { labels: string[]; values: number[] } {
  const data: { label: string; kb: number }[] = spec.data.values;
  return { labels: data.map((d) => d.label), values: data.map((d) => d.kb) };
}

const PIES: readonly (readonly string[])[] = [
  ["--pie", "name", "-R", "150M"],
  ["--pie", "command", "-R", "150M", "-s", "rss"],
  ["-u", "--pie", "user", "-R", "150M"],
  ["-u", "--pie", "user", "-s", "uss", "-R", "100M"],
  ["-m", "--pie", "map", "-R", "1G"],
  ["-w", "--pie", "area", "-s", "used"],
  ["-w", "--pie", "area", "-s", "cache", "-R", "32G"],
  ["--pie", "name"],
];

/** Each case's smem drawing, run two at a time (python starts slowly) before the tests. */
async function drawnBySmem(
  cases: readonly (readonly string[])[],
): Promise<Map<readonly string[], SmemDrawing>> {
  const drawn = new Map<readonly string[], SmemDrawing>();
  const queue = [...cases];
  const worker = async () => {
    for (let args = queue.shift(); args !== undefined; args = queue.shift()) {
      drawn.set(args, await smemChart(args));
    }
  };
  await Promise.all([worker(), worker()]);
  return drawn;
}

const source = (capture: string) => ["-S", capturePath(`${capture}.tar.gz`)];
const PIE_CASES = ["n8", "n60"].flatMap((capture) =>
  PIES.map((args) => ({ capture, args: [...source(capture), ...args] }))
);
const PIE_DRAWINGS = await drawnBySmem(PIE_CASES.map((c) => c.args));

for (const { capture, args: all } of PIE_CASES) {
  const args = all.slice(2);
  Deno.test(`memsnap ${args.join(" ")} slices ${capture} as smem does`, async () => {
    const smem = PIE_DRAWINGS.get(all)!;
    const ours = slicesOf(await chartOf(all));
    // memsnap shows at most 8 rows (one colour each): smem's further rows join "other".
    const unused = smem.labels[0] === "unused" ? 1 : 0;
    const rows = smem.labels.length - unused - (smem.labels.at(-1) === "other" ? 1 : 0);
    const kept = unused + Math.min(rows, 8);
    const rest = smem.values!.slice(kept).reduce((a, b) => a + b, 0);
    deepStrictEqual(ours, {
      labels: [...smem.labels.slice(0, kept), ...(rest > 0 ? ["other"] : [])],
      values: [...smem.values!.slice(0, kept), ...(rest > 0 ? [rest] : [])],
    });
  });
}

const BARS: readonly (readonly string[])[] = [
  ["--bar", "name"],
  ["--bar", "pid", "-c", "pid name uss pss rss", "-s", "rss"],
  ["-u", "--bar", "user"],
  ["-m", "--bar", "map"],
  ["-w", "--bar", "area", "-s", "used"],
];

const BAR_CASES = ["n8", "n60"].flatMap((capture) =>
  // The larger capture for the two views with most rows only.
  (capture === "n8" ? BARS : BARS.filter((a) => /--bar (name|map)$/.test(a.join(" "))))
    .map((args) => ({ capture, args: [...source(capture), ...args] }))
);
const BAR_DRAWINGS = await drawnBySmem(BAR_CASES.map((c) => c.args));

for (const { capture, args: all } of BAR_CASES) {
  const args = all.slice(2);
  Deno.test(`memsnap ${args.join(" ")} draws ${capture}'s bars as smem does`, async () => {
    const smem = BAR_DRAWINGS.get(all)!;
    const spec = await chartOf([...all, "--top", "1000"]);
    const data: { order: number; label: string; series: string; kb: number }[] = spec.data.values;
    const series: string[] = spec.encoding.color.scale.domain;
    // smem also draws the counts (count, pids) on the same axis: memsnap draws amounts only.
    const headers: Record<string, string> = {
      swap: "Swap",
      uss: "USS",
      pss: "PSS",
      rss: "RSS",
      avgpss: "AVGPSS",
      // smem's Used; memsnap's charts call it Size, as free memory's "used" is its size.
      used: "Size",
      cache: "Cache",
      noncache: "Noncache",
    };
    const amounts = smem.keys!.flatMap((key, index) =>
      headers[key] === undefined ? [] : [{ header: headers[key]!, heights: smem.series![index]! }]
    );
    deepStrictEqual(series, amounts.map((a) => a.header));
    const labels = [...new Set(data.map((d) => d.order))].map((order) =>
      data.find((d) => d.order === order)!.label
    );
    deepStrictEqual(labels, smem.labels.map(String));
    for (const { header, heights } of amounts) {
      deepStrictEqual(
        data.filter((d) => d.series === header).map((d) => d.kb),
        heights,
        `${header} bars`,
      );
    }
  });
}
