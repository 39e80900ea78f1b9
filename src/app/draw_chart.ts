/**
 * A chart's spec drawn in a format: the chart stack loads only here, when
 * a chart is drawn.
 *
 * @module
 */

import type { TopLevelSpec } from "vega-lite";
import { type ChartLimits, DEFAULT_CHART_LIMITS } from "../chart/limits.ts";
import type { ChartFormat } from "../chart/output.ts";
import { SourceError } from "../errors/source_error.ts";

/**
 * The chart's bytes.
 *
 * @param options.name Names the chart in the message when it cannot be drawn.
 * @throws {SourceError} When vega-lite, vega or a renderer refuses the spec,
 *   or drawing it would cost more than the limits allow.
 */
export async function drawChart(
  spec: TopLevelSpec,
  options: {
    readonly format: ChartFormat;
    readonly name: string;
    readonly scale?: number;
    /** What drawing may cost; DEFAULT_CHART_LIMITS where not given. */
    readonly limits?: Partial<ChartLimits>;
  },
): Promise<Uint8Array> {
  const { renderChart } = await import("../chart/output.ts");
  try {
    return await renderChart(spec, options.format, {
      ...(options.scale !== undefined && { scale: options.scale }),
      limits: { ...DEFAULT_CHART_LIMITS, ...options.limits },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SourceError(`Cannot draw "${options.name}": ${message.split("\n")[0]}`);
  }
}

/**
 * Reads a Vega-Lite spec's JSON text.
 *
 * @throws {SourceError} When it is not JSON, or not an object.
 */
export function parseChartSpec(name: string, text: string): TopLevelSpec {
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (error) {
    throw new SourceError(`Cannot parse "${name}": ${(error as Error).message}`);
  }
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new SourceError(`Cannot parse "${name}": expected a Vega-Lite spec (a JSON object)`);
  }
  return spec as TopLevelSpec;
}
