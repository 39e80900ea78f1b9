/** The exposition formats, from families: escapes, counters, info, UNIT, EOF. */

import assert from "node:assert/strict";
import { renderMetrics, wantsOpenMetrics } from "../../src/render/prometheus.ts";

const FAMILIES = [
  {
    name: "memsnap_pss_bytes",
    help: "a\\b\nc",
    type: "gauge" as const,
    unit: "bytes" as const,
    series: [{ labels: { command: 'x"y\\z\nw' }, value: 1024 }],
  },
  {
    name: "memsnap_sample_failures",
    help: "f",
    type: "counter" as const,
    series: [{ labels: {}, value: 2 }],
  },
  {
    name: "memsnap_build",
    help: "b",
    type: "info" as const,
    series: [{ labels: { version: "1" }, value: 1 }],
  },
];

Deno.test("text 0.0.4: escapes, a counter's _total in its metadata, info as a gauge", () => {
  assert.equal(
    renderMetrics(FAMILIES, false),
    [
      "# HELP memsnap_pss_bytes a\\\\b\\nc",
      "# TYPE memsnap_pss_bytes gauge",
      'memsnap_pss_bytes{command="x\\"y\\\\z\\nw"} 1024',
      "# HELP memsnap_sample_failures_total f",
      "# TYPE memsnap_sample_failures_total counter",
      "memsnap_sample_failures_total 2",
      "# HELP memsnap_build_info b",
      "# TYPE memsnap_build_info gauge",
      'memsnap_build_info{version="1"} 1',
      "",
    ].join("\n"),
  );
});

Deno.test("OpenMetrics: UNIT, counter and info metadata without suffixes, # EOF", () => {
  assert.equal(
    renderMetrics(FAMILIES, true),
    [
      "# HELP memsnap_pss_bytes a\\\\b\\nc",
      "# TYPE memsnap_pss_bytes gauge",
      "# UNIT memsnap_pss_bytes bytes",
      'memsnap_pss_bytes{command="x\\"y\\\\z\\nw"} 1024',
      "# HELP memsnap_sample_failures f",
      "# TYPE memsnap_sample_failures counter",
      "memsnap_sample_failures_total 2",
      "# HELP memsnap_build b",
      "# TYPE memsnap_build info",
      'memsnap_build_info{version="1"} 1',
      "# EOF",
      "",
    ].join("\n"),
  );
});

Deno.test("negotiation: OpenMetrics only when the Accept header names it", () => {
  assert.equal(wantsOpenMetrics(undefined), false);
  assert.equal(wantsOpenMetrics("text/plain;version=0.0.4"), false);
  assert.equal(
    wantsOpenMetrics("application/openmetrics-text;version=1.0.0,text/plain;q=0.5"),
    true,
  );
});
