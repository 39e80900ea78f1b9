import assert from "node:assert/strict";
import { parseThreshold } from "../../src/diff/threshold.ts";
import { crossings } from "../../src/diff/threshold_eval.ts";
import { thresholdsJson } from "../../src/render/threshold_json.ts";
import { programDiff } from "../_helpers/threshold.ts";

const TABLE = programDiff(
  [["nginx", 2048, 0], ["cron", 100, 0]],
  [["nginx", 4096, 0], ["sshd", 3000, 0]],
);

Deno.test("thresholdsJson() gives each threshold, its value, its crossing rows in raw kB and the warnings", () => {
  const texts = [
    "pss>+1M",
    "total.pss>=+200%",
    "total.swap>0",
    "command[ngnix].pss<0",
    "pss<-50%",
    "command[nginx].pss>+150%",
  ];
  const result = crossings(
    texts.map((text) => parseThreshold(text, () => ["pss", "swap"])),
    () => TABLE,
  );
  assert.deepEqual(JSON.parse(JSON.stringify(thresholdsJson(result))), {
    crossed: true,
    results: [
      {
        expression: "pss>+1M",
        crossed: true,
        scope: "rows",
        metric: "pss",
        op: ">",
        amount: { kb: 1024 },
        // The largest change: sshd's.
        value: 3000,
        valueRow: {
          key: "sshd",
          status: "new",
          labels: { command: "sshd" },
          metrics: { pss: { a: null, b: 3000, change: 3000, percent: null } },
        },
        unevaluated: null,
        rows: [
          {
            key: "sshd",
            status: "new",
            labels: { command: "sshd" },
            metrics: { pss: { a: null, b: 3000, change: 3000, percent: null } },
          },
          {
            key: "nginx",
            status: "both",
            labels: { command: "nginx" },
            metrics: { pss: { a: 2048, b: 4096, change: 2048, percent: 100 } },
          },
        ],
      },
      {
        expression: "total.pss>=+200%",
        crossed: true,
        scope: "total",
        metric: "pss",
        op: ">=",
        amount: { percent: 200 },
        value: (4948 / 2148) * 100,
        valueRow: null,
        unevaluated: null,
        rows: [],
        total: { a: 2148, b: 7096, change: 4948, percent: (4948 / 2148) * 100 },
      },
      {
        expression: "total.swap>0",
        crossed: false,
        scope: "total",
        metric: "swap",
        op: ">",
        amount: { kb: 0 },
        value: null,
        valueRow: null,
        unevaluated: "no total Swap",
        rows: [],
        // The side's totals do not know swap.
        total: { a: null, b: null, change: null, percent: null },
      },
      {
        expression: "command[ngnix].pss<0",
        crossed: false,
        scope: "command[ngnix]",
        metric: "pss",
        op: "<",
        amount: { kb: 0 },
        value: null,
        valueRow: null,
        unevaluated: "no command[ngnix] on either side",
        rows: [],
      },
      {
        expression: "pss<-50%",
        crossed: true,
        scope: "rows",
        metric: "pss",
        op: "<",
        amount: { percent: -50 },
        // The furthest down: cron, gone (sshd, new, has no percent).
        value: -100,
        valueRow: {
          key: "cron",
          status: "gone",
          labels: { command: "cron" },
          metrics: { pss: { a: 100, b: null, change: -100, percent: -100 } },
        },
        unevaluated: null,
        rows: [{
          key: "cron",
          status: "gone",
          labels: { command: "cron" },
          metrics: { pss: { a: 100, b: null, change: -100, percent: -100 } },
        }],
      },
      {
        expression: "command[nginx].pss>+150%",
        crossed: false,
        scope: "command[nginx]",
        metric: "pss",
        op: ">",
        amount: { percent: 150 },
        // Not crossed: its value all the same.
        value: 100,
        valueRow: {
          key: "nginx",
          status: "both",
          labels: { command: "nginx" },
          metrics: { pss: { a: 2048, b: 4096, change: 2048, percent: 100 } },
        },
        unevaluated: null,
        rows: [],
      },
    ],
    warnings: [
      '--fail-if "total.swap>0": no total Swap',
      '--fail-if "command[ngnix].pss<0": no command[ngnix] on either side',
    ],
  });
});
