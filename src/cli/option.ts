/**
 * How a command declares its options: each once, with its help; shared
 * groups (a view's options, filters, units, sources, a chart's file) are
 * declared once here and reused by every command that takes them. The
 * parser (argv.ts) and --help (help.ts) derive from these declarations.
 *
 * @module
 */

import { FORMATS } from "../render/formats.ts";
import { VIEWS } from "../view/registry.ts";

/** One option. */
export interface OptionSpec {
  /** Its long name, without the dashes: what the parsed values are keyed by. */
  readonly long: string;
  readonly short?: string;
  /** The value's name in --help; none: a flag. */
  readonly value?: string;
  /**
   * The value may be left out, and then only `--long=VALUE` gives one
   * (`--exact`, `--exact=lower-bound`): a flag that reads a value too.
   */
  readonly optionalValue?: boolean;
  /** May be given more than once: every value is kept. */
  readonly multiple?: boolean;
  readonly help: string;
  /**
   * One of smem 1.5's own options: a prefix that named it in smem (`--no`,
   * `--he`, `--to`) still does, whatever options memsnap adds.
   */
  readonly smem?: boolean;
}

/** Options shown together in --help under a title. */
export interface OptionGroup {
  readonly title: string;
  readonly options: readonly OptionSpec[];
}

export const HELP_OPTION: OptionSpec = {
  long: "help",
  short: "h",
  help: "show this help and exit",
  smem: true,
};

/** The view flags of smem and memsnap, and the view each selects. */
export const VIEW_FLAGS = [
  { long: "mappings", short: "m", view: "mappings", help: "show mappings", smem: true },
  { long: "users", short: "u", view: "users", help: "show users", smem: true },
  { long: "system", short: "w", view: "system", help: "show whole system", smem: true },
  {
    long: "cgroups",
    view: "cgroups",
    help: "show memory cgroups, with the kernel's charge",
    smem: false,
  },
  {
    long: "commands",
    view: "commands",
    help: "show programs, all their processes together (ps_mem)",
    smem: false,
  },
] as const;

export const VIEW_GROUP: OptionGroup = {
  title: "Views and columns",
  options: [
    ...VIEW_FLAGS.map(({ view: _, ...flag }) => flag),
    {
      long: "tree",
      help:
        "show the process tree, each process with its descendants' sums; with -w: all of RAM as a tree whose lines add up exactly",
    },
    {
      long: "by",
      value: "VIEW",
      help: `the view by name: ${VIEWS.map((view) => view.id).join(", ")}`,
    },
    {
      long: "depth",
      value: "N",
      help: "with --cgroups: fold cgroups deeper than N into their ancestor (root: 0)",
    },
    {
      long: "columns",
      short: "c",
      value: "COLUMNS",
      help: "columns to show (space-separated)",
      smem: true,
    },
    {
      long: "sort",
      short: "s",
      value: "FIELD",
      help: "field to sort on (default pss, ascending)",
      smem: true,
    },
    { long: "reverse", short: "r", help: "reverse sort", smem: true },
  ],
};

/** --limit, for the reports' tables. */
export const LIMIT_OPTION: OptionSpec = {
  long: "limit",
  value: "N",
  help: "only the N rows that weigh most by the sort field (the N largest), in the table's order",
};

export const FILTER_GROUP: OptionGroup = {
  title: "Filters (Python regular expressions, as smem takes them)",
  options: [
    {
      long: "processfilter",
      short: "P",
      value: "REGEX",
      help: "process filter regex (name or command line)",
      smem: true,
    },
    { long: "mapfilter", short: "M", value: "REGEX", help: "map filter regex", smem: true },
    { long: "userfilter", short: "U", value: "REGEX", help: "user filter regex", smem: true },
  ],
};

/** How amounts and lines are shown: the options every table takes. */
export const SHOW_GROUP: OptionGroup = {
  title: "Output",
  options: [
    { long: "no-header", short: "H", help: "disable header line", smem: true },
    { long: "totals", short: "t", help: "show totals", smem: true },
    { long: "numeric", short: "n", help: "numeric output (user ids)", smem: true },
    {
      long: "percent",
      short: "p",
      help: "show percentage (of MemTotal; swap of SwapTotal)",
      smem: true,
    },
    { long: "abbreviate", short: "k", help: "show unit suffixes", smem: true },
    {
      long: "realmem",
      short: "R",
      value: "SIZE",
      help: "amount of physical RAM (e.g. 32G)",
      smem: true,
    },
  ],
};

/** --format, for the commands whose results every format renders. */
export const FORMAT_OPTION: OptionSpec = {
  long: "format",
  value: "FORMAT",
  help: `output format: ${FORMATS.join(", ")} (default table)`,
};

export const SOURCE_OPTION: OptionSpec = {
  long: "source",
  short: "S",
  value: "SOURCE",
  help: "/proc data source: DIR (DIR/proc), FILE.tar[.gz], FILE@N (a recording's), - for stdin",
  smem: true,
};

/** What drawing a chart may cost (src/chart/limits.ts). */
export const CHART_LIMIT_OPTIONS: readonly OptionSpec[] = [
  {
    long: "max-megapixels",
    value: "N",
    help: "a PNG/JPG/EPS chart of at most N megapixels (default 50)",
  },
  { long: "max-data", value: "N", help: "a chart of at most N data values (default 50000)" },
];

/** The most read of one file of a -S mirror or archive. */
export const MAX_FILE_OPTION: OptionSpec = {
  long: "max-file-size",
  value: "SIZE",
  help: "largest file read from a -S mirror or archive (default 64M)",
};

/** -o FILE: what a command writes, described by `help`. */
export function outputOption(help: string): OptionSpec {
  return { long: "output", short: "o", value: "FILE", help };
}

/** What sampling the live system may cost (src/snapshot/walk_plan.ts, docs/sampling.md). */
export const SAMPLING_OPTIONS: readonly OptionSpec[] = [
  {
    long: "budget",
    value: "TIME",
    help:
      "walk processes' page tables for at most TIME (200ms); the rest show older or RSS-only numbers (default: no limit)",
  },
  {
    long: "max-rss",
    value: "SIZE",
    help: "walk no process whose RSS is above SIZE (4G): it shows RSS only (default 0: no ceiling)",
  },
];

/** --refresh: how long a walk's numbers are carried (record, top). */
export const REFRESH_OPTION: OptionSpec = {
  long: "refresh",
  value: "TIME",
  help:
    "walk each process again at least every TIME; in between, one whose status has not moved keeps its numbers (carried). Default: 5 × interval; 0: walk every process every time",
};

/** --exact: group memory counted by page frames (docs/exact.md). */
export const EXACT_OPTION: OptionSpec = {
  long: "exact",
  value: "lower-bound",
  optionalValue: true,
  help:
    "add the exact columns: per group (user, program, cgroup, tree) GroupUSS (freed if the whole group exits), GroupRSS, Shared with others, GroupSwap; per process Unique; counted by page frames from /proc/PID/pagemap and /proc/kpagecount (root only; reads only, changes nothing). =lower-bound: without root, a lower bound of GroupUSS from pagemap's exclusive bit, for your own processes",
};

/** --wss: the working set over an interval, by the referenced bits. */
export const WSS_OPTION: OptionSpec = {
  long: "wss",
  value: "INTERVAL",
  help:
    "working set: reset the shown processes' referenced bits (/proc/PID/clear_refs), wait INTERVAL (10s), then show Referenced: the memory each process and group touched meanwhile. This changes the system: reclaim loses which pages were recently used (they look idle), and each process's page tables are walked twice",
};

/** --all: the processes memsnap cannot walk, as rows with their RSS. */
export const ALL_OPTION: OptionSpec = {
  long: "all",
  help:
    "also the processes whose memory maps cannot be read (other users'), with RSS and swap from status (rss-only); JSON always has them",
};

/** Where and how big a chart is written. */
export const CHART_FILE_GROUP: OptionGroup = {
  title: "Chart files",
  options: [
    outputOption("the chart's file, its format by extension (default: a name, printed)"),
    { long: "force", help: "replace the chart's file if it exists" },
    { long: "width", value: "PX", help: "the chart's width" },
    { long: "height", value: "PX", help: "the chart's height" },
    { long: "scale", value: "N", help: "PNG/JPG pixels per px (default 1)" },
    { long: "top", value: "N", help: "rows drawn on their own; the rest summed" },
    ...CHART_LIMIT_OPTIONS,
  ],
};
