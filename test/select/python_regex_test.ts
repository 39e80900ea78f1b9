import assert from "node:assert/strict";
import {
  RegexError,
  type TextMatcher,
  translatePythonRegex,
} from "../../src/select/python_regex.ts";
import { compileRe2 } from "../../src/select/re2_matcher.ts";
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
  // Named groups.
  ["(?P<word>ab+)-(?P<n>\\d)", "abb-1"],
  ["(?P<é>a)", "a"],
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
  // $ without (?m): at the end, or before a final newline only.
  ["a$", "a\n\n"],
  ["a$", "x\na\n"],
  ["a$|b", "ab"],
  ["(a$)", "a\n"],
  // Scoped flags.
  ["(?i:A)b", "ab"],
  ["(?i:A)b", "aB"],
  ["(?m:^b$)", "a\nb\nc"],
  ["(?m)(?-m:^b$)", "a\nb\nc"],
  ["(?m:b$)|c$", "a\nb\nc"],
  ["(?s:a.)b", "a\nb"],
  ["(?a:\\w+)", "abc"],
  ["(?#first)(?i)A", "a"],
  // \s is Python's whitespace, Unicode's included.
  ["\\s", "\u000b"],
  ["\\s", "\u001c"],
  ["\\s", "\u00a0"],
  ["\\s", "\u3000"],
  ["\\S", "\u2000"],
  ["\\S", "\u2000x"],
  ["[\\s]", "\u0085"],
  ["[^\\s]", "\u0085"],
  // Escapes for one character.
  ["\\x41", "A"],
  ["\\u00e9", "café"],
  ["\\U0001F600", "a😀b"],
  ["\\101", "A"],
  ["\\0", "a\u0000"],
  ["\\012", "\n"],
  ["[\\1]", "\u0001"],
  ["[\\b]", "\b"],
  ["\\-\\ \\é", "- é"],
  ["\\{", "{"],
  // A "[" in a class is a literal (RE2 would read a POSIX class).
  ["[[:alpha:]]", "a]"],
  ["[[:alpha:]]", "b"],
  // Braces: a repeat, or a literal.
  ["a{,}b", "b"],
  ["a{}", "a{}"],
  ["a{2}", "a{2}"],
  ["a{x}", "a{x}"],
  ["a{1,", "a{1,"],
  // Nested repeats run in linear time; Python's answer is quick on short texts.
  ["(a+)+$", "aaaaaaaaaa!"],
  ["(a+)+$|!", "aaaaaaaaaa!"],
  ["(a|aa)+b", "aaaaaaaaab"],
];

/** -P, -U or -M's matcher for a Python pattern: translated, then compiled by RE2. */
function matcher(pattern: string): TextMatcher {
  return compileRe2(translatePythonRegex(pattern));
}

Deno.test("A translated pattern finds what Python's re.search finds, pair by pair", async () => {
  const expected = await python<boolean[]>(
    `import json, re, sys
print(json.dumps([re.search(p, t) is not None for p, t in json.load(sys.stdin)]))`,
    PAIRS,
  );
  assert.equal(expected.length, PAIRS.length);
  PAIRS.forEach(([pattern, text], i) => {
    assert.equal(
      matcher(pattern).test(text),
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
  "(?i:a)(?i)",
  "(?L)a",
  "(?<n>a)",
  "(?P>a)",
  "\\q",
  "\\z",
  "\\x{41}",
  "\\xg",
  "[\\8]",
  "[\\A]",
  "\\",
  "(?#unterminated",
];

Deno.test("memsnap refuses with a RegexError what Python's re refuses", async () => {
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
    assert.throws(() => matcher(pattern), RegexError, pattern);
  }
});

const LINEAR = "memsnap matches in linear time (RE2), without backreferences or lookaround";

/** Patterns Python runs by backtracking, refused with these reasons. */
const BACKTRACKING: readonly (readonly [string, string])[] = [
  ["(a)\\1", `backreference "\\1" not supported: ${LINEAR}`],
  ["(?P<n>\\d)\\1", `backreference "\\1" not supported: ${LINEAR}`],
  ["(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10", `backreference "\\10" not supported: ${LINEAR}`],
  ["(?P<w>ab+)-(?P=w)", `backreference "(?P=w)" not supported: ${LINEAR}`],
  ["fire(?=fox)", `lookahead "(?=" not supported: ${LINEAR}`],
  ["fire(?!fox)", `negative lookahead "(?!" not supported: ${LINEAR}`],
  ["(?<=lib)c", `lookbehind "(?<=" not supported: ${LINEAR}`],
  ["(?<!lib)c", `negative lookbehind "(?<!" not supported: ${LINEAR}`],
  ["(a)?(?(1)b|c)", `conditional group "(?(" not supported: ${LINEAR}`],
  ["(?>a+)b", `atomic group "(?>" not supported: ${LINEAR}`],
  ["a++", `possessive quantifier "++" not supported: ${LINEAR}`],
  ["a*+", `possessive quantifier "*+" not supported: ${LINEAR}`],
  ["a?+", `possessive quantifier "?+" not supported: ${LINEAR}`],
  ["a{2,}+", `possessive quantifier "{2,}+" not supported: ${LINEAR}`],
];

Deno.test("translatePythonRegex() refuses, with the reason, what Python accepts but only backtracking can match", async () => {
  const accepted = await python<boolean[]>(
    `import json, re, sys
def accepted(pattern):
    try:
        re.compile(pattern)
        return True
    except re.error:
        return False
print(json.dumps([accepted(p) for p, _ in json.load(sys.stdin)]))`,
    BACKTRACKING,
  );
  assert.deepEqual(accepted, BACKTRACKING.map(() => true));
  for (const [pattern, message] of BACKTRACKING) {
    assert.throws(() => translatePythonRegex(pattern), { name: "RegexError", message }, pattern);
  }
});

Deno.test("translatePythonRegex() refuses what Python has and RE2 has not: (?x), \\N{...}", () => {
  for (const pattern of ["(?x)a b", "(?ix)a", "(?x:a b)"]) {
    assert.throws(() => translatePythonRegex(pattern), {
      name: "RegexError",
      message: 'the inline flag "x" is not supported',
    });
  }
  assert.throws(() => translatePythonRegex("\\N{EM DASH}"), {
    name: "RegexError",
    message: 'named characters ("\\N{...}") are not supported',
  });
  assert.throws(() => translatePythonRegex("(?L)a"), {
    name: "RegexError",
    message: 'the inline flag "L" is not supported',
  });
});

Deno.test("compileRe2() gives RE2's reason, without its prefix, quoted as memsnap quotes", () => {
  const cases: [string, string][] = [
    ["(", 'missing closing ): "("'],
    ["a)", 'unexpected ): "a)"'],
    ["*a", 'missing argument to repetition operator: "*"'],
    ["a{1001}", 'invalid repeat count: "{1001}"'],
    ["[z-a]", 'invalid character class range: "z-a"'],
  ];
  for (const [pattern, message] of cases) {
    assert.throws(() => matcher(pattern), { name: "RegexError", message }, pattern);
  }
});

Deno.test("translatePythonRegex() writes RE2's syntax: flags first, $ before a final newline, \\Z, {,n}, comments dropped", () => {
  const cases: [string, string][] = [
    ["(?i)(?m)(?s)^B.c$", "(?ims)^B.c$"],
    ["(?a)abc", "abc"],
    ["abc$", "abc(?:\\n?\\z)"],
    ["(?m:a$)b$", "(?m:a$)b(?:\\n?\\z)"],
    ["\\Aabc\\Z", "\\Aabc\\z"],
    ["a{,2}b{,}", "a{0,2}b{0,}"],
    ["a(?#note)b", "ab"],
    ["[]a][^]a]", "[\\]a][^\\]a]"],
    ["[[:alpha:]]", "[\\[:alpha:]]"],
    ["(?P<x>[(?P=x)])", "(?:[(?P=x)])"],
    ["\\101\\u00e9\\.", "\\x{41}\\x{00e9}\\x{2e}"],
  ];
  for (const [pattern, re2] of cases) {
    assert.deepEqual(translatePythonRegex(pattern), { source: pattern, re2 }, pattern);
  }
});

/** Texts on which a backtracking engine takes exponential time, with Python's answer. */
const CATASTROPHIC: readonly (readonly [string, string, boolean])[] = [
  ["(a+)+$", "a".repeat(40) + "!", false],
  ["(a+)+$|!", "a".repeat(40) + "!", true],
  ["^(a|aa)+$", "a".repeat(60) + "!", false],
  ["(x+x+)+y", "x".repeat(50), false],
  ["(\\w+\\s?)+$", "word ".repeat(30) + "!", false],
  ["(.*a){25}", "a".repeat(25), true],
  ["(.*a){25}", "a".repeat(24) + "b".repeat(1000), false],
];

Deno.test("A pattern that makes a backtracking engine take exponential time gets the right answer", () => {
  for (const [pattern, text, expected] of CATASTROPHIC) {
    assert.equal(matcher(pattern).test(text), expected, `${pattern} on ${text.slice(0, 12)}…`);
  }
});
