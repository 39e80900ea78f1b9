/**
 * Names with control characters in charts (issue 19, item 6): every chart
 * format draws them, in their visible form (`\x1b`), and the SVG is
 * well-formed XML. Run against `deno run` and the compiled binary.
 */

import assert from "node:assert/strict";
import { XMLValidator } from "fast-xml-parser";
import { assertDrawn, decodePng } from "../_helpers/pixels.ts";
import { memsnapProcess, ROOT } from "../_helpers/memsnap.ts";
import { CONTROLS, CONTROLS_SHOWN, hostileCapture, RAW_CONTROL } from "../_helpers/hostile.ts";

const DIR = await Deno.makeTempDir({ prefix: "memsnap-chart-hostile-" });
globalThis.addEventListener("unload", () => Deno.removeSync(DIR, { recursive: true }));

const CAPTURE = await hostileCapture(DIR, {
  cmdlines: { 18844: `evil${CONTROLS}` },
  users: { mema: `u${CONTROLS}` },
  hostname: `h${CONTROLS}`,
});
/** The controls as a chart draws them: on one line (the carriage return a space), visibly. */
const ONE_LINE = CONTROLS_SHOWN.replace("\\r", " ");
const FORMATS = ["svg", "png", "jpg", "pdf", "eps", "html", "vl.json"] as const;
const text = new TextDecoder();

/** Runs memsnap to write FILE; asserts it said so, and only so. */
async function draw(args: readonly string[], file: string): Promise<Uint8Array> {
  const { code, stderr } = await memsnapProcess([...args, "-o", file, "--force"]);
  assert.deepEqual([code, stderr], [0, `memsnap: wrote ${file}\n`]);
  return await Deno.readFile(file);
}

/** The SVG's text, checked to be well-formed XML with no character a terminal would act on. */
function wellFormed(bytes: Uint8Array): string {
  const svg = text.decode(bytes);
  assert.equal(XMLValidator.validate(svg), true);
  assert.doesNotMatch(svg, RAW_CONTROL);
  return svg;
}

for (const kind of ["bar", "pie"] as const) {
  Deno.test(`memsnap --${kind} command draws a command line and a host with control characters in every format`, async () => {
    for (const format of FORMATS) {
      const file = `${DIR}/${kind}.${format}`;
      // A pie of all memory would draw the processes as one "other" slice.
      const args = [
        "-S",
        CAPTURE,
        `--${kind}`,
        "command",
        ...(kind === "pie" ? ["--no-unused"] : []),
      ];
      const bytes = await draw(args, file);
      if (format === "svg") {
        const svg = wellFormed(bytes);
        // The label drawn (cut in the middle), whole in the tooltip, and the host in the subtitle.
        assert.ok(svg.includes(">evil\\x1b]0;p…"), svg.slice(0, 400));
        assert.ok(svg.includes(`Command: evil${CONTROLS_SHOWN}`));
        assert.ok(svg.includes(`>host h${ONE_LINE} · `));
      } else if (format === "vl.json") {
        assert.doesNotMatch(text.decode(bytes), RAW_CONTROL);
        const labels = JSON.stringify(JSON.parse(text.decode(bytes)).data.values);
        assert.ok(labels.includes(JSON.stringify(`evil${CONTROLS_SHOWN}`)), labels);
      } else if (format === "png") {
        assertDrawn(decodePng(bytes), file);
      }
    }
  });
}

Deno.test("memsnap diff --bar draws a hostile row and a hostile side's host", async () => {
  const original = `${ROOT}fixtures/archives/v1-capture.tar.gz`;
  for (const format of ["svg", "png", "pdf"] as const) {
    const bytes = await draw(
      ["diff", original, CAPTURE, "-u", "--bar", "--label", "user"],
      `${DIR}/diff.${format}`,
    );
    if (format === "svg") {
      const svg = wellFormed(bytes);
      assert.ok(svg.includes(`host h${ONE_LINE}`));
      // A user renamed: a new row, and a gone one.
      assert.ok(svg.includes(">u\\x1b]0;pwne…J X\\x9bY\\u202eZ\\x7f (new)<"), svg);
    }
  }
});

Deno.test("memsnap chart REC draws a timeline of a process whose name holds control characters", async () => {
  // The kernel names a process after its program's file: the timeline's areas are named so.
  const program = `${DIR}/s\x1b[31m\x07`;
  await Deno.copyFile("/bin/sleep", program);
  await Deno.chmod(program, 0o755);
  const recording = `${DIR}/timeline.tar.gz`;
  // The workload's process tree alone: the program, one second.
  const recorded = await memsnapProcess(
    ["record", "--tree", "-o", recording, "-n", "2", "-i", "100ms", "--", program, "1"],
  );
  assert.equal(recorded.code, 0, recorded.stderr);
  for (const format of ["svg", "png", "eps", "vl.json"] as const) {
    const bytes = await draw(["chart", recording], `${DIR}/timeline.${format}`);
    if (format === "svg") assert.match(wellFormed(bytes), />s\\x1b\[31m\\x07 \[\d+\]</);
  }
});

Deno.test("memsnap chart-render draws a spec whose title and labels hold control characters, in every format", async () => {
  const spec = `${DIR}/spec.vl.json`;
  await Deno.writeTextFile(
    spec,
    JSON.stringify({
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      title: `t${CONTROLS}\x0c\uffff`,
      data: { values: [{ name: `evil${CONTROLS}`, kb: 3 }, { name: "ok", kb: 1 }] },
      mark: "bar",
      encoding: {
        y: { field: "name", type: "nominal" },
        x: { field: "kb", type: "quantitative" },
      },
    }),
  );
  for (const format of FORMATS) await draw(["chart-render", spec], `${DIR}/render.${format}`);
  // XML forbids C0 controls but tab, LF and CR, and U+FFFF: they are drawn in their visible form.
  const svg = text.decode(await Deno.readFile(`${DIR}/render.svg`));
  assert.equal(XMLValidator.validate(svg), true);
  assert.ok(svg.includes(">t\\x1b]0;pwned\\x07\\x1b[2J\rX\u009bY\u202eZ\x7f\\x0c\\uffff<"));
});
