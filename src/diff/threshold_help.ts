/**
 * The --fail-if grammar, as `memsnap diff --help` shows it (threshold.ts
 * parses it): a module of its own, so that help does not load the parser.
 *
 * @module
 */

/** The grammar and examples, for `memsnap diff --help`. */
export const THRESHOLD_HELP =
  `Thresholds: --fail-if EXPR (repeatable; quote it for the shell) exits 3
after the diff when one is crossed, and lists the rows that crossed it.
  EXPR    [SCOPE.]METRIC OP AMOUNT
  SCOPE   none: every row of the view shown; total: its totals; or one row:
          command[NAME], user[NAME], map[NAME], pid[N]
  METRIC  a memory column of that view: pss, uss, rss, swap, vss...
  OP      >, >=, <, <=   (compares the change, B - A)
  AMOUNT  a signed change: kB, or with K, M, G, T (1M = 1024 kB), or % of A's
          value (a row new in B has no A: percent thresholds skip it)
  total.pss>+5%                 total PSS grew by more than 5 %
  pss>+20M                      a row's PSS grew by more than 20 MiB
  rss>+10%                      a row's RSS grew by more than 10 %
  pss<-50M                      a row's PSS shrank by more than 50 MiB
  command[nginx].uss>+1M        nginx's USS (all its processes) grew by > 1 MiB
  user[www-data].pss>=+100M     www-data's PSS grew by 100 MiB or more
  map[/usr/lib/libc.so.6].rss>+1M    libc's RSS grew by more than 1 MiB
  pid[1234].pss>+10%            process 1234's PSS grew by more than 10 %
A named row on neither side is an error (exit 1; --allow-missing: a warning).
See docs/thresholds.md.`;
