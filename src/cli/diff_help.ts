/**
 * `memsnap diff --help`.
 *
 * @module
 */

import { THRESHOLD_HELP } from "../diff/threshold.ts";

/** The help text of `memsnap diff`. */
export function diffHelp(): string {
  return `Usage: memsnap diff [options] A B
       memsnap diff [options] REC            (first and last snapshot of a recording)
       memsnap diff [options] REC --peak     (first and the one of highest total PSS)
       memsnap diff [options] REC --each     (every snapshot: each row's trend)

What changed between two snapshots. A and B are sources as -S takes them:
"live" (this system now), a capture FILE.tar.gz, a recording's snapshot
FILE@N, FILE@first, FILE@last, FILE@TIME, or a directory holding proc/.
Per metric shown: A, B, the change (B - A) and the change in % of A (without
-c, the table shows so the sort metric, and the others' change only; 1000 %
and more as >+999.9). Rows only in A are "gone", only in B "new". Sorted by the size of the PSS
change, largest first. A process is the same on both sides when its pid and
its start time are; --by command lines up restarted services.

Views:
  (default)          processes
  --by command       programs, all their processes together
  -u, --users        users          (--by user)
  -m, --mappings     mappings       (--by mapping)
  -w, --system       system areas   (--by system)

Options (as in the reports, applied to both sides):
  -c, --columns COLUMNS  columns: names, and the metrics compared
                         (default: pid user command pss uss rss swap)
  -s, --sort FIELD       a column shown: a metric sorts by the size of its change
                         (--each: by its growth)
  -r, --reverse          reverse the order
  -t, --totals           a totals line: both sides' totals and their change
  -H, --no-header        no header line
  -k, --abbreviate       amounts with unit suffixes (K, M, G)
  -p, --percent          amounts as a share of B's MemTotal (swap: SwapTotal)
  -n, --numeric          user ids, not names
  -R, --realmem SIZE     amount of physical RAM (system view)
  -P, --processfilter RE  -U, --userfilter RE  -M, --mapfilter RE
  --format FORMAT        table (default), json, csv, markdown (headline first)
  --fail-if EXPR         exit 3 when a change crosses EXPR (repeatable; below)
  --allow-missing        a --fail-if row on neither side only warns (else exit 1,
                         or 2 when -U, -M or -n leave it out)
  --bar                  draw the largest changes as a diverging bar chart
  --label FIELD          the column that labels the chart's bars
  -o FILE, --force, --width PX, --height PX, --scale N, --top N
                         the chart's file (format by extension), as --bar in reports
  -h, --help             show this help and exit

${THRESHOLD_HELP}

Examples:
  memsnap capture -o before.tar.gz; ./deploy.sh; memsnap capture -o after.tar.gz
  memsnap diff before.tar.gz after.tar.gz -k -t
  memsnap diff before.tar.gz live --by command
  memsnap diff run.tar.gz --peak -u
  memsnap diff run.tar.gz --each            (leak suspects: memory that grew steadily)
  memsnap diff before.tar.gz after.tar.gz --fail-if 'total.pss>+5%' --format markdown
  memsnap diff before.tar.gz after.tar.gz --bar -o diff.png
`;
}
