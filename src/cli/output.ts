/**
 * What the CLI writes beside a result: the diagnostics on stderr, a chart
 * into its file.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import type { Diagnostic } from "../app/diagnostics.ts";
import { UsageError } from "../errors/memsnap_error.ts";
import { writeWhole } from "../sink/write_file.ts";
import type { Io } from "./io.ts";
import type { ChartFile } from "./view_args.ts";

/** Each diagnostic as one line on stderr. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], io: Io): void {
  for (const { message } of diagnostics) io.err(`memsnap: ${message}\n`);
}

/**
 * Draws a spec into the file -o names, or `chosen`, in the format its
 * extension names; names the file on stderr (it may be memsnap's choice).
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
  // The chart stack loads only when a chart is drawn: a report starts without it.
  const [{ chartFormatOf }, { drawChart }] = await Promise.all([
    import("../chart/output.ts"),
    import("../app/draw_chart.ts"),
  ]);
  const path = file.output ?? chosen;
  const format = chartFormatOf(path);
  if (format === undefined) {
    throw new UsageError(
      `Cannot tell the chart format of "${path}": expected .svg, .png, .jpg, .pdf, .eps, .html, .vl.json (or .jpeg)`,
    );
  }
  const bytes = await drawChart(spec, {
    format,
    name: path,
    ...(file.scale !== undefined && { scale: file.scale }),
    ...(file.limits !== undefined && { limits: file.limits }),
  });
  await writeWhole(path, bytes, { force: file.force });
  io.err(`memsnap: wrote ${path}\n`);
}
