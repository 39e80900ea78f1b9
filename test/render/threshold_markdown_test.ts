import assert from "node:assert/strict";
import { diffSides, type KeyedSide } from "../../src/diff/diff_table.ts";
import { parseThreshold } from "../../src/diff/threshold.ts";
import { crossings } from "../../src/diff/threshold_eval.ts";
import { renderThresholdsMarkdown } from "../../src/render/threshold_markdown.ts";
import type { Column } from "../../src/view/column.ts";
import { commandView } from "../../src/view/commands.ts";

const info = <Row>({ value: _, ...rest }: Column<Row>) => rest;
const COLUMNS = {
  labels: [info(commandView.columns.command)],
  metrics: [info(commandView.columns.pss), info(commandView.columns.swap)],
};
const side = (rows: [string, number, number | undefined][]): KeyedSide => ({
  rows: rows.map(([key, pss, swap]) => ({ key, labels: [key], values: [pss, swap] })),
  totals: [rows.reduce((sum, [, pss]) => sum + pss, 0), undefined],
});
const TABLE = diffSides(
  side([["nginx", 2048, 0], ["cron", 100, 0], ["a|b", 10, 0]]),
  side([["nginx", 4096, 0], ["sshd", 3000, 0], ["a|b", 30000, 0]]),
  COLUMNS,
);

Deno.test("renderThresholdsMarkdown() lists each threshold, crossed or not, with its value and row", () => {
  const texts = [
    "pss>+30M",
    "pss>+1M",
    "total.pss>=+200%",
    "total.swap>0",
    "command[ngnix].pss<0",
    "command[nginx].pss<=-50%",
  ];
  const result = crossings(
    texts.map((text) => parseThreshold(text, () => ["pss", "swap"])),
    () => TABLE,
  );
  const total = (((4096 + 3000 + 30000) - (2048 + 100 + 10)) / (2048 + 100 + 10) * 100).toFixed(1);
  assert.equal(
    renderThresholdsMarkdown(result),
    [
      "#### Thresholds: 2 of 6 crossed",
      "",
      "| Threshold | Crossed | Value | Row |",
      "| :--- | :--- | ---: | :--- |",
      "| pss\\>+30M | no | +29.3M | a\\|b |",
      "| pss\\>+1M | yes, by 3 rows | +29.3M | a\\|b |",
      `| total.pss\\>=+200% | yes | +${total} % | total |`,
      "| total.swap\\>0 | no: no total Swap | - | total |",
      "| command\\[ngnix\\].pss\\<0 | no: no command\\[ngnix\\] on either side | - | - |",
      "| command\\[nginx\\].pss\\<=-50% | no | +100.0 % | nginx |",
      "",
    ].join("\n"),
  );
});
