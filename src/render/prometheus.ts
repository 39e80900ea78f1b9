/**
 * Metric families in Prometheus's text exposition format 0.0.4, or in
 * OpenMetrics 1.0 (what a scraper that asks for it gets): pure, from
 * families the exporter built from report tables.
 *
 * @module
 */

/** One series: its labels and value. */
export interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One metric family: one quantity in base units. */
export interface Family {
  /** Without OpenMetrics's `_info`/`_total` suffixes decided here: the full name. */
  readonly name: string;
  readonly help: string;
  readonly type: "gauge" | "counter" | "info";
  /** OpenMetrics's UNIT; the name ends with `_${unit}`. */
  readonly unit?: "bytes" | "seconds";
  readonly series: readonly Series[];
}

/** The content types of the two formats. */
export const PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
export const OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/** Whether an Accept header asks for OpenMetrics (a scraper that prefers it lists it). */
export function wantsOpenMetrics(accept: string | undefined): boolean {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept);
}

/** Renders the families; `openMetrics` adds UNIT lines and the `# EOF`. */
export function renderMetrics(families: readonly Family[], openMetrics: boolean): string {
  const lines: string[] = [];
  for (const family of families) {
    // Text 0.0.4 has no info type: an info family is a gauge of 1 named *_info.
    const exposed = family.type === "info" ? `${family.name}_info` : family.name;
    // Text 0.0.4 names a counter's metadata as its samples (`_total`); OpenMetrics without.
    const metadataName = openMetrics
      ? family.name
      : family.type === "counter"
      ? `${family.name}_total`
      : exposed;
    const type = family.type === "info" && !openMetrics ? "gauge" : family.type;
    lines.push(`# HELP ${metadataName} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${metadataName} ${type}`);
    if (openMetrics && family.unit !== undefined) {
      lines.push(`# UNIT ${metadataName} ${family.unit}`);
    }
    const sample = family.type === "counter" ? `${family.name}_total` : exposed;
    for (const series of family.series) {
      lines.push(`${sample}${labelText(series.labels)} ${numberText(series.value)}`);
    }
  }
  if (openMetrics) lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}`;
}

/** A label value: backslash, double quote and newline escaped (both formats). */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}
