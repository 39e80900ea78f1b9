import { deepStrictEqual } from "node:assert/strict";
import { renderMarkdown } from "../../src/render/report_markdown.ts";
import { amountLayout, left } from "../../src/view/column.ts";
import type { Table } from "../../src/view/table.ts";

const table: Table = {
  columns: [
    {
      id: "command",
      header: "Command",
      description: "",
      layout: left(27, true),
      quantity: "text",
      total: "none",
    },
    {
      id: "pss",
      header: "PSS",
      description: "",
      layout: amountLayout("PSS"),
      quantity: "memory",
      total: "sum",
    },
    {
      id: "pss_change",
      header: "PSS +/-",
      description: "",
      layout: amountLayout("PSS +/-"),
      quantity: "memory",
      total: "sum",
      signed: true,
    },
  ],
  rows: [["sh -c 'a | b' *x*", 2048, 1024], ["`two`\nlines", undefined, -3072]],
  totals: [undefined, 2048, -2048],
};

Deno.test("renderMarkdown(): cells stay cells (pipes, emphasis, code, line breaks written \\n), amounts right-aligned, signed", () => {
  deepStrictEqual(
    renderMarkdown(table, { totals: true, amounts: { kind: "units" } }),
    [
      "| Command | PSS | PSS +/- |",
      "| :--- | ---: | ---: |",
      "| sh -c 'a \\| b' \\*x\\* | 2.0M | +1.0M |",
      "| \\`two\\`\\\\nlines | - | -3.0M |",
      "| **Total** | **2.0M** | **-2.0M** |",
      "",
    ].join("\n"),
  );
  deepStrictEqual(
    renderMarkdown(table, { totals: false, amounts: { kind: "kb" } }).split("\n")[2],
    "| sh -c 'a \\| b' \\*x\\* | 2048 | +1024 |",
  );
});

Deno.test("renderMarkdown() writes what a terminal would act on visibly, as the text table does (\\x1b shown as \\x1b)", () => {
  const hostile: Table = {
    ...table,
    rows: [["evil\x1b]0;pwned\x07\u009b\u202e", 1, 1]],
    totals: [],
  };
  deepStrictEqual(
    renderMarkdown(hostile, { totals: false, amounts: { kind: "kb" } }).split("\n")[2],
    "| evil\\\\x1b\\]0;pwned\\\\x07\\\\x9b\\\\u202e | 1 | +1 |",
  );
});
