import assert from "node:assert/strict";
import { compilePythonRegex, RegexError } from "../../src/select/python_regex.ts";
import { python } from "../_helpers/python.ts";

/** (pattern, text) pairs whose re.search result memsnap must reproduce. */
const PAIRS: readonly (readonly [string, string])[] = [
  // Plain patterns, as smem users write them.
  ["firefox", "/usr/lib/firefox/firefox -contentproc"],
  // Where Python's meaning differs from JavaScript's, translated.
  ["a$", "a\n"],
  ["(?m)\\Afoo", "x\nfoo"],
  ["(?m)^foo$", "x\nfoo\r\n"],
  ["a.b", "a\rb"],
  ["a.b", "a\nb"],
  ["(?s)a.b", "a\nb"],
  ["a{,2}b", "aab"],
  ["(?i)(?m)^A$", "x\na\ny"],
  ["a(?#note)b", "ab"],
  ["firefox", "chromium"],
  ["^/usr/lib", "/usr/lib/x86_64-linux-gnu/libc.so.6"],
  ["^/usr/lib", "/opt/usr/lib"],
  ["\\.so", "libc.so.6"],
  ["\\.so$", "libc.so.6"],
  ["mem[ab]", "mema"],
  ["mem[ab]", "memc"],
  ["cow|filemap", "filemap-worker"],
  ["cow|filemap", "bash"],
  ["\\d+", "pid 1234"],
  ["\\bsh\\b", "/bin/sh -c x"],
  ["\\bsh\\b", "bash"],
  ["[\\w.]+\\.so", "ld-linux-x86-64.so.2"],
  ["a{2,3}", "caaat"],
  ["(?:ab)+c", "ababc"],
  ["x*?", "yyy"],
  ["\\(deleted\\)", "/memfd:a (deleted)"],
  ["\\\\", "a\\b"],
  ["[\\[\\]]", "[heap]"],
  ["^$", ""],
  ["\\s", "a b"],
  ["é", "café"],
  ["😀", "a😀b"],
  // Named groups and backreferences.
  ["(?P<word>ab+)-(?P=word)", "abb-abb"],
  ["(?P<word>ab+)-(?P=word)", "abb-ab"],
  ["(?P<a>x)(?P<b>y)(?P=b)(?P=a)", "xyyx"],
  ["(?P<a>x)(?P<b>y)(?P=b)(?P=a)", "xyxy"],
  ["(?P<n>\\d)\\1", "11"],
  ["(?P<n>\\d)\\1", "12"],
  // Leading inline flags.
  ["(?i)FIREFOX", "firefox"],
  ["(?i)^[A-Z]+$", "bash"],
  ["(?s)a.b", "a\nb"],
  ["a.b", "a\nb"],
  ["(?m)^b", "a\nb"],
  ["^b", "a\nb"],
  ["(?m)a$", "a\nb"],
  ["(?im)^B$", "a\nb\nc"],
  ["(?is)A.B", "a\nb"],
  ["(?a)\\w+", "abc"],
  ["(?u)\\w+", "abc"],
  // \A and \Z.
  ["\\Aabc", "abcd"],
  ["\\Aabc", "xabc"],
  ["abc\\Z", "xabc"],
  ["abc\\Z", "abc\n"],
  ["(?m)abc\\Z", "abc\nx"],
  ["(?m)abc\\Z", "x\nabc"],
  ["\\A\\Z", ""],
  // "]" first in a class is a literal, after "[" or "[^".
  ["[]]", "a]b"],
  ["[]]", "ab"],
  ["[]a]+", "]a]"],
  ["[^]a]", "]a"],
  ["[^]a]", "]ab"],
  ["x[]y]z", "x]z"],
  // Escapes inside classes are left alone; Python-only tokens there are text.
  ["[\\]]", "]"],
  ["[a\\]b]+", "]b"],
  ["[\\\\]", "\\"],
  ["[\\d]", "5"],
  ["[(?P<]+", "(?P<"],
  ["[A]", "A"],
  ["[\\^]", "^"],
  ["\\[(?P<x>a)\\]", "[a]"],
  ["\\(?P<x>", "(?P<x>"],
];

Deno.test("compilePythonRegex() matches as Python's re.search does, pair by pair", async () => {
  const expected = await python<(string | null)[]>(
    `import json, re, sys
out = []
for pattern, text in json.load(sys.stdin):
    m = re.search(pattern, text)
    out.append(None if m is None else m.group(0))
print(json.dumps(out))`,
    PAIRS,
  );
  assert.equal(expected.length, PAIRS.length);
  PAIRS.forEach(([pattern, text], i) => {
    const match = compilePythonRegex(pattern).exec(text);
    assert.equal(
      match === null ? null : match[0],
      expected[i],
      `re.search(${JSON.stringify(pattern)}, ${JSON.stringify(text)})`,
    );
  });
});

/** Patterns Python's re refuses and memsnap must refuse too. */
const INVALID = [
  "(",
  "a)",
  "[]",
  "[a",
  "*a",
  "a**",
  "(?P<1x>a)",
  "(?P<a>x)(?P<a>y)",
  "a(?i)b",
  "(?L)a",
];

Deno.test("compilePythonRegex() refuses with a RegexError what Python's re refuses", async () => {
  const refused = await python<boolean[]>(
    `import json, re, sys
def refused(pattern):
    try:
        re.compile(pattern)
        return False
    except re.error:
        return True
print(json.dumps([refused(p) for p in json.load(sys.stdin)]))`,
    INVALID,
  );
  assert.deepEqual(refused, INVALID.map(() => true));
  for (const pattern of INVALID) {
    assert.throws(() => compilePythonRegex(pattern), RegexError, pattern);
  }
});

Deno.test("compilePythonRegex() refuses inline flags JavaScript cannot do (x, L)", () => {
  assert.throws(() => compilePythonRegex("(?x)a b"), {
    name: "RegexError",
    message: 'the inline flag "x" has no JavaScript equivalent',
  });
  assert.throws(() => compilePythonRegex("(?ix)a"), {
    name: "RegexError",
    message: 'the inline flag "x" has no JavaScript equivalent',
  });
  assert.throws(() => compilePythonRegex("(?L)a"), {
    name: "RegexError",
    message: 'the inline flag "L" has no JavaScript equivalent',
  });
});

Deno.test("compilePythonRegex() gives the engine's reason without its prefix", () => {
  assert.throws(() => compilePythonRegex("("), (error: unknown) => {
    assert.ok(error instanceof RegexError);
    assert.equal(error.name, "RegexError");
    assert.doesNotMatch(error.message, /^Invalid regular expression/);
    assert.match(error.message, /Unterminated group/);
    return true;
  });
});

Deno.test("compilePythonRegex() reads leading inline flags, one group or several", () => {
  assert.equal(compilePythonRegex("(?i)abc").flags, "i");
  assert.equal(compilePythonRegex("(?ii)abc").flags, "i");
  assert.equal(compilePythonRegex("(?a)abc").flags, "");
  assert.equal(compilePythonRegex("abc").flags, "");
  // m and s are carried by the translation of ^, $ and ".", not by flags.
  for (const pattern of ["(?ims)^B.c$", "(?i)(?m)(?s)^B.c$"]) {
    const regex = compilePythonRegex(pattern);
    assert.equal(regex.test("a\nb\nc\nd"), true, pattern);
    assert.equal(regex.test("a\nbxc d"), false, pattern);
  }
});

Deno.test("compilePythonRegex() translates named groups, backreferences, \\A, \\Z, {,n} and comments", () => {
  assert.equal(compilePythonRegex("(?P<x>a)(?P=x)").source, "(?<x>a)\\k<x>");
  assert.equal(compilePythonRegex("[]a]").source, "[\\]a]");
  assert.equal(compilePythonRegex("[^]a]").source, "[^\\]a]");
  assert.equal(compilePythonRegex("[\\A\\Z]").source, "[\\A\\Z]");
  assert.equal(compilePythonRegex("(?P<x>[(?P=x)])").source, "(?<x>[(?P=x)])");
  const cases: [string, string, boolean][] = [
    ["\\Aa", "ba", false],
    ["(?m)\\Afoo", "x\nfoo", false],
    ["(?m)^foo", "x\nfoo", true],
    ["a\\Z", "a\n", false],
    ["a$", "a\n", true],
    ["a$", "a\nb", false],
    ["a.b", "a\rb", true],
    ["a.b", "a\nb", false],
    ["a{,2}b", "aab", true],
    ["a(?#note)b", "ab", true],
  ];
  for (const [pattern, text, expected] of cases) {
    assert.equal(
      compilePythonRegex(pattern).test(text),
      expected,
      `${pattern} on ${JSON.stringify(text)}`,
    );
  }
});
