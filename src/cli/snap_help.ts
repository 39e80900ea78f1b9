import type { SnapCommandName } from "./snap_args.ts";

const HELP: Record<SnapCommandName, string> = {
  capture: `memsnap capture: one snapshot of this system into a compressed archive
(a tar.gz in smem's layout, plus memsnap's metadata; docs/FORMAT.md).

Usage: memsnap capture [-o FILE|-] [--detail full|rollup] [--force]

Options:
  -o, --output FILE      the archive to write; - for standard output
                         (default: memsnap-HOST-YYYYMMDDTHHMMSSZ.tar.gz, named on stderr)
      --detail LEVEL     full (default): every mapping (smaps), for all reports;
                         rollup: per-process sums (smaps_rollup), a fraction of the size
      --force            replace FILE if it exists (else capture refuses)
  -S, --source SOURCE    read /proc from SOURCE (a copy, an archive) instead of /proc
  -h, --help             show this help

The archive is written whole or not at all (to a temporary name, then renamed).

Examples:
  memsnap capture                            memsnap-myhost-20261125T193000Z.tar.gz
  memsnap capture -o before.tar.gz --detail rollup
  ssh board memsnap capture -o - | memsnap -S - -u
  memsnap -S before.tar.gz -m -r | head      report on it later, anywhere
`,
  record: `memsnap record: snapshots on a schedule into one recording file, while a
workload runs; every snapshot written so far survives a crash or kill -9.

Usage: memsnap record -o FILE [options] [-- COMMAND ARGS...]

Options:
  -o, --output FILE      the recording to write (required)
  -i, --interval TIME    time between snapshots: 500ms, 1s (default), 10m, 1h
  -n, --count N          stop after N snapshots
  -d, --duration TIME    stop after TIME (snapshots due within it: TIME / interval)
      --detail LEVEL     rollup (default): per-process sums; full: every mapping
      --tree             keep only COMMAND's process tree (and meminfo)
      --force            replace FILE if it exists (else record refuses)
  -q, --quiet            no progress line (shown only when stderr is a terminal)
  -S, --source SOURCE    read /proc from SOURCE instead of /proc
  -h, --help             show this help

Snapshots are due at start + k × interval; one that starts late is marked late
(memsnap list shows it), not shifted, and deadlines missed entirely are skipped. Without --count, --duration or COMMAND,
recording goes on until Ctrl-C or SIGTERM, which finish the file cleanly.
With -- COMMAND, memsnap runs it, records until it exits, stores its exit
status and exits with it; a signal memsnap receives is passed on to it (a
second one kills it).

Examples:
  memsnap record -o idle.tar.gz --count 60
  memsnap record -o build.tar.gz -i 500ms --tree -- make -j4
  memsnap list build.tar.gz
  memsnap -S build.tar.gz@last -t -k          the last snapshot
  memsnap -S build.tar.gz@+90s -u             the one nearest 90 s after the first
`,
  list: `memsnap list: one line per snapshot of an archive or recording: index
(0-based, as FILE@N takes it), time, late, processes, total PSS and
MemAvailable (kB).

Usage: memsnap list FILE [--format table|json|csv]

Examples:
  memsnap list build.tar.gz
  memsnap list build.tar.gz --format json | jq '.end.exitStatus'
  memsnap -S build.tar.gz@3 -u                report on snapshot 3
`,
};

/** Help for a snapshot command. */
export function snapHelpText(command: SnapCommandName): string {
  return HELP[command];
}
