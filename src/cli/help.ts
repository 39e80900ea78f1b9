import { FORMATS } from "../render/formats.ts";
import { cgroupView } from "../view/cgroups.ts";
import { commandView } from "../view/commands.ts";
import { mappingView } from "../view/mappings.ts";
import { processTreeView } from "../view/process_tree.ts";
import { processView } from "../view/processes.ts";
import { systemView } from "../view/system.ts";
import { systemTreeView } from "../view/system_tree_view.ts";
import { userView } from "../view/users.ts";
import { type OptionSpec, REPORT_OPTIONS } from "./options.ts";

/** memsnap --help: usage, options (from the one option list), examples. */
export function helpText(): string {
  const options = Object.entries(REPORT_OPTIONS as Record<string, OptionSpec>).map(
    ([name, spec]) => {
      const flags = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${
        spec.arg ? ` ${spec.arg}` : ""
      }`;
      return `  ${flags.padEnd(28)} ${spec.help}`;
    },
  );
  return `memsnap: where did my RAM go? Memory per process, user, mapping and
system, with shared memory counted fairly (PSS). A drop-in for smem.

Usage: memsnap [options]
       memsnap capture [-o FILE|-] [--detail full|rollup]   one snapshot to an archive
       memsnap record -o FILE [--interval 1s] [--count N] [--duration 10m] [-- COMMAND]
       memsnap list FILE                                    the snapshots of an archive
       memsnap chart REC [-o FILE] [--by users]             a recording's timeline
       memsnap diff A B [--by command] [--fail-if EXPR]     what changed (exit 3 over EXPR)
       memsnap capture-script [--detail full|rollup] > capture.sh
                                   a sh script that captures a snapshot on a
                                   device without memsnap (see its --help)
       memsnap chart-render SPEC.vl.json -o FILE.{svg,png,jpg,pdf,eps,html}
                                   draw a (restyled) Vega-Lite spec
       (memsnap COMMAND --help for each)

Views: processes (default), -u users, -m mappings (libraries), -w system,
--cgroups, --commands (programs), --tree (the process tree), -w --tree (the
system tree: all of RAM, adding up).

Options:
${options.join("\n")}

Columns (-c, -s), per view; defaults first, an unknown name lists all with
their descriptions:
${
    [
      processView,
      userView,
      mappingView,
      systemView,
      cgroupView,
      commandView,
      processTreeView,
      systemTreeView,
    ]
      .map(columnLine).join("\n")
  }
Formats: ${FORMATS.join(", ")}; json and csv carry raw kB whatever -k or -p say.
Charts (--pie, --bar, memsnap chart): -o FILE's extension picks the format,
.svg .png .jpg .pdf .eps .html .vl.json; without -o, a name is chosen and
printed; an existing file is replaced only with --force (docs/charts.md).

Examples:
  memsnap                          processes, smallest PSS first
  memsnap -r -t -k                 largest first, with totals, in K/M/G
  memsnap -u -p                    per user, as a share of RAM
  memsnap -m -s pss -r | head      the libraries and files that weigh most
  memsnap -P firefox -t -k         firefox's processes and their total
  memsnap -M 'libc\\.so' -u         what libc costs each user
  memsnap -w -R 32G                system view, 32 GiB of RAM installed
  memsnap --cgroups --depth 2 -r   per cgroup (two levels down), beside its charge
  memsnap --commands -r -k         per program, all its processes together
  memsnap --tree -P nginx -k       nginx's processes with their ancestors, summed
  memsnap -w --tree -k             all of RAM as a tree that adds up exactly
  memsnap -c "pid name pss dirty oom_score cpu gpu" -s oom_score -r
  memsnap -c "pid name pss_anon pss_file swappss" -s pss_anon -r
  memsnap -S capture.tar.gz -u     read a capture (smem's smemcap layout)
  memsnap -S /mnt/board            read a copy of a /proc tree (DIR/proc)
  memsnap -S rec.tar.gz@last -u    the last snapshot of a recording (@N, @first, @TIME, @+90s)
  memsnap --format json -t | jq .totals
  memsnap --pie name -o pie.png    smem's pie: PSS per process, small ones as "other"
  memsnap -u --pie user --no-unused -o users.svg    only used memory, per user
  memsnap --bar name -c "name uss pss rss" --top 10 -o bar.pdf
  memsnap -S rec.tar.gz@last -m --pie map -o maps.html    interactive, offline
  memsnap chart rec.tar.gz --by commands -o timeline.png  a recording over time
  memsnap diff before.tar.gz after.tar.gz -k -t           what changed, per process
  memsnap diff rec.tar.gz --by command --fail-if 'total.pss>+5%'   first vs last; CI gate
  memsnap capture-script > capture.sh; scp capture.sh board:
  ssh board sh capture.sh -o - > board.tar.gz; memsnap -S board.tar.gz -u

Documentation: README.md and docs/ in memsnap's repository.
`;
}

function columnLine(
  spec: { id: string; columns: object; defaultColumns: readonly string[] },
): string {
  const others = Object.keys(spec.columns).filter((id) => !spec.defaultColumns.includes(id));
  const words = [...spec.defaultColumns, "|", ...others];
  const lines: string[] = [];
  let line = `  ${spec.id}:`.padEnd(16);
  for (const word of words) {
    if (line.length + word.length + 1 > 79) {
      lines.push(line);
      line = " ".repeat(16);
    }
    line += ` ${word}`;
  }
  return [...lines, line].join("\n");
}
