import assert from "node:assert/strict";
import {
  amountMetricIds,
  parseThreshold,
  type Threshold,
  THRESHOLD_HELP,
  ThresholdError,
} from "../../src/diff/threshold.ts";
import { commandView } from "../../src/view/commands.ts";
import { knownMetrics as known } from "../_helpers/threshold.ts";
const parse = (text: string) => parseThreshold(text, known);

/** The parse's fields, without the text. */
const fields = (text: string): Omit<Threshold, "text"> => {
  const { text: written, ...rest } = parse(text);
  assert.equal(written, text);
  return rest;
};

Deno.test("amountMetricIds() keeps the kB columns of a view: memory and swap, not counts, text or CPU", () => {
  const ids = known("shown");
  for (const id of ["pss", "uss", "rss", "swap", "vss", "swappss", "pss_anon", "gpu"]) {
    assert.ok(ids.includes(id), id);
  }
  for (const id of ["pid", "user", "command", "maps", "cpu", "cpu_pct", "oom_score"]) {
    assert.ok(!ids.includes(id), id);
  }
  assert.deepEqual(
    amountMetricIds(Object.values(commandView.columns)).slice(0, 5),
    ["private", "shared", "total", "swap", "uss"],
  );
});

Deno.test("parseThreshold() reads the documented examples", () => {
  const MiB = 1024;
  assert.deepEqual(fields("total.pss>+5%"), {
    scope: { kind: "total" },
    metric: "pss",
    op: ">",
    amount: { kind: "percent", percent: 5 },
  });
  assert.deepEqual(fields("pss>+20M"), {
    scope: { kind: "rows" },
    metric: "pss",
    op: ">",
    amount: { kind: "kb", kb: 20 * MiB },
  });
  assert.deepEqual(fields("rss>+10%"), {
    scope: { kind: "rows" },
    metric: "rss",
    op: ">",
    amount: { kind: "percent", percent: 10 },
  });
  assert.deepEqual(fields("command[nginx].uss>+1M"), {
    scope: { kind: "named", view: "commands", name: "nginx" },
    metric: "uss",
    op: ">",
    amount: { kind: "kb", kb: MiB },
  });
  assert.deepEqual(fields("user[www-data].pss>=+100M"), {
    scope: { kind: "named", view: "users", name: "www-data" },
    metric: "pss",
    op: ">=",
    amount: { kind: "kb", kb: 100 * MiB },
  });
  assert.deepEqual(fields("map[/usr/lib/libc.so.6].rss>+1M"), {
    scope: { kind: "named", view: "mappings", name: "/usr/lib/libc.so.6" },
    metric: "rss",
    op: ">",
    amount: { kind: "kb", kb: MiB },
  });
  assert.deepEqual(fields("pid[1234].pss>+10%"), {
    scope: { kind: "named", view: "processes", name: "1234" },
    metric: "pss",
    op: ">",
    amount: { kind: "percent", percent: 10 },
  });
  assert.deepEqual(fields("pss<-50M"), {
    scope: { kind: "rows" },
    metric: "pss",
    op: "<",
    amount: { kind: "kb", kb: -50 * MiB },
  });
});

Deno.test("parseThreshold() reads every help example", () => {
  const examples = THRESHOLD_HELP.split("\n")
    .filter((line) => /^ {2}\S+ {2,}/.test(line) && !/^ {2}[A-Z]+ /.test(line))
    .map((line) => line.trim().split(/\s+/)[0]!);
  assert.equal(examples.length, 8);
  for (const example of examples) assert.equal(parse(example).text, example);
});

Deno.test("parseThreshold(): units are binary multiples of kB, in any case and spelling; none is kB", () => {
  const kb = (text: string) => {
    const { amount } = parse(`pss>${text}`);
    assert.equal(amount.kind, "kb", text);
    return amount.kind === "kb" ? amount.kb : NaN;
  };
  for (const text of ["5", "+5", "5K", "5k", "5KiB", "5kib", "5kB", "5KB", "5 K"]) {
    assert.equal(kb(text), 5, text);
  }
  assert.equal(kb("1.5M"), 1536);
  assert.equal(kb("1.5m"), 1536);
  assert.equal(kb("2MiB"), 2048);
  assert.equal(kb(".5G"), 512 * 1024);
  assert.equal(kb("1g"), 1024 ** 2);
  assert.equal(kb("1GiB"), 1024 ** 2);
  assert.equal(kb("1T"), 1024 ** 3);
  assert.equal(kb("1tib"), 1024 ** 3);
  assert.equal(kb("-3."), -3);
  assert.equal(kb("0"), 0);
  assert.deepEqual(parse("pss>-2.5%").amount, { kind: "percent", percent: -2.5 });
});

Deno.test("parseThreshold() allows white space around the parts", () => {
  assert.deepEqual(fields("  total . pss >= - 5 %  "), {
    scope: { kind: "total" },
    metric: "pss",
    op: ">=",
    amount: { kind: "percent", percent: -5 },
  });
  assert.deepEqual(fields("\tcommand[nginx]\t.\tuss\t<=\t+1\tM\t"), {
    scope: { kind: "named", view: "commands", name: "nginx" },
    metric: "uss",
    op: "<=",
    amount: { kind: "kb", kb: 1024 },
  });
});

Deno.test("parseThreshold(): a name is taken as written, dots, spaces and paired brackets included", () => {
  const scope = (text: string) => parse(text).scope;
  assert.deepEqual(scope("command[Web Content].pss>1M"), {
    kind: "named",
    view: "commands",
    name: "Web Content",
  });
  assert.deepEqual(scope("map[[heap]].rss>+1M"), {
    kind: "named",
    view: "mappings",
    name: "[heap]",
  });
  assert.deepEqual(scope("map[ld-2.31.so (deleted)].rss>1"), {
    kind: "named",
    view: "mappings",
    name: "ld-2.31.so (deleted)",
  });
  assert.deepEqual(scope("user[1000].pss>1"), { kind: "named", view: "users", name: "1000" });
  // The commands view has a "total" column (ps_mem's RAM used): a metric, not the totals.
  assert.deepEqual(fields("command[x].total>1"), {
    scope: { kind: "named", view: "commands", name: "x" },
    metric: "total",
    op: ">",
    amount: { kind: "kb", kb: 1 },
  });
});

Deno.test("parseThreshold() checks a metric against its scope's view", () => {
  // private is a column of the commands view, not of the processes view.
  assert.equal(parse("command[x].private>1M").metric, "private");
  assert.throws(() => parse("private>1M"), ThresholdError);
  // avgpss only in the mappings view.
  assert.equal(parse("map[[heap]].avgpss>1M").metric, "avgpss");
  assert.throws(() => parse("user[root].avgpss>1M"), ThresholdError);
});

Deno.test("parseThreshold() reads every expression docs/thresholds.md shows", async () => {
  const doc = await Deno.readTextFile(new URL("../../docs/thresholds.md", import.meta.url));
  const table = [...doc.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1]!);
  const quoted = [...doc.matchAll(/--fail-if '([^']+)'/g)].map((m) => m[1]!);
  assert.ok(table.length >= 10 && quoted.length >= 5);
  for (const text of [...table, ...quoted]) assert.equal(parse(text).text, text);
});

Deno.test("the grammar reads the same in docs/thresholds.md and in the module's comment", async () => {
  // The docs' indented block, the comment's " *     " lines.
  const grammar = (text: string, indent: RegExp) =>
    text.split("\n").filter((line) => indent.test(line)).map((line) =>
      line.replace(/^ \*/, "").trim().replace(/ +/g, " ")
    ).filter((line) => /^(threshold|scope|name|metric|op|amount|number|unit) =/.test(line));
  const doc = grammar(
    await Deno.readTextFile(new URL("../../docs/thresholds.md", import.meta.url)),
    /^ {4}\S/,
  );
  const source = grammar(
    await Deno.readTextFile(new URL("../../src/diff/threshold.ts", import.meta.url)),
    /^ \* {4,}\S/,
  );
  assert.equal(doc.length, 8);
  assert.deepEqual(doc, source);
});
