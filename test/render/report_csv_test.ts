import assert from "node:assert/strict";
import { csvText, renderCsv } from "../../src/render/report_csv.ts";
import type { ColumnInfo, Table } from "../../src/view/table.ts";

function info(id: string, total: ColumnInfo["total"]): ColumnInfo {
  return {
    id,
    header: id.toUpperCase(),
    description: id,
    layout: { align: "right", width: 8, truncate: false },
    quantity: id === "command" ? "text" : "memory",
    total,
  };
}

const TABLE: Table = {
  columns: [info("pid", "count"), info("command", "none"), info("pss", "sum"), info("swap", "sum")],
  rows: [
    [1, "/sbin/init", 1234567, 0],
    [42, 'sh -c "echo a, b"', 8, undefined],
  ],
  totals: [2, "not shown", 1234575, 0],
};

Deno.test("renderCsv() writes a header of column ids, raw kB rows, unknown values empty", () => {
  assert.equal(
    renderCsv(TABLE, { header: true, totals: false }),
    "pid,command,pss,swap\n" +
      "1,/sbin/init,1234567,0\n" +
      '42,"sh -c ""echo a, b""",8,\n',
  );
});

Deno.test("renderCsv() leaves the header row out with header: false", () => {
  assert.equal(
    renderCsv(TABLE, { header: false, totals: false }),
    "1,/sbin/init,1234567,0\n" +
      '42,"sh -c ""echo a, b""",8,\n',
  );
});

Deno.test("renderCsv() adds a totals row with totals: true, blank where a column has no total", () => {
  assert.equal(
    renderCsv(TABLE, { header: true, totals: true }),
    "pid,command,pss,swap\n" +
      "1,/sbin/init,1234567,0\n" +
      '42,"sh -c ""echo a, b""",8,\n' +
      "2,,1234575,0\n",
  );
});

Deno.test("renderCsv() writes an unknown total as an empty field", () => {
  const table: Table = { ...TABLE, rows: [], totals: [0, undefined, undefined, undefined] };
  assert.equal(renderCsv(table, { header: true, totals: true }), "pid,command,pss,swap\n0,,,\n");
  assert.equal(renderCsv(table, { header: false, totals: false }), "");
});

Deno.test("renderCsv() neutralises text cells a spreadsheet would run as formulas (OWASP: = + - @ tab CR); numbers stay numbers", () => {
  const table: Table = {
    ...TABLE,
    rows: [
      [1, '=HYPERLINK("http://x.invalid")', -12, 0],
      [2, "=cmd|' /C calc'!A0", 8, -3],
      [3, "+1+1", 0, 0],
      [4, "-bash", 0, 0],
      [5, "@SUM(A1)", 0, 0],
      [6, "\tx", 0, 0],
      [7, "\r=1", 0, 0],
      [8, "a=b -c @d", 0, 0],
    ],
  };
  assert.equal(
    renderCsv(table, { header: false, totals: false }),
    [
      `1,"'=HYPERLINK(""http://x.invalid"")",-12,0`,
      "2,'=cmd|' /C calc'!A0,8,-3",
      "3,'+1+1,0,0",
      "4,'-bash,0,0",
      "5,'@SUM(A1),0,0",
      "6,'\tx,0,0",
      // A carriage return in a cell is quoted (RFC 4180).
      `7,"'\r=1",0,0`,
      "8,a=b -c @d,0,0",
      "",
    ].join("\n"),
  );
});

Deno.test("csvText() quotes a cell holding a carriage return, and only what RFC 4180 asks", () => {
  assert.equal(
    csvText([["a\rb", "c,d", 'e"f', "g\nh", "plain", 7]]),
    '"a\rb","c,d","e""f","g\nh",plain,7\n',
  );
});
