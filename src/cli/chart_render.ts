/**
 * `memsnap chart-render`: reads a Vega-Lite spec, writes it drawn in the
 * format the output file's extension names.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import process from "node:process";
import type { TopLevelSpec } from "vega-lite";
import { DEFAULT_CHART_LIMITS } from "../chart/limits.ts";
import { renderChart } from "../chart/output.ts";
import { describeFsError, SourceError } from "../errors/source_error.ts";
import type { ChartRenderRequest } from "./chart_render_args.ts";
import { EXIT } from "./errors.ts";
import type { Io } from "./io.ts";
import { writeWhole } from "../sink/write_file.ts";

async function readSpecText(path: string): Promise<string> {
  try {
    if (path !== "-") return await readFile(path, "utf8");
    const chunks: Uint8Array[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
    return new TextDecoder().decode(Buffer.concat(chunks));
  } catch (error) {
    throw new SourceError(`Cannot read "${path}": ${describeFsError(error)}`);
  }
}

/** The spec file's JSON object. */
function parseSpec(path: string, text: string): TopLevelSpec {
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (error) {
    throw new SourceError(`Cannot parse "${path}": ${(error as Error).message}`);
  }
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new SourceError(`Cannot parse "${path}": expected a Vega-Lite spec (a JSON object)`);
  }
  return spec as TopLevelSpec;
}

/** Runs `memsnap chart-render`; resolves to the exit code. */
export async function runChartRender(request: ChartRenderRequest, io: Io): Promise<number> {
  const name = request.spec === "-" ? "standard input" : request.spec;
  const spec = parseSpec(name, await readSpecText(request.spec));
  let bytes: Uint8Array;
  try {
    bytes = await renderChart(spec, request.format, {
      scale: request.scale,
      limits: { ...DEFAULT_CHART_LIMITS, ...request.limits },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SourceError(`Cannot draw "${name}": ${message.split("\n")[0]}`);
  }
  await writeWhole(request.output, bytes, { force: request.force });
  io.err(`memsnap: wrote ${request.output}\n`);
  return EXIT.ok;
}
