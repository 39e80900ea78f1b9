import assert from "node:assert/strict";
import { parseThreshold } from "../../src/diff/threshold.ts";
import { crossings } from "../../src/diff/threshold_eval.ts";
import { renderThresholdsMarkdown } from "../../src/render/threshold_markdown.ts";
import { programDiff } from "../_helpers/threshold.ts";

const TABLE = programDiff(
  [["nginx", 2048, 0], ["cron", 100, 0], ["a|b", 10, 0]],
  [["nginx", 4096, 0], ["sshd", 3000, 0], ["a|b", 30000, 0]],
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
