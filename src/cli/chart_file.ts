/**
 * Writes a chart: the format from the file's extension, a name chosen from
 * the data when none is given, never a silent overwrite.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { chartFormatOf, renderChart } from "../chart/output.ts";
import type { ChartFile } from "./chart_args.ts";
import { UsageError } from "./errors.ts";
import type { Io } from "./io.ts";
import { writeWhole } from "./write_file.ts";

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
 * Renders a spec into the file -o names (or `chosen`, printed on stderr).
 *
 * @throws {UsageError} When the file's extension names no chart format.
 * @throws {SourceError} When the file exists (without --force) or cannot be written.
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
      `Cannot tell the chart format of "${path}": name a file ending in .svg, .png, .jpg, .pdf, .eps, .html or .vl.json`,
    );
  }
  const bytes = await renderChart(spec, format, {
    ...(file.scale !== undefined && { scale: file.scale }),
  });
  await writeWhole(path, bytes, { force: file.force });
  if (file.output === undefined) io.err(`memsnap: wrote ${path}\n`);
}
