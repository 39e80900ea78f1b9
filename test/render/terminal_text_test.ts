import assert from "node:assert/strict";
import { jsonText, terminalText, visibleForm } from "../../src/render/terminal_text.ts";

Deno.test("terminalText() writes C0, DEL and C1 controls as Python's repr does: \\x1b, \\t, \\n, \\r", () => {
  assert.equal(
    terminalText("evil\x1b]0;pwned\x07\x1b[2J\rX\x9bY\x7f\x00\t\n"),
    "evil\\x1b]0;pwned\\x07\\x1b[2J\\rX\\x9bY\\x7f\\x00\\t\\n",
  );
  assert.equal(terminalText("\x85\x9f\x80"), "\\x85\\x9f\\x80");
});

Deno.test("terminalText() writes bidi overrides, zero-width and other format characters, separators and lone surrogates as \\u and \\U", () => {
  assert.equal(
    terminalText("a\u202eb\u2066c\u200bd\u200fe\ufeff"),
    "a\\u202eb\\u2066c\\u200bd\\u200fe\\ufeff",
  );
  assert.equal(terminalText("x\u2028y\u2029z\u00adw"), "x\\u2028y\\u2029z\\xadw");
  assert.equal(terminalText("tag\u{e0041}"), "tag\\U000e0041");
  assert.equal(terminalText("half\ud800"), "half\\ud800");
});

Deno.test("terminalText() leaves ordinary names as they are, backslashes and any script included", () => {
  for (
    const name of [
      "/usr/bin/python3 /opt/memwork/app.py --flag=1",
      "C:\\x1b is text, not an escape",
      "café 東京 😀 Ελλάδα עברית",
      "non\u00a0breaking\u3000spaces",
      "",
    ]
  ) {
    assert.equal(terminalText(name), name);
  }
});

Deno.test("terminalText() leaves no character a terminal acts on, over every code point", () => {
  const unsafe = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
  for (let code = 0; code <= 0x10ffff; code++) {
    // A lone surrogate is one UTF-16 unit; fromCodePoint would refuse nothing here.
    const char = code >= 0xd800 && code <= 0xdfff
      ? String.fromCharCode(code)
      : String.fromCodePoint(code);
    const shown = terminalText(char);
    assert.ok(!unsafe.test(shown), `U+${code.toString(16)} shows as ${JSON.stringify(shown)}`);
    // A character is shown as it is, or in its visible form.
    assert.ok(shown === char || shown === visibleForm(char), `U+${code.toString(16)}`);
  }
});

Deno.test("jsonText() writes what a terminal would act on as \\u escapes; JSON readers get the exact text", () => {
  const value = { command: "evil\x1b]0;x\x07\x9b\u202e\x7f\u{e0041}", n: 1 };
  const text = jsonText(value);
  assert.equal(
    text,
    '{\n  "command": "evil\\u001b]0;x\\u0007\\u009b\\u202e\\u007f\\udb40\\udc41",\n  "n": 1\n}',
  );
  assert.deepEqual(JSON.parse(text), value);
});
