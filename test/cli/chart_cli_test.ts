/**
 * Charts from the command line: --pie, --bar and `memsnap chart`, their
 * files (never an overwrite without --force) and their usage errors.
 */

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { defaultChartName } from "../../src/chart/file_name.ts";
import { memsnap, memsnapProcess, ROOT } from "../_helpers/memsnap.ts";
import { decodePng, pixelStats } from "../_helpers/pixels.ts";

const N8 = `${ROOT}fixtures/captures/n8.tar.gz`;
const WORKLOAD = `${ROOT}fixtures/charts/workload.tar.gz`;

Deno.test("memsnap --pie and chart write the golden specs, as a program", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-chart-cli-" });
  try {
    const pie = await memsnapProcess([
      "-S",
      N8,
      "--pie",
      "name",
      "-R",
      "150M",
      "-o",
      `${dir}/pie.vl.json`,
    ]);
    strictEqual(pie.code, 0, pie.stderr);
    strictEqual(pie.stderr, `memsnap: wrote ${dir}/pie.vl.json\n`);
    strictEqual(
      await Deno.readTextFile(`${dir}/pie.vl.json`),
      await Deno.readTextFile(`${ROOT}fixtures/charts/pie-n8-processes.vl.json`),
    );
    const bar = await memsnapProcess(["-S", N8, "-u", "--bar", "user", "-o", `${dir}/bar.vl.json`]);
    strictEqual(bar.code, 0, bar.stderr);
    strictEqual(
      await Deno.readTextFile(`${dir}/bar.vl.json`),
      await Deno.readTextFile(`${ROOT}fixtures/charts/bar-n8-users.vl.json`),
    );
    const timeline = await memsnapProcess(["chart", WORKLOAD, "-o", `${dir}/t.vl.json`]);
    strictEqual(timeline.code, 0, timeline.stderr);
    strictEqual(
      await Deno.readTextFile(`${dir}/t.vl.json`),
      await Deno.readTextFile(`${ROOT}fixtures/charts/timeline-workload.vl.json`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a chart never replaces a file without --force", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-chart-cli-" });
  try {
    const path = `${dir}/pie.vl.json`;
    await Deno.writeTextFile(path, "mine\n");
    const refused = await memsnapProcess(["-S", N8, "--pie", "name", "-o", path]);
    strictEqual(refused.code, 1);
    strictEqual(
      refused.stderr,
      `memsnap: Cannot write "${path}": it already exists (use --force to replace it)\n`,
    );
    strictEqual(await Deno.readTextFile(path), "mine\n");
    const forced = await memsnap(["-S", N8, "--pie", "name", "-o", path, "--force"]);
    strictEqual(forced.code, 0, forced.stderr);
    ok((await Deno.readTextFile(path)).startsWith("{\n"));
    // Nothing else is left beside it (the temporary file is gone).
    strictEqual([...Deno.readDirSync(dir)].length, 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("defaultChartName() names the chart after its data, never the clock", () => {
  strictEqual(
    defaultChartName(["pie", "users", "pss"], {
      hostname: "board-1",
      takenAt: "2026-11-25T20:01:24.209Z",
    }),
    "memsnap-pie-users-pss-board_1-20261125T200124Z.svg",
  );
  strictEqual(
    defaultChartName(["timeline", "processes"], { hostname: null, takenAt: null }),
    "memsnap-timeline-processes.svg",
  );
});

const USAGE: readonly (readonly [readonly string[], string])[] = [
  [["--pie", "name", "--bar", "name"], 'Options "--pie" and "--bar" ask for different charts'],
  [["-o", "x.svg"], 'Option "--output" applies to charts: add "--pie FIELD" or "--bar FIELD"'],
  [["--width", "300", "--force"], 'Options "--force", "--width" apply to charts'],
  [["--pie", "name", "--format", "json"], 'Option "--format" applies to reports'],
  [["--pie", "bogus"], 'Unknown field "bogus" for --pie in the processes view'],
  [["-u", "--bar", "name"], 'Unknown field "name" for --bar in the users view'],
  [["-w", "--tree", "--bar", "item", "-s", "kb"], "The system-tree view shows all of RAM"],
  [["--pie", "name", "--top", "9"], "A pie shows at most 8 rows on their own"],
  [["--pie", "name", "-s", "name"], 'A pie\'s slices are sized by the sort field: "name"'],
  [["--pie", "name", "-s", "pid"], 'A pie\'s slices are sized by the sort field: "pid"'],
  [["--bar", "name", "-c", "pid name"], "A bar chart draws the amount columns shown"],
  [["--bar", "name", "--width", "ten"], 'Invalid value "ten" for --width'],
  [["--bar", "name", "--height", "10"], 'Invalid value "10" for --height'],
  [["--bar", "name", "--scale", "0"], 'Invalid value "0" for --scale'],
  [["--bar", "name", "--no-unused"], 'Option "--no-unused" applies to pie charts'],
  [["--bar", "name", "-o", "chart.json"], 'Cannot tell the chart format of "chart.json"'],
];

for (const [args, message] of USAGE) {
  Deno.test(`memsnap ${args.join(" ")} is a usage error`, async () => {
    const { code, stdout, stderr } = await memsnap(["-S", N8, ...args]);
    strictEqual(code, 2, stderr);
    strictEqual(stdout, "");
    ok(stderr.startsWith(`memsnap: ${message}`), stderr);
  });
}

Deno.test("memsnap chart --help and --help list the chart options", async () => {
  const chart = await memsnapProcess(["chart", "--help"]);
  strictEqual(chart.code, 0);
  ok(chart.stdout.includes("memsnap chart REC [-o FILE]"));
  const help = await memsnap(["--help"]);
  for (const option of ["--pie FIELD", "--bar FIELD", "-o, --output FILE", "--no-unused"]) {
    ok(help.stdout.includes(option), option);
  }
});

Deno.test("a chart into a directory that does not exist fails in one line", async () => {
  const { code, stderr } = await memsnap([
    "-S",
    N8,
    "--pie",
    "name",
    "-o",
    "/nonexistent/p.vl.json",
  ]);
  strictEqual(code, 1);
  ok(/^memsnap: Cannot write "\/nonexistent\/p\.vl\.json": .+\n$/.test(stderr), stderr);
});

Deno.test("without -o, a chart gets its data's name, printed, and is never replaced silently", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-chart-cli-" });
  try {
    const args = ["-S", `${WORKLOAD}@3`, "-u", "--pie", "user"];
    const name = "memsnap-pie-users-pss-vm-20261125T200124Z.svg";
    const first = await memsnapProcess(args, { cwd: dir });
    deepStrictEqual([first.code, first.stderr], [0, `memsnap: wrote ${name}\n`]);
    const svg = await Deno.readTextFile(`${dir}/${name}`);
    ok(svg.startsWith("<svg"), svg.slice(0, 40));
    const second = await memsnapProcess(args, { cwd: dir });
    deepStrictEqual(second.code, 1);
    ok(second.stderr.includes("already exists (use --force to replace it)"), second.stderr);
    const forced = await memsnapProcess([...args, "--force"], { cwd: dir });
    deepStrictEqual(forced.code, 0);
    // The same input, the same bytes.
    deepStrictEqual(await Deno.readTextFile(`${dir}/${name}`), svg);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("memsnap chart draws a recording's timeline as a PNG of the size asked for", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-chart-cli-" });
  try {
    const out = `${dir}/timeline.png`;
    const { code, stderr } = await memsnapProcess([
      "chart",
      WORKLOAD,
      "--by",
      "commands",
      "-o",
      out,
      "--width",
      "700",
      "--height",
      "350",
    ]);
    deepStrictEqual([code, stderr], [0, `memsnap: wrote ${out}\n`]);
    const image = decodePng(await Deno.readFile(out));
    deepStrictEqual([image.width, image.height], [700, 350]);
    const stats = pixelStats(image);
    ok(stats.colours >= 5 && stats.inked > 0.1 && stats.dark > 100, JSON.stringify(stats));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("memsnap --bar keeps each metric's colour whichever columns are drawn, as a program", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-chart-cli-" });
  try {
    const colours = async (columns: string) => {
      const out = `${dir}/${columns.replaceAll(" ", "-")}.vl.json`;
      const { code, stderr } = await memsnapProcess(
        ["-S", N8, "-u", "--bar", "user", "-c", columns, "-o", out],
      );
      strictEqual(code, 0, stderr);
      const { domain, range } = JSON.parse(await Deno.readTextFile(out)).encoding.color.scale;
      return Object.fromEntries(domain.map((header: string, i: number) => [header, range[i]]));
    };
    // Swap is 0 in every row of n8: a series of its own, drawn or not.
    deepStrictEqual(await colours("user swap uss pss rss"), {
      Swap: "#0072B2",
      USS: "#E69F00",
      PSS: "#009E73",
      RSS: "#D55E00",
    });
    deepStrictEqual(await colours("user uss pss rss"), {
      USS: "#E69F00",
      PSS: "#009E73",
      RSS: "#D55E00",
    });
    deepStrictEqual(await colours("user rss pss_anon pss"), {
      RSS: "#D55E00",
      PSS_Anon: "#332288",
      PSS: "#009E73",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
