import assert from "node:assert/strict";
import {
  amountMetricIds,
  parseThreshold,
  type Threshold,
  THRESHOLD_HELP,
  ThresholdError,
  type ThresholdView,
} from "../../src/diff/threshold.ts";
import { commandView } from "../../src/view/commands.ts";
import { mappingView } from "../../src/view/mappings.ts";
import { processView } from "../../src/view/processes.ts";
import { userView } from "../../src/view/users.ts";

/** What the CLI gives the parser: the memory columns of each view, processes shown. */
const SPECS = {
  shown: processView,
  processes: processView,
  commands: commandView,
  users: userView,
  mappings: mappingView,
} as const;
const known = (view: ThresholdView) => amountMetricIds(Object.values(SPECS[view].columns));
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

/** The error a text raises: its message and the lines under it. */
function refusal(text: string): string[] {
  try {
    parse(text);
  } catch (error) {
    if (!(error instanceof ThresholdError)) throw error;
    return [error.message, ...error.details];
  }
  assert.fail(`"${text}" was accepted`);
}

const PROCESS_METRICS = `Known metrics: ${known("shown").join(", ")}`;

Deno.test("parseThreshold() refuses an unknown unit, with a caret under it", () => {
  assert.deepEqual(refusal("pss>+20X"), [
    'Invalid --fail-if "pss>+20X": unknown unit "X" (expected K, M, G, T or %)',
    "  pss>+20X",
    "         ^",
  ]);
  assert.deepEqual(refusal("pss>5MB%"), [
    'Invalid --fail-if "pss>5MB%": unknown unit "MB%" (expected K, M, G, T or %)',
    "  pss>5MB%",
    "       ^^^",
  ]);
  assert.deepEqual(refusal("pss > 5 %%"), [
    'Invalid --fail-if "pss > 5 %%": unknown unit "%%" (expected K, M, G, T or %)',
    "  pss > 5 %%",
    "          ^^",
  ]);
});

Deno.test("parseThreshold() refuses an unknown scope, suggesting a near one", () => {
  const expected = "(expected total, command[NAME], user[NAME], map[NAME] or pid[N])";
  assert.deepEqual(refusal("cmd[nginx].pss>1M"), [
    `Invalid --fail-if "cmd[nginx].pss>1M": unknown scope "cmd" ${expected}`,
    "  cmd[nginx].pss>1M",
    "  ^^^",
  ]);
  assert.deepEqual(refusal("commands[nginx].pss>1M"), [
    `Invalid --fail-if "commands[nginx].pss>1M": unknown scope "commands" (did you mean "command"?) ${expected}`,
    "  commands[nginx].pss>1M",
    "  ^^^^^^^^",
  ]);
  assert.deepEqual(refusal(" totl.pss>5%"), [
    `Invalid --fail-if " totl.pss>5%": unknown scope "totl" (did you mean "total"?) ${expected}`,
    "   totl.pss>5%",
    "   ^^^^",
  ]);
  assert.deepEqual(refusal("total[x].pss>5%"), [
    `Invalid --fail-if "total[x].pss>5%": total takes no name ${expected}`,
    "  total[x].pss>5%",
    "  ^^^^^",
  ]);
  assert.deepEqual(refusal("command.pss>5%"), [
    `Invalid --fail-if "command.pss>5%": command needs a name: command[NAME] ${expected}`,
    "  command.pss>5%",
    "  ^^^^^^^",
  ]);
  assert.deepEqual(
    refusal("pid.pss>5%")[0],
    `Invalid --fail-if "pid.pss>5%": pid needs a name: pid[N] ${expected}`,
  );
  assert.deepEqual(refusal("[nginx].pss>1M"), [
    `Invalid --fail-if "[nginx].pss>1M": missing scope before "[" ${expected}`,
    "  [nginx].pss>1M",
    "  ^",
  ]);
  assert.deepEqual(refusal(".pss>1M"), [
    `Invalid --fail-if ".pss>1M": missing scope before "." ${expected}`,
    "  .pss>1M",
    "  ^",
  ]);
});

Deno.test('parseThreshold() refuses an unclosed "[", an empty name, a pid that is not a number, a missing "."', () => {
  assert.deepEqual(refusal("command[nginx.pss>1M"), [
    'Invalid --fail-if "command[nginx.pss>1M": unclosed "[" (expected "]" after the name)',
    "  command[nginx.pss>1M",
    "         ^",
  ]);
  assert.deepEqual(refusal("map[[heap].rss>1M"), [
    'Invalid --fail-if "map[[heap].rss>1M": unclosed "[" (expected "]" after the name)',
    "  map[[heap].rss>1M",
    "     ^",
  ]);
  assert.deepEqual(refusal("user[].pss>1M"), [
    'Invalid --fail-if "user[].pss>1M": empty name in user[]',
    "  user[].pss>1M",
    "      ^^",
  ]);
  assert.deepEqual(refusal("pid[nginx].pss>1M"), [
    'Invalid --fail-if "pid[nginx].pss>1M": expected a process ID in pid[], not "nginx"',
    "  pid[nginx].pss>1M",
    "      ^^^^^",
  ]);
  assert.deepEqual(refusal("command[nginx]pss>1M"), [
    'Invalid --fail-if "command[nginx]pss>1M": expected "." and a metric after command[nginx]',
    "  command[nginx]pss>1M",
    "                ^",
  ]);
});

Deno.test("parseThreshold() refuses an unknown or missing metric, listing the known ones", () => {
  assert.deepEqual(refusal("psss>1M"), [
    'Invalid --fail-if "psss>1M": unknown metric "psss" (did you mean "pss"?)',
    "  psss>1M",
    "  ^^^^",
    PROCESS_METRICS,
  ]);
  assert.deepEqual(refusal("total.PSS>1M"), [
    'Invalid --fail-if "total.PSS>1M": unknown metric "PSS" (did you mean "pss"?)',
    "  total.PSS>1M",
    "        ^^^",
    PROCESS_METRICS,
  ]);
  assert.deepEqual(refusal("user[root].memory>1M"), [
    'Invalid --fail-if "user[root].memory>1M": unknown metric "memory"',
    "  user[root].memory>1M",
    "             ^^^^^^",
    `Known metrics of the users view: ${known("users").join(", ")}`,
  ]);
  assert.deepEqual(refusal("total.>5%"), [
    'Invalid --fail-if "total.>5%": missing metric',
    "  total.>5%",
    "        ^",
    PROCESS_METRICS,
  ]);
  assert.deepEqual(refusal(""), [
    'Invalid --fail-if "": missing metric',
    "  ",
    "  ^",
    PROCESS_METRICS,
  ]);
});

Deno.test("parseThreshold() refuses a missing or unknown operator", () => {
  assert.deepEqual(refusal("pss"), [
    'Invalid --fail-if "pss": missing operator after "pss" (expected >, >=, < or <=)',
    "  pss",
    "     ^",
  ]);
  assert.deepEqual(refusal("pss 20M"), [
    'Invalid --fail-if "pss 20M": missing operator after "pss" (expected >, >=, < or <=)',
    "  pss 20M",
    "      ^",
  ]);
  assert.deepEqual(refusal("pss=>20M"), [
    'Invalid --fail-if "pss=>20M": unknown operator "=>" (expected >, >=, < or <=)',
    "  pss=>20M",
    "     ^^",
  ]);
  assert.deepEqual(
    refusal("pss==20M")[0],
    'Invalid --fail-if "pss==20M": unknown operator "==" (expected >, >=, < or <=)',
  );
  assert.deepEqual(
    refusal("pss>>20M")[0],
    'Invalid --fail-if "pss>>20M": unknown operator ">>" (expected >, >=, < or <=)',
  );
  assert.deepEqual(refusal("pss!=0")[2], "     ^^");
});

Deno.test("parseThreshold() refuses a missing amount or a bad number", () => {
  assert.deepEqual(refusal("pss>"), [
    'Invalid --fail-if "pss>": missing amount after ">" (for example +20M or +5%)',
    "  pss>",
    "      ^",
  ]);
  assert.deepEqual(refusal("pss >= - "), [
    'Invalid --fail-if "pss >= - ": missing amount after ">=-" (for example +20M or +5%)',
    "  pss >= - ",
    "           ^",
  ]);
  assert.deepEqual(refusal("pss>+abc"), [
    'Invalid --fail-if "pss>+abc": bad number "abc" (expected digits, as in +20M or +5%)',
    "  pss>+abc",
    "       ^^^",
  ]);
  assert.deepEqual(refusal("pss>1.2.3M"), [
    'Invalid --fail-if "pss>1.2.3M": bad number "1.2.3" (expected digits, as in +20M or +5%)',
    "  pss>1.2.3M",
    "      ^^^^^",
  ]);
  assert.deepEqual(
    refusal("pss>+-5M")[0],
    'Invalid --fail-if "pss>+-5M": bad number "-5M" (expected digits, as in +20M or +5%)',
  );
  assert.deepEqual(refusal("pss>.M")[2], "      ^");
});

Deno.test("parseThreshold() refuses trailing text: one threshold per --fail-if", () => {
  assert.deepEqual(refusal("pss>+20M rss>+1M"), [
    'Invalid --fail-if "pss>+20M rss>+1M": trailing text "rss>+1M" (one threshold per --fail-if)',
    "  pss>+20M rss>+1M",
    "           ^^^^^^^",
  ]);
  assert.deepEqual(refusal("pss>5%,rss>1M")[2], "        ^^^^^^^");
  assert.deepEqual(refusal("pss>20M5")[2], "         ^");
});

Deno.test("ThresholdError lines the caret up after a tab and an emoji (one code point), and shows control characters as ?", () => {
  assert.deepEqual(refusal("\tpss>+20X").slice(1), [
    "  \tpss>+20X",
    "  \t       ^",
  ]);
  assert.deepEqual(refusal("command[😀x].pss>+1Q").slice(1), [
    "  command[😀x].pss>+1Q",
    "                    ^",
  ]);
  assert.deepEqual(refusal("pss>\n1M foo"), [
    'Invalid --fail-if "pss>?1M foo": trailing text "foo" (one threshold per --fail-if)',
    "  pss>?1M foo",
    "          ^^^",
  ]);
});
