import assert from "node:assert/strict";
import { Ajv } from "ajv";
import schema from "../../docs/report.schema.json" with { type: "json" };
import { renderJson, type ReportMeta } from "../../src/render/report_json.ts";
import type { Table } from "../../src/view/table.ts";

const TABLE: Table = {
  columns: [
    {
      id: "pid",
      header: "PID",
      description: "process ID",
      layout: { align: "right", width: 5, truncate: false },
      quantity: "count",
      total: "count",
    },
    {
      id: "command",
      header: "Command",
      description: "process command line",
      layout: { align: "left", width: 27, truncate: true },
      quantity: "text",
      total: "none",
    },
    {
      id: "swap",
      header: "Swap",
      description: "swap",
      layout: { align: "right", width: 8, truncate: false },
      quantity: "swap",
      total: "sum",
    },
    {
      id: "pss",
      header: "PSS",
      description: "pss",
      layout: { align: "right", width: 8, truncate: false },
      quantity: "memory",
      total: "sum",
    },
  ],
  rows: [
    [1, "/sbin/init splash", 0, 1234567],
    [42, 'bash "quoted", comma', undefined, 8],
  ],
  totals: [2, undefined, 0, 1234575],
};

const META: ReportMeta = {
  view: "processes",
  source: "live /proc",
  detail: "full",
  takenAt: "2024-06-11T10:00:00.000Z",
  hostname: "box",
  kernel: "6.1.0",
  memTotal: 16000000,
  swapTotal: 0,
  skipped: { unreadable: 2, vanished: 1, kernelThreads: 90, withoutMappings: 0 },
};

Deno.test("renderJson() writes the report document: meta, what was left out, columns, rows keyed by id, sums and counts", () => {
  const text = renderJson(TABLE, META);
  assert.ok(text.endsWith("}\n"));
  assert.deepEqual(JSON.parse(text), {
    format: "memsnap-report",
    version: 2,
    view: "processes",
    source: "live /proc",
    detail: "full",
    takenAt: "2024-06-11T10:00:00.000Z",
    hostname: "box",
    kernel: "6.1.0",
    memTotal: 16000000,
    swapTotal: 0,
    skipped: { unreadable: 2, vanished: 1, kernelThreads: 90, withoutMappings: 0 },
    columns: [
      { id: "pid", header: "PID", unit: "count", total: "count" },
      { id: "command", header: "Command", unit: "text", total: "none" },
      { id: "swap", header: "Swap", unit: "kB", total: "sum" },
      { id: "pss", header: "PSS", unit: "kB", total: "sum" },
    ],
    rows: [
      { pid: 1, command: "/sbin/init splash", swap: 0, pss: 1234567 },
      { pid: 42, command: 'bash "quoted", comma', swap: null, pss: 8 },
    ],
    // A count of rows under pid's name is no pid: counts, apart from the sums.
    totals: { swap: 0, pss: 1234575 },
    counts: { pid: 2 },
  });
});

Deno.test("renderJson() keeps raw kB integers and null for unknown values", () => {
  const document = JSON.parse(renderJson(TABLE, META));
  assert.equal(document.rows[0].pss, 1234567);
  assert.equal(document.rows[1].swap, null);
  assert.ok(Object.hasOwn(document.rows[1], "swap"));
});

Deno.test("renderJson() gives a null total for a summed column with no known value", () => {
  const table: Table = { ...TABLE, rows: [], totals: [0, undefined, undefined, undefined] };
  const document = JSON.parse(renderJson(table, { ...META, takenAt: null, hostname: null }));
  assert.deepEqual(document.rows, []);
  assert.deepEqual([document.totals, document.counts], [{ swap: null, pss: null }, { pid: 0 }]);
  assert.equal(document.takenAt, null);
  assert.equal(document.hostname, null);
});

Deno.test("renderJson() is pretty-printed with two spaces", () => {
  const text = renderJson(TABLE, META);
  assert.ok(text.startsWith('{\n  "format": "memsnap-report",\n  "version": 2,\n'));
});

Deno.test("renderJson() output follows docs/report.schema.json", () => {
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  ajv.addFormat("date-time", (text: string) => !Number.isNaN(Date.parse(text)));
  const validate = ajv.compile(schema);
  const documents = [
    renderJson(TABLE, META),
    renderJson({ ...TABLE, rows: [], totals: [0, undefined, undefined, undefined] }, {
      ...META,
      view: "users",
      detail: "rollup",
      takenAt: null,
      hostname: null,
      kernel: null,
    }),
  ];
  for (const text of documents) {
    const valid = validate(JSON.parse(text));
    assert.deepEqual(valid ? [] : validate.errors, []);
  }
});

Deno.test("renderJson() keeps a hostile name exactly, with what a terminal would act on escaped as JSON (\\u001b, \\u009b)", () => {
  const name = "evil\x1b]0;pwned\x07\u009b\u202e";
  const text = renderJson({ ...TABLE, rows: [[1, name, 0, 1]] }, META);
  assert.ok(text.includes('"command": "evil\\u001b]0;pwned\\u0007\\u009b\\u202e"'), text);
  assert.equal(JSON.parse(text).rows[0].command, name);
});
