/**
 * The report's command line: smem's options, parsed by the one parser
 * (src/cli/argv.ts) into the report's query (src/cli/commands/report.ts).
 */

import assert from "node:assert/strict";
import type { Selection } from "../../src/select/select.ts";
import { parseArgv } from "../../src/cli/argv.ts";
import { optionsOf } from "../../src/cli/command.ts";
import { reportArgs, reportCommand } from "../../src/cli/commands/report.ts";
import { showArgs } from "../../src/cli/view_args.ts";
import { UsageError } from "../../src/errors/memsnap_error.ts";
import type { ProcessColumnId } from "../../src/view/processes.ts";
import { memsnap } from "../_helpers/memsnap.ts";

/** A view with its columns and sort field. */
interface ViewRequest {
  readonly view: string;
  readonly columns: readonly string[];
  readonly sort: string;
}

/** What a report's command line asks for, as one record. */
interface ReportRequest {
  readonly view: ViewRequest;
  readonly reverse: boolean;
  readonly totals: boolean;
  readonly header: boolean;
  readonly autosize: boolean;
  readonly numeric: boolean;
  readonly percent: boolean;
  readonly abbreviate: boolean;
  readonly realMemKb?: number;
  readonly kernelImage?: string;
  readonly depth?: number;
  readonly selection: Selection;
  readonly source?: string;
  readonly format: string;
  readonly chart?: Record<string, unknown>;
}

type Command = { kind: "help" } | { kind: "version" } | { kind: "report"; request: ReportRequest };

/** Parses a report's command line as memsnap does, into one record. */
function parseCommand(argv: readonly string[]): Command {
  const args = parseArgv({ options: optionsOf(reportCommand) }, argv);
  if (args.flag("help")) return { kind: "help" };
  if (args.flag("version")) return { kind: "version" };
  const { query, chart, format, autosize } = reportArgs(args);
  const show = showArgs(args);
  const { file, kind, field, noUnused } = chart ?? {};
  return {
    kind: "report",
    request: {
      view: { view: query.view.view, columns: query.view.columns, sort: query.view.sort },
      reverse: query.view.reverse,
      totals: show.totals,
      header: show.header,
      autosize,
      numeric: query.numeric,
      percent: show.percent,
      abbreviate: show.abbreviate,
      ...(query.realMemKb !== undefined && { realMemKb: query.realMemKb }),
      ...(query.kernelImage !== undefined && { kernelImage: query.kernelImage }),
      ...(query.depth !== undefined && { depth: query.depth }),
      selection: query.selection,
      ...(query.source !== undefined && { source: query.source }),
      format,
      ...(chart !== undefined && { chart: { kind, field, noUnused, ...file } }),
    },
  };
}

function report(argv: readonly string[]): ReportRequest {
  const command = parseCommand(argv);
  assert.equal(command.kind, "report", JSON.stringify(argv));
  return (command as Extract<Command, { kind: "report" }>).request;
}

/** Asserts that argv is refused with this message (and these details, when given). */
function refused(argv: readonly string[], message: string | RegExp, details?: RegExp): void {
  assert.throws(() => parseCommand(argv), (error: unknown) => {
    assert.ok(error instanceof UsageError, `${JSON.stringify(argv)}: ${error}`);
    if (typeof message === "string") assert.equal(error.message, message);
    else assert.match(error.message, message);
    if (details) assert.match(error.details.join("\n"), details);
    return true;
  });
}

const DEFAULT_COLUMNS: ProcessColumnId[] = ["pid", "user", "command", "swap", "uss", "pss", "rss"];

/** The process view with these columns and sort field. */
function processes(
  columns: ProcessColumnId[] = DEFAULT_COLUMNS,
  sort: ProcessColumnId = "pss",
): ViewRequest {
  return { view: "processes", columns, sort };
}

const DEFAULTS: ReportRequest = {
  view: processes(),
  reverse: false,
  totals: false,
  header: true,
  autosize: false,
  numeric: false,
  percent: false,
  abbreviate: false,
  selection: {},
  format: "table",
};

Deno.test("parseCommand() without arguments asks for smem's default process report", () => {
  assert.deepEqual(parseCommand([]), { kind: "report", request: DEFAULTS });
});

Deno.test("parseCommand() reads smem's flags, short and long", () => {
  const flags: [string, string, Partial<ReportRequest>][] = [
    ["-H", "--no-header", { header: false }],
    ["-t", "--totals", { totals: true }],
    ["-a", "--autosize", { autosize: true }],
    ["-n", "--numeric", { numeric: true }],
    ["-r", "--reverse", { reverse: true }],
    ["-p", "--percent", { percent: true }],
    ["-k", "--abbreviate", { abbreviate: true }],
  ];
  for (const [short, long, change] of flags) {
    assert.deepEqual(report([short]), { ...DEFAULTS, ...change }, short);
    assert.deepEqual(report([long]), { ...DEFAULTS, ...change }, long);
  }
});

Deno.test("parseCommand() reads smem's options with values, short and long", () => {
  const options: [string, string, string, Partial<ReportRequest>][] = [
    ["-c", "--columns", "pid pss", { view: processes(["pid", "pss"]) }],
    ["-s", "--sort", "rss", { view: processes(DEFAULT_COLUMNS, "rss") }],
    ["-R", "--realmem", "32G", { realMemKb: 33_554_432 }],
    ["-K", "--kernel", "/boot/vmlinux", { kernelImage: "/boot/vmlinux" }],
    ["-S", "--source", "capture.tar.gz", { source: "capture.tar.gz" }],
    ["-P", "--processfilter", "fire(fox)?", {
      selection: { process: "fire(fox)?" },
    }],
    ["-U", "--userfilter", "^root$", { selection: { user: "^root$" } }],
    ["-M", "--mapfilter", "libc", { selection: { mapping: "libc" } }],
  ];
  for (const [short, long, value, change] of options) {
    const expected = { ...DEFAULTS, ...change };
    assert.deepEqual(report([short, value]), expected, short);
    assert.deepEqual(report([long, value]), expected, long);
    assert.deepEqual(report([`${long}=${value}`]), expected, `${long}=`);
    assert.deepEqual(report([`${short}${value}`]), expected, `${short}${value}`);
  }
});

Deno.test("parseCommand() reads grouped short flags and a value attached to the last one", () => {
  assert.deepEqual(report(["-tk"]), { ...DEFAULTS, totals: true, abbreviate: true });
  assert.deepEqual(report(["-tkrH"]), {
    ...DEFAULTS,
    totals: true,
    abbreviate: true,
    reverse: true,
    header: false,
  });
  assert.deepEqual(report(["-cpss"]).view, processes(["pss"]));
  assert.deepEqual(report(["-tspid"]), {
    ...DEFAULTS,
    totals: true,
    view: processes(DEFAULT_COLUMNS, "pid"),
  });
  assert.deepEqual(report(["-tc", "pid rss"]), {
    ...DEFAULTS,
    totals: true,
    view: processes(["pid", "rss"]),
  });
});

Deno.test("parseCommand() splits columns on spaces and commas; empty means the defaults", () => {
  assert.deepEqual(report(["-c", " pid,  pss ,rss"]).view.columns, ["pid", "pss", "rss"]);
  assert.deepEqual(report(["-c", ""]).view.columns, DEFAULT_COLUMNS);
  assert.deepEqual(report(["--columns="]).view.columns, DEFAULT_COLUMNS);
});

Deno.test("parseCommand() takes unique prefixes of long options, as optparse does", () => {
  assert.equal(report(["--rev"]).reverse, true);
  assert.equal(report(["--tot"]).totals, true);
  assert.equal(report(["--no"]).header, false);
  assert.equal(report(["--abb"]).abbreviate, true);
  assert.deepEqual(report(["--colu", "pid"]).view.columns, ["pid"]);
  assert.deepEqual(report(["--col=pid"]).view.columns, ["pid"]);
  assert.equal(report(["--form", "json"]).format, "json");
  assert.equal(report(["--real", "1G"]).realMemKb, 1_048_576);
  assert.deepEqual(report(["--proc", "x"]).selection, { process: "x" });
  assert.deepEqual(parseCommand(["--he"]), { kind: "help" });
  assert.deepEqual(parseCommand(["--vers"]), { kind: "version" });
});

Deno.test("parseCommand() refuses ambiguous prefixes, naming the candidates", () => {
  refused(["--p"], 'Ambiguous option "--p": could be --processfilter, --percent, --pie');
  refused(["--s", "x"], 'Ambiguous option "--s": could be --system, --sort, --source');
  refused(["--ma=x"], 'Ambiguous option "--ma": could be --mappings, --mapfilter');
});

Deno.test("parseCommand() refuses unknown options and stray arguments", () => {
  refused(["-x"], 'Unknown option "-x"');
  refused(["--bogus"], 'Unknown option "--bogus"');
  refused(["-tx"], /^Unknown option "-x"/);
  refused(["foo"], 'Unexpected argument "foo"');
  refused(["-t", "--", "-k"], 'Unexpected argument "-k"');
});

Deno.test("parseCommand() refuses an option without its value, and a flag with one", () => {
  refused(["-c"], /^Option "-c\b.*" needs a value$/);
  refused(["--sort"], /^Option "-s\b.*" needs a value$/);
  refused(["--totals=1"], /^Option "-t\b.*" takes no value$/);
});

Deno.test("parseCommand() refuses unknown columns, listing the known fields", () => {
  refused(
    ["-c", "pid bogus"],
    'Unknown column "bogus" for the processes view',
    /^known fields:\n {2}pid +process ID\n/,
  );
  refused(
    ["-c", "pid bogus,nope"],
    'Unknown columns "bogus", "nope" for the processes view',
    /\n {2}command +process command line\n/,
  );
  refused(
    ["-u", "-c", "map"],
    'Unknown column "map" for the users view',
    /\n {2}count +number of processes/,
  );
  refused(
    ["-w", "-c", "pss"],
    'Unknown column "pss" for the system view',
    /\n {2}noncache +area not reclaimable/,
  );
});

Deno.test("parseCommand() refuses an unknown sort field first, as smem does", () => {
  refused(["-s", "bogus"], 'Unknown sort field "bogus" for the processes view', /^known fields:\n/);
  refused(["-s", "bogus", "-c", "nope"], 'Unknown sort field "bogus" for the processes view');
  refused(
    ["-m", "-s", "pid"],
    'Unknown sort field "pid" for the mappings view (did you mean "pids"?)',
    /\n {2}map +mapping name/,
  );
});

Deno.test("parseCommand() chooses the view: -m over -u over -w over processes", () => {
  const view = (argv: string[]) => report(argv).view.view;
  assert.equal(view([]), "processes");
  assert.equal(view(["-w"]), "system");
  assert.equal(view(["-u"]), "users");
  assert.equal(view(["-m"]), "mappings");
  assert.equal(view(["-w", "-u"]), "users");
  assert.equal(view(["-u", "-w"]), "users");
  assert.equal(view(["-w", "-u", "-m"]), "mappings");
  assert.equal(view(["-mw"]), "mappings");
  assert.equal(view(["--system", "--mappings"]), "mappings");
});

Deno.test("parseCommand() gives each view smem's default columns and sort", () => {
  assert.deepEqual(report(["-u"]).view, {
    view: "users",
    columns: ["user", "count", "swap", "uss", "pss", "rss"],
    sort: "pss",
  });
  assert.deepEqual(report(["-m"]).view, {
    view: "mappings",
    columns: ["map", "pids", "avgpss", "pss"],
    sort: "pss",
  });
  assert.deepEqual(report(["-w"]).view, {
    view: "system",
    columns: ["area", "used", "cache", "noncache"],
    sort: "order",
  });
  assert.deepEqual(report(["-m", "-c", "map count", "-s", "count"]).view, {
    view: "mappings",
    columns: ["map", "count"],
    sort: "count",
  });
});

Deno.test("parseCommand() reads --format and refuses unknown formats", () => {
  assert.equal(report(["--format", "table"]).format, "table");
  assert.equal(report(["--format=json"]).format, "json");
  assert.equal(report(["--format", "csv"]).format, "csv");
  assert.equal(report(["--format", "markdown"]).format, "markdown");
  refused(["--format", "xml"], 'Unknown format "xml": expected "table", "json", "csv", "markdown"');
  refused(["--format="], 'Unknown format "": expected "table", "json", "csv", "markdown"');
});

Deno.test("parseCommand() keeps Python filters as given: the use case checks and compiles them before reading", async () => {
  assert.deepEqual(report(["-P", "(?i)^FIRE"]).selection, { process: "(?i)^FIRE" });
  assert.deepEqual(report(["-U", "(?P<u>ro)o$", "-M", "libc"]).selection, {
    user: "(?P<u>ro)o$",
    mapping: "libc",
  });
  // What memsnap refuses, it refuses as a usage error naming the option, before any source.
  for (
    const [args, message] of [
      [
        ["-P", "(?x)a b"],
        'Invalid regular expression for -P "(?x)a b": the inline flag "x" is not supported',
      ],
      [
        ["--userfilter", "(a)\\1"],
        'Invalid regular expression for -U "(a)\\1": backreference "\\1" not supported: memsnap matches in linear time (RE2), without backreferences or lookaround',
      ],
      [
        ["-M", "(?<=lib)c"],
        'Invalid regular expression for -M "(?<=lib)c": lookbehind "(?<=" not supported: memsnap matches in linear time (RE2), without backreferences or lookaround',
      ],
    ] as const
  ) {
    const { code, stderr } = await memsnap(["-S", "/nonexistent", ...args]);
    assert.deepEqual([code, stderr.split("\n")[0]], [2, `memsnap: ${message}`]);
  }
});

Deno.test("parseCommand() refuses a -R size without a unit", () => {
  refused(
    ["-R", "1024"],
    'Invalid size "1024": memory size should be written with units, for example 1024M',
  );
});

Deno.test("parseCommand() answers --help and --version before anything else", () => {
  assert.deepEqual(parseCommand(["-h"]), { kind: "help" });
  assert.deepEqual(parseCommand(["--help", "-c", "bogus"]), { kind: "help" });
  assert.deepEqual(parseCommand(["--version"]), { kind: "version" });
  assert.deepEqual(parseCommand(["-t", "--version", "extra"]), { kind: "version" });
});

Deno.test("parseCommand() takes the next argument as an option's value whatever it looks like, as optparse does", () => {
  for (
    const args of [["-P", "-bash"], ["--processfilter", "-bash"], ["--proc", "-bash"], ["-P-bash"]]
  ) {
    assert.equal(report(args).selection.process, "-bash", args.join(" "));
  }
  assert.equal(report(["-tP", "-bash"]).totals, true);
  assert.equal(report(["-tP", "-bash"]).selection.process, "-bash");
  assert.equal(report(["-P", "--s"]).selection.process, "--s");
  assert.throws(() => report(["-c", "--rev"]), {
    name: "UsageError",
    message: 'Unknown column "--rev" for the processes view',
  });
});

Deno.test("parseCommand() picks the cgroup, command and tree views with their columns and --depth", () => {
  assert.deepEqual(report(["--cgroups", "--depth", "2"]).view, {
    view: "cgroups",
    columns: ["cgroup", "hierarchy", "count", "swap", "uss", "pss", "rss", "charge"],
    sort: "pss",
  });
  assert.equal(report(["--cgroups", "--depth", "2"]).depth, 2);
  assert.equal(report(["--cgroups"]).depth, undefined);
  assert.deepEqual(report(["--commands", "-s", "count"]).view, {
    view: "commands",
    columns: ["command", "count", "private", "shared", "total"],
    sort: "count",
  });
  assert.deepEqual(report(["--tree", "-c", "pid tree_uss"]).view, {
    view: "process-tree",
    columns: ["pid", "tree_uss"],
    sort: "tree_pss",
  });
  // --tree with the process view's filters.
  assert.equal(report(["--tree", "-P", "x"]).view.view, "process-tree");
  // With -w, --tree is the system tree; its data columns for CSV and JSON.
  assert.deepEqual(report(["-w", "--tree"]).view, {
    view: "system-tree",
    columns: ["item", "kb", "reclaimable"],
    sort: "order",
  });
  assert.deepEqual(report(["-w", "--tree", "--format", "csv"]).view.columns, [
    "path",
    "depth",
    "name",
    "kb",
    "reclaimable",
  ]);
  assert.equal(report(["--cgr"]).view.view, "cgroups");
});

Deno.test("parseCommand() refuses view options that do not go together", () => {
  refused(["--depth", "1"], 'Option "--depth" applies to the cgroup view (--by cgroups)');
  refused(
    ["--cgroups", "--depth", "1.5"],
    'Invalid depth "1.5": expected a whole number, 0 or more',
  );
  refused(["--cgroups", "-m"], 'Options "--cgroups", "-m" ask for different views: choose one');
  refused(
    ["--tree", "-u"],
    'Option "--tree" applies to the process view and the system view (-w), not "-u"',
  );
  refused(
    ["--tree", "--commands"],
    'Option "--tree" applies to the process view and the system view (-w), not "--commands"',
  );
  refused(["--cgroups", "-c", "pid"], /^Unknown column "pid" for the cgroups view$/, /charge/);
});

Deno.test("parseCommand(): a prefix unique in smem keeps its meaning beside memsnap's chart options", () => {
  assert.equal(report(["--no"]).header, false); // not --no-unused
  assert.deepEqual(parseCommand(["--he"]), { kind: "help" }); // not --height
  assert.equal(report(["--to"]).totals, true); // not --top
  const chart =
    report(["--pie", "name", "--hei", "300", "--wid", "500", "--no-u", "--sc", "2"]).chart;
  assert.deepEqual(chart, {
    kind: "pie",
    field: "name",
    noUnused: true,
    force: false,
    width: 500,
    height: 300,
    scale: 2,
  });
});
