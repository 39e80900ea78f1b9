/**
 * Writes a chart: the format from the file's extension, a name chosen from
 * the data when none is given, never a silent overwrite.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { DEFAULT_CHART_LIMITS } from "../chart/limits.ts";
import { chartFormatOf, renderChart } from "../chart/output.ts";
import type { ChartFile } from "./chart_args.ts";
import { SourceError } from "../errors/source_error.ts";
import { UsageError } from "./errors.ts";
import type { Io } from "./io.ts";
import { writeWhole } from "../sink/write_file.ts";

/** The extension of a chart written without -o. */
export const DEFAULT_CHART_EXTENSION = "svg";

/**
 * `memsnap-PART-…-HOST-YYYYMMDDTHHMMSSZ.svg`, from the data's host and time
 * (left out when unknown), never from the clock: the same input, the same name.
 */
export function defaultChartName(
  parts: readonly string[],
  origin: { readonly hostname: string | null; readonly takenAt: string | null },
): string {
  const time = origin.takenAt?.replace(/[-:]/g, "").replace(/\.\d+/, "");
  return [
    "memsnap",
    ...parts,
    ...(origin.hostname === null ? [] : [origin.hostname]),
    ...(time === undefined ? [] : [time]),
  ].map((part) => part.replace(/[^A-Za-z0-9._]/g, "_")).join("-") +
    `.${DEFAULT_CHART_EXTENSION}`;
}

/**
 * Renders a spec into the file -o names, or `chosen`; names it on stderr.
 *
 * @throws {UsageError} When the file's extension names no chart format.
 * @throws {SourceError} When the chart cannot be drawn, or the file exists
 *   (without --force) or cannot be written.
 */
export async function writeChart(
  spec: TopLevelSpec,
  options: { readonly file: ChartFile; readonly chosen: string; readonly io: Io },
): Promise<void> {
  const { file, chosen, io } = options;
  const path = file.output ?? chosen;
  const format = chartFormatOf(path);
  if (format === undefined) {
    throw new UsageError(
      `Cannot tell the chart format of "${path}": expected .svg, .png, .jpg, .pdf, .eps, .html, .vl.json (or .jpeg)`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await renderChart(spec, format, {
      ...(file.scale !== undefined && { scale: file.scale }),
      limits: { ...DEFAULT_CHART_LIMITS, ...file.limits },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SourceError(`Cannot draw "${path}": ${message.split("\n")[0]}`);
  }
  await writeWhole(path, bytes, { force: file.force });
  // Named always, as chart-render does: the name may be memsnap's choice.
  io.err(`memsnap: wrote ${path}\n`);
}
