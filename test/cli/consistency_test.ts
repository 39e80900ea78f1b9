/**
 * One parser and one message shape for every command (issue: the
 * application layer): prefixes, values that start with "-", bundled short
 * flags, unknown options, view names and help work the same everywhere.
 * Run as a program, so that the compiled binary is held to it too.
 */

import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { SUBCOMMANDS } from "../../src/cli/commands.ts";
import { memsnapProcess, ROOT } from "../_helpers/memsnap.ts";

const N8 = `${ROOT}fixtures/captures/n8.tar.gz`;
const N60 = `${ROOT}fixtures/captures/n60.tar.gz`;
const RECORDING = `${ROOT}fixtures/archives/v1-recording.tar.gz`;

async function ok0(args: readonly string[]): Promise<string> {
  const { code, stdout, stderr } = await memsnapProcess(args);
  strictEqual(code, 0, `${args.join(" ")}: ${stderr}`);
  return stdout;
}

async function usage(args: readonly string[]): Promise<string[]> {
  const { code, stdout, stderr } = await memsnapProcess(args);
  deepStrictEqual([code, stdout], [2, ""], `${args.join(" ")}: ${stderr}`);
  return stderr.trimEnd().split("\n");
}

Deno.test("unique prefixes of long options work in every command", async () => {
  const pids = (json: string) => JSON.parse(json).rows.map((row: { pid: number }) => row.pid);
  const diff = await ok0(["diff", N8, N60, "--format", "json", "-c", "pid pss"]);
  const reversed = await ok0(["diff", N8, N60, "--format", "json", "-c", "pid pss", "--rev"]);
  deepStrictEqual(pids(reversed), pids(diff).toReversed());
  match(await ok0(["diff", N8, N60, "--tot"]), /\n-{20,}\n/);
  const dir = await Deno.makeTempDir({ prefix: "memsnap-consistency-" });
  try {
    await ok0(["record", "-o", `${dir}/r.tar.gz`, "-S", N8, "-i", "50ms", "--coun", "2"]);
    strictEqual(
      JSON.parse(await ok0(["list", `${dir}/r.tar.gz`, "--form", "json"])).snapshots
        .length,
      2,
    );
    await ok0(["chart", RECORDING, "--wid", "600", "-o", `${dir}/t.vl.json`]);
    strictEqual(JSON.parse(await Deno.readTextFile(`${dir}/t.vl.json`)).width, 600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an option's value may start with '-' in every command (memsnap diff -P -bash)", async () => {
  const diff = JSON.parse(await ok0(["diff", N8, N60, "-P", "-bash", "--format", "json"]));
  deepStrictEqual(diff.rows, []);
});

Deno.test("a bad letter in a bundle of short flags is named", async () => {
  for (const [flags, letter] of [["-tx", "-x"], ["-n5", "-5"], ["-k9", "-9"]]) {
    deepStrictEqual((await usage(["-S", N8, flags!]))[0], `memsnap: Unknown option "${letter}"`);
  }
});

Deno.test("an unknown option gets one shape in every command, pointing at its own help", async () => {
  for (const command of ["", ...SUBCOMMANDS.map((c) => c.name)]) {
    const name = command === "" ? "memsnap" : `memsnap ${command}`;
    const lines = await usage([...(command === "" ? [] : [command]), "--bogus"]);
    deepStrictEqual(lines, [
      `${name}: Unknown option "--bogus"`,
      `Try "${name} --help" for more information.`,
    ]);
  }
  // The nearest option is offered.
  deepStrictEqual(
    (await usage(["diff", N8, N60, "--peek"]))[0],
    'memsnap diff: Unknown option "--peek" (did you mean "--peak"?)',
  );
});

Deno.test("a view is named the same way everywhere: its id, or an alias", async () => {
  const chart = (by: string) =>
    memsnapProcess(["chart", RECORDING, "--by", by, "-o", "/dev/null/never.vl.json"]);
  // Both spellings are taken (the chart's file then cannot be written: exit 1, not 2).
  for (const by of ["command", "commands"]) strictEqual((await chart(by)).code, 1, by);
  for (const by of ["command", "commands"]) {
    strictEqual(
      JSON.parse(await ok0(["diff", N8, N60, "--by", by, "--format", "json"])).view,
      "commands",
    );
    strictEqual(JSON.parse(await ok0(["-S", N8, "--by", by, "--format", "json"])).view, "commands");
  }
  deepStrictEqual(
    (await usage(["-S", N8, "--by", "comands"]))[0],
    'memsnap: Unknown view "comands" (did you mean "commands"?): expected "processes", "users", "mappings", "system", "cgroups", "commands", "process-tree", "system-tree", "process", "user", "mapping", "maps", "cgroup", "command", "programs", "program", "tree"',
  );
});

Deno.test("a mistyped column or sort field offers the nearest one", async () => {
  deepStrictEqual(
    (await usage(["-S", N8, "-s", "psss"]))[0],
    'memsnap: Unknown sort field "psss" for the processes view (did you mean "pss"?)',
  );
  deepStrictEqual(
    (await usage(["-S", N8, "-c", "pid psss"]))[0],
    'memsnap: Unknown column "psss" for the processes view (did you mean "pss"?)',
  );
  deepStrictEqual(
    (await usage(["diff", N8, N60, "-c", "pid psss"]))[0],
    'memsnap diff: Unknown column "psss" for the processes view (did you mean "pss"?)',
  );
});

Deno.test("memsnap list DIR says it is a directory, in one line", async () => {
  const { code, stdout, stderr } = await memsnapProcess(["list", ROOT]);
  deepStrictEqual([code, stdout, stderr], [
    1,
    "",
    `memsnap: Cannot open "${ROOT}": not a regular file (a directory)\n`,
  ]);
});

Deno.test("memsnap help [COMMAND] is the command's --help", async () => {
  strictEqual(await ok0(["help"]), await ok0(["--help"]));
  for (const { name } of SUBCOMMANDS) {
    const help = await ok0(["help", name]);
    strictEqual(help, await ok0([name, "--help"]));
    ok(help.startsWith(`memsnap ${name}: `), name);
    match(help, /\nExamples:\n {2}/);
  }
  deepStrictEqual(
    (await usage(["help", "bogus"]))[0],
    'memsnap help: Unknown command "bogus": expected "capture", "record", "list", "top", "diff", "serve", "ui", "chart", "capture-script", "chart-render"',
  );
  // memsnap's own help lists every command.
  const help = await ok0(["--help"]);
  for (const { name } of SUBCOMMANDS) ok(help.includes(`\n  ${name} `), name);
});

Deno.test("a report renders in every format: Markdown too", async () => {
  const markdown = await ok0(["-S", N8, "-u", "--format", "markdown", "-t"]);
  deepStrictEqual(markdown.split("\n").slice(0, 3), [
    "| User | Count | Swap | USS | PSS | RSS |",
    "| :--- | ---: | ---: | ---: | ---: | ---: |",
    "| mema | 2 | 0 | 3556 | 29680 | 64172 |",
  ]);
  match(
    markdown,
    /\| \*\*Total\*\* \| \*\*8\*\* \| \*\*0\*\* \| \*\*90652\*\* \| \*\*125742\*\* \| \*\*199964\*\* \|\n$/,
  );
  match(await ok0(["list", RECORDING, "--format", "markdown"]), /^\| Index \| Time \|/);
});

Deno.test("--limit N keeps the N rows that weigh most by the sort field, in smem's order, with their totals", async () => {
  const N60 = `${ROOT}fixtures/captures/n60.tar.gz`;
  const rows = async (args: readonly string[]) =>
    JSON.parse(await ok0(["-S", N60, "-c", "pid pss", "--format", "json", ...args]));
  const all = (await rows([])).rows;
  const limited = await rows(["--limit", "3"]);
  deepStrictEqual(limited.rows, all.slice(-3));
  strictEqual(
    limited.totals.pss,
    all.slice(-3).reduce((sum: number, r: { pss: number }) => sum + r.pss, 0),
  );
  deepStrictEqual((await rows(["--limit", "3", "-r"])).rows, all.toReversed().slice(0, 3));
  // By another sort field: the 2 users with the most processes.
  const users = JSON.parse(
    await ok0(["-S", N60, "-u", "-s", "count", "--limit", "2", "--format", "json"]),
  );
  deepStrictEqual(users.rows.map((r: { count: number }) => r.count), [15, 24]);
  deepStrictEqual(
    (await usage(["-S", N60, "--tree", "--limit", "2"]))[0],
    'memsnap: Option "--limit" keeps the largest rows of a flat view: the process-tree view\'s rows nest',
  );
  deepStrictEqual(
    (await usage(["-S", N60, "--limit", "0"]))[0],
    'memsnap: Invalid value "0" for --limit: expected a whole number from 1 to 1000000000',
  );
});
