/**
 * The compiled binary on its own, as on a board: copied alone into an empty
 * directory and run there with an empty environment (env -i: no HOME, no
 * PATH), with no node_modules or source tree beside it, and (as root) no
 * network. `deno task compile`
 * builds dist/memsnap; `deno task test` does so before running the tests.
 */

import { deepStrictEqual, match, ok } from "node:assert/strict";
import { BINARY } from "../../scripts/compile.ts";
import { CHART_FORMATS, renderChart } from "../../src/chart/output.ts";
import { epsPage, pdfInfo } from "../_helpers/chart_readers.ts";
import { pieSpec } from "../_helpers/chart_specs.ts";
import { decodeJpeg, decodePng, pixelStats } from "../_helpers/pixels.ts";
import { assertCompiledVersion } from "../_helpers/binary.ts";
import type { Outcome } from "../_helpers/memsnap.ts";
import { capturePath } from "../_helpers/mirror.ts";
import { sizeKb } from "../_helpers/size.ts";

const n8 = capturePath("n8.tar.gz");

/** Copies dist/memsnap alone into a new empty directory; returns the copy's path. */
async function copyAlone(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-alone-" });
  try {
    await Deno.copyFile(BINARY, `${dir}/memsnap`);
  } catch (error) {
    throw new Error(`Cannot copy ${BINARY} (deno task compile builds it): ${error}`);
  }
  return `${dir}/memsnap`;
}

/** As root, the binary runs in a network namespace of its own: no network at all. */
const NO_NETWORK = Deno.uid() === 0 ? ["/usr/bin/unshare", "--net", "--"] : [];

/** Runs `./memsnap ARGS` in its directory under env -i (and without network as root). */
async function runAlone(binary: string, args: string[], stdin?: Uint8Array): Promise<Outcome> {
  const [command, ...prefix] = [...NO_NETWORK, binary];
  const child = new Deno.Command(command!, {
    args: [...prefix, ...args],
    cwd: binary.slice(0, binary.lastIndexOf("/")),
    clearEnv: true,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin) {
    const writer = child.stdin.getWriter();
    await writer.write(stdin);
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const text = new TextDecoder();
  return { pid: child.pid, code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

Deno.test("dist/memsnap alone in an empty directory, under env -i, does every report", async (t) => {
  const binary = await copyAlone();
  const smemUsers = await Deno.readTextFile(capturePath("n8.smem-users.txt"));

  await t.step("--version names the commit it was built from and its runtime", async () => {
    const { code, stdout } = await runAlone(binary, ["--version"]);
    deepStrictEqual(code, 0);
    await assertCompiledVersion(stdout);
  });

  await t.step("a live report lists the binary itself", async () => {
    const child = await runAlone(binary, ["-c", "pid name pss", "-H"]);
    deepStrictEqual(child.code, 0);
    const mine = child.stdout.split("\n").map((line) => line.trim().split(/ +/))
      .find(([pid]) => Number(pid) === child.pid);
    ok(mine !== undefined, `no row for pid ${child.pid} in\n${child.stdout}`);
    deepStrictEqual(mine[1], "memsnap");
  });

  await t.step("-S FILE.tar.gz and -S - read a capture (the archive reader)", async () => {
    const file = await runAlone(binary, ["-S", n8, "-u"]);
    deepStrictEqual([file.code, file.stdout, file.stderr], [0, smemUsers, ""]);
    const piped = await runAlone(binary, ["-S", "-", "-u"], await Deno.readFile(n8));
    deepStrictEqual([piped.code, piped.stdout, piped.stderr], [0, smemUsers, ""]);
  });

  await t.step("--format csv and --format json (the CSV writer)", async () => {
    const csv = await runAlone(binary, ["-S", n8, "-u", "--format", "csv", "-H"]);
    const rows = smemUsers.trimEnd().split("\n").slice(1).map((l) => l.trim().split(/ +/));
    deepStrictEqual(csv.stdout, rows.map((row) => `${row.join(",")}\n`).join(""));
    const json = JSON.parse((await runAlone(binary, ["-S", n8, "-u", "--format", "json"])).stdout);
    deepStrictEqual(json.totals.pss, 125742);
  });

  await t.step("-P, -U and -M match with RE2 (re2js, loaded for filters only)", async () => {
    const args = [
      "-S",
      n8,
      "-P",
      "(?i)WL-(BENCH)$",
      "-U",
      "^mem[ab]$",
      "-M",
      "\\[heap\\]",
      "-u",
      "-H",
    ];
    const { code, stdout, stderr } = await runAlone(binary, [...args, "--format", "csv"]);
    deepStrictEqual([code, stderr], [0, ""]);
    deepStrictEqual(stdout.split("\n").map((line) => line.split(",")[0]), ["mema", "memb", ""]);
  });

  await t.step("-K runs size(1) with no PATH set (the kernel-image code)", async () => {
    const args = ["-S", n8, "-w", "-K", "/bin/true", "--format", "csv", "-H"];
    const { code, stdout, stderr } = await runAlone(binary, args);
    deepStrictEqual([code, stderr], [0, ""]);
    const kb = await sizeKb("/bin/true");
    deepStrictEqual(stdout.split("\n")[1], `kernel image,${kb},0,${kb}`);
  });

  await t.step(
    "chart-render draws every format with the embedded font, wasm and scripts",
    async () => {
      const out = await Deno.makeTempDir({ prefix: "memsnap-alone-charts-" });
      await Deno.writeTextFile(`${out}/spec.json`, JSON.stringify(pieSpec()));
      for (const format of CHART_FORMATS) {
        const file = `${out}/pie.${format}`;
        const { code, stderr } = await runAlone(binary, [
          "chart-render",
          `${out}/spec.json`,
          "-o",
          file,
          "--scale",
          "2",
        ]);
        deepStrictEqual([format, code, stderr], [format, 0, `memsnap: wrote ${file}\n`]);
      }
      // The same bytes as deno run's: one renderer, one font, whatever the runtime.
      for (const format of ["svg", "png", "vl.json"] as const) {
        deepStrictEqual(
          await Deno.readFile(`${out}/pie.${format}`),
          await renderChart(pieSpec(), format, { scale: 2 }),
          format,
        );
      }
      const png = decodePng(await Deno.readFile(`${out}/pie.png`));
      ok(pixelStats(png, [0, 0, png.width, 30]).dark > 300, "no title drawn");
      ok(pixelStats(decodeJpeg(await Deno.readFile(`${out}/pie.jpg`))).colours >= 5);
      deepStrictEqual((await pdfInfo(`${out}/pie.pdf`)).Pages, "1");
      ok(pixelStats((await epsPage(`${out}/pie.eps`)).image).inked > 0.1);
      const html = await Deno.readTextFile(`${out}/pie.html`);
      ok(
        html.length > 500_000 && !/<script[^>]*\ssrc=/.test(html),
        "the HTML's scripts are not inline",
      );
      await Deno.remove(out, { recursive: true });
    },
  );

  await t.step("capture, record, list, FILE@N and charts from the command line", async () => {
    const out = await Deno.makeTempDir({ prefix: "memsnap-alone-snapshots-" });
    const run = async (args: string[]) => {
      const outcome = await runAlone(binary, args);
      deepStrictEqual(outcome.code, 0, `${args.join(" ")}: ${outcome.stderr}`);
      return outcome;
    };
    // A capture of the fixture reads back as the fixture.
    await run(["capture", "-S", n8, "-o", `${out}/cap.tar.gz`]);
    deepStrictEqual((await run(["-S", `${out}/cap.tar.gz`, "-u"])).stdout, smemUsers);
    // A recording of the live system, listed and read back.
    await run(["record", "-o", `${out}/rec.tar.gz`, "-n", "2", "-i", "100ms", "-q"]);
    const listed = JSON.parse(
      (await run(["list", `${out}/rec.tar.gz`, "--format", "json"])).stdout,
    );
    deepStrictEqual(listed.snapshots.map((s: { index: number }) => s.index), [0, 1]);
    await run(["-S", `${out}/rec.tar.gz@last`, "-u"]);
    // A capture diffed with what it was taken from changes nothing; a recording diffs alone.
    const same = JSON.parse(
      (await run(["diff", n8, `${out}/cap.tar.gz`, "--format", "json"])).stdout,
    );
    deepStrictEqual(
      same.rows.filter((r: { status: string; metrics: { pss: { change: number } } }) =>
        r.status !== "both" || r.metrics.pss.change !== 0
      ),
      [],
    );
    ok(same.rows.length === 8);
    match(
      (await run(["diff", `${out}/rec.tar.gz`, "--format", "markdown"])).stdout,
      /^### memsnap diff/,
    );
    // A pie of a view and a recording's timeline, as PNG with the embedded font.
    await run(["-S", n8, "-u", "--pie", "user", "-o", `${out}/pie.png`]);
    await run(["chart", `${out}/rec.tar.gz`, "-o", `${out}/timeline.png`]);
    await run(["diff", n8, `${out}/rec.tar.gz@last`, "--bar", "-o", `${out}/diff.png`]);
    for (const png of ["pie.png", "timeline.png", "diff.png"]) {
      const bytes = await Deno.readFile(`${out}/${png}`);
      deepStrictEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], `${png} is a PNG`);
    }
    await Deno.remove(out, { recursive: true });
  });

  await t.step("nothing was written beside it", async () => {
    const dir = binary.slice(0, binary.lastIndexOf("/"));
    const names = (await Array.fromAsync(Deno.readDir(dir))).map((entry) => entry.name);
    deepStrictEqual(names, ["memsnap"]);
  });

  await Deno.remove(binary.slice(0, binary.lastIndexOf("/")), { recursive: true });
});

Deno.test("dist/memsnap runs no code from a bunfig.toml in the directory it starts in", async () => {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-bunfig-" });
  // Bun's executables load these by default: a preload would run first.
  await Deno.writeTextFile(`${dir}/bunfig.toml`, 'preload = ["./preload.js"]\n');
  await Deno.writeTextFile(
    `${dir}/preload.js`,
    'require("node:fs").writeFileSync("preloaded", "");\nconsole.log("preloaded");\n',
  );
  const { code, stdout } = await new Deno.Command(BINARY, {
    args: ["--version"],
    cwd: dir,
    stdout: "piped",
  }).output();
  deepStrictEqual(code, 0);
  match(new TextDecoder().decode(stdout), /^memsnap \S+ \(commit .*, compiled\)\n$/);
  const names = (await Array.fromAsync(Deno.readDir(dir))).map((entry) => entry.name).sort();
  deepStrictEqual(names, ["bunfig.toml", "preload.js"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("dist/memsnap loads no node_modules/canvas from the directory it starts in", async () => {
  // vega-canvas tries import("canvas"): the bundle answers it with an empty module.
  const dir = await Deno.makeTempDir({ prefix: "memsnap-canvas-" });
  await Deno.mkdir(`${dir}/node_modules/canvas`, { recursive: true });
  await Deno.writeTextFile(
    `${dir}/node_modules/canvas/package.json`,
    '{"name": "canvas", "main": "index.js"}\n',
  );
  await Deno.writeTextFile(
    `${dir}/node_modules/canvas/index.js`,
    'require("node:fs").writeFileSync("loaded", "");\nexports.createCanvas = () => null;\n',
  );
  await Deno.writeTextFile(`${dir}/pie.vl.json`, JSON.stringify(pieSpec()));
  const { code } = await new Deno.Command(BINARY, {
    args: ["chart-render", "pie.vl.json", "-o", "pie.svg"],
    cwd: dir,
    stderr: "null",
  }).output();
  deepStrictEqual(code, 0);
  const names = (await Array.fromAsync(Deno.readDir(dir))).map((entry) => entry.name).sort();
  deepStrictEqual(names, ["node_modules", "pie.svg", "pie.vl.json"]);
  await Deno.remove(dir, { recursive: true });
});
