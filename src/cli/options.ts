/**
 * memsnap's report options: smem 1.5's, long and short, same names and
 * meaning, plus memsnap's own. One list drives the parser and --help.
 *
 * @module
 */

/** One option. */
export interface OptionSpec {
  readonly short?: string;
  readonly type: "boolean" | "string";
  /** The value's name in --help. */
  readonly arg?: string;
  readonly help: string;
}

export const REPORT_OPTIONS = {
  "no-header": { short: "H", type: "boolean", help: "disable header line" },
  columns: {
    short: "c",
    type: "string",
    arg: "COLUMNS",
    help: "columns to show (space-separated)",
  },
  totals: { short: "t", type: "boolean", help: "show totals" },
  autosize: { short: "a", type: "boolean", help: "size columns to fit terminal size" },
  realmem: { short: "R", type: "string", arg: "SIZE", help: "amount of physical RAM (e.g. 32G)" },
  kernel: {
    short: "K",
    type: "string",
    arg: "FILE",
    help: "path to kernel image (uncompressed ELF)",
  },
  mappings: { short: "m", type: "boolean", help: "show mappings" },
  users: { short: "u", type: "boolean", help: "show users" },
  system: { short: "w", type: "boolean", help: "show whole system" },
  cgroups: { type: "boolean", help: "show memory cgroups, with the kernel's charge" },
  depth: {
    type: "string",
    arg: "N",
    help: "with --cgroups: fold cgroups deeper than N into their ancestor (root: 0)",
  },
  commands: { type: "boolean", help: "show programs, all their processes together (ps_mem)" },
  tree: {
    type: "boolean",
    help:
      "show the process tree, each process with its descendants' sums; with -w: all of RAM as a tree whose lines add up exactly",
  },
  processfilter: {
    short: "P",
    type: "string",
    arg: "REGEX",
    help: "process filter regex (name or command line)",
  },
  mapfilter: { short: "M", type: "string", arg: "REGEX", help: "map filter regex" },
  userfilter: { short: "U", type: "string", arg: "REGEX", help: "user filter regex" },
  numeric: { short: "n", type: "boolean", help: "numeric output (user ids)" },
  sort: {
    short: "s",
    type: "string",
    arg: "FIELD",
    help: "field to sort on (default pss, ascending)",
  },
  reverse: { short: "r", type: "boolean", help: "reverse sort" },
  percent: {
    short: "p",
    type: "boolean",
    help: "show percentage (of MemTotal; swap of SwapTotal)",
  },
  abbreviate: { short: "k", type: "boolean", help: "show unit suffixes" },
  source: {
    short: "S",
    type: "string",
    arg: "SOURCE",
    help: "/proc data source: DIR (DIR/proc), FILE.tar[.gz], FILE@N (a recording's), - for stdin",
  },
  "max-file-size": {
    type: "string",
    arg: "SIZE",
    help: "largest file read from a -S mirror or archive (default 64M)",
  },
  format: { type: "string", arg: "FORMAT", help: "output format: table (default), json, csv" },
  pie: {
    type: "string",
    arg: "FIELD",
    help: "draw a pie chart: slices sized by the sort field, labelled by FIELD",
  },
  bar: {
    type: "string",
    arg: "FIELD",
    help: "draw a bar chart: the amount columns shown, per row labelled by FIELD",
  },
  "no-unused": {
    type: "boolean",
    help: 'a pie of the rows alone: no "unused" slice, shares of the rows\' sum',
  },
  output: {
    short: "o",
    type: "string",
    arg: "FILE",
    help: "the chart's file, its format by extension (default: a name, printed)",
  },
  force: { type: "boolean", help: "replace the chart's file if it exists" },
  width: { type: "string", arg: "PX", help: "the chart's width (default: pie 640, bar 800)" },
  height: { type: "string", arg: "PX", help: "the chart's height (default: pie 420, bar: fit)" },
  scale: { type: "string", arg: "N", help: "PNG/JPG pixels per px (default 1)" },
  top: {
    type: "string",
    arg: "N",
    help: "rows drawn on their own (pie: at most 8, default 8; bar: default 20)",
  },
  help: { short: "h", type: "boolean", help: "show this help and exit" },
  version: { type: "boolean", help: "show the version and exit" },
} as const satisfies Record<string, OptionSpec>;

export type ReportOptionName = keyof typeof REPORT_OPTIONS;

/**
 * smem 1.5's own long options (and optparse's --help): a prefix that was
 * unique in smem (`--no`, `--he`, `--to`) keeps naming the same option,
 * whatever options memsnap adds.
 */
export const SMEM_OPTION_NAMES: ReadonlySet<ReportOptionName> = new Set(
  [
    "no-header",
    "columns",
    "totals",
    "autosize",
    "realmem",
    "kernel",
    "mappings",
    "users",
    "system",
    "processfilter",
    "mapfilter",
    "userfilter",
    "numeric",
    "sort",
    "reverse",
    "percent",
    "abbreviate",
    "pie",
    "bar",
    "source",
    "help",
  ] as const,
);
