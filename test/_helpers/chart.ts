/** Charts for tests: memsnap's specs, smem's drawings, the Vega-Lite schema. */

import { Ajv } from "ajv";
import { memsnap, ROOT } from "./memsnap.ts";
import { requireSmem } from "./smem.ts";

/** A spec as memsnap writes it (.vl.json), loosely typed for reading. */
// deno-lint-ignore no-explicit-any
export type Spec = Record<string, any>;

/** Runs memsnap in-process with `-o DIR/chart.vl.json`; the spec it wrote. */
export async function chartOf(args: readonly string[]): Promise<Spec> {
  const dir = await Deno.makeTempDir({ prefix: "memsnap-chart-" });
  try {
    const out = `${dir}/chart.vl.json`;
    const { code, stderr } = await memsnap([...args, "-o", out]);
    if (code !== 0) throw new Error(`memsnap ${args.join(" ")} exited ${code}: ${stderr}`);
    return JSON.parse(await Deno.readTextFile(out));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** What smem 1.5's --pie or --bar would draw (test/_helpers/smem-charts.py). */
export interface SmemDrawing {
  readonly kind: "pie" | "bar";
  readonly values?: number[];
  readonly labels: string[];
  readonly series?: number[][];
  readonly keys?: string[];
}

const SMEM_CHARTS = new URL("./smem-charts.py", import.meta.url).pathname;

/** Runs smem's chart code with pylab and numpy stood in; what it would draw. */
export async function smemChart(args: readonly string[]): Promise<SmemDrawing> {
  await requireSmem();
  const { code, stdout, stderr } = await new Deno.Command("python3", {
    args: [SMEM_CHARTS, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  if (code !== 0) throw new Error(`smem ${args.join(" ")} failed: ${decoder.decode(stderr)}`);
  return JSON.parse(decoder.decode(stdout));
}

let validator: ((spec: unknown) => boolean) & { errors?: unknown } | undefined;

/** Validates a spec against the Vega-Lite JSON schema of the vega-lite package. */
export async function validateSpec(spec: unknown): Promise<{ valid: boolean; errors: unknown }> {
  if (validator === undefined) {
    const schema = JSON.parse(
      await Deno.readTextFile(`${ROOT}node_modules/vega-lite/build/vega-lite-schema.json`),
    );
    // The schema is draft-07 with Vega's own keywords; strict mode would refuse those.
    validator = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  }
  const valid = validator(spec);
  return { valid, errors: validator.errors };
}
