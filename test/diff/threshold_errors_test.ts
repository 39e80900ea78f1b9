import assert from "node:assert/strict";
import { parseThreshold, ThresholdError } from "../../src/diff/threshold.ts";
import { knownMetrics as known } from "../_helpers/threshold.ts";

const parse = (text: string) => parseThreshold(text, known);

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
