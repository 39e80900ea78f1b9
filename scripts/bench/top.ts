/**
 * What a live view costs (docs/top.md): `memsnap top -d 1s` on the
 * 1000-process workload, beside smemstat's top mode and htop with its PSS
 * column at the same delay, each run in a tmux pane of its own (all three
 * need a terminal) for the same number of seconds, one after the other on
 * the same workload. CPU is the process's own user + system time from
 * /proc/PID/stat (utime + stime, and cutime + cstime of children it
 * waited for): reading smaps or smaps_rollup walks page tables in the
 * kernel, in the reader's system time, so the kernel work a tool causes
 * is in its figure.
 *
 *     deno task compile
 *     deno run -A scripts/bench/top.ts                  # 30 s each, N = 1000, printed
 *     deno run -A scripts/bench/top.ts --write          # and written into docs/PERFORMANCE.md
 *     deno run -A scripts/bench/top.ts --seconds 10 --processes 200 --memsnap "deno run -A main.ts"
 *
 * @module
 */

import { parseArgs } from "node:util";
import { machineLines } from "./report.ts";
import { startWorkload } from "./workload.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const DOC = `${ROOT}docs/PERFORMANCE.md`;
const START = "<!-- bench-top:start (written by scripts/bench/top.ts --write) -->";
const END = "<!-- bench-top:end -->";
/** USER_HZ: the unit of /proc/PID/stat's times (100 on every Linux architecture memsnap runs on). */
const CLOCK_TICKS = 100;

/** One tool, as the pane runs it. */
export interface Tool {
  readonly name: string;
  readonly argv: readonly string[];
  /** Writes what the tool needs (htop's configuration) into `dir`; returns its environment. */
  readonly setup?: (dir: string) => Promise<Record<string, string>>;
}

/** A tool's figures over its run. */
export interface TopFigures {
  readonly name: string;
  readonly command: string;
  /** Seconds it ran. */
  readonly wall: number;
  /** User + system seconds, its waited-for children's included. */
  readonly cpu: number;
  readonly user: number;
  readonly system: number;
}

/** htop 3's configuration: the Main screen with the PSS column, sorted by it. */
const HTOPRC = `htop_version=3.2.2
config_reader_min_version=3
fields=0 48 17 18 38 39 40 2 46 47 49 1
hide_kernel_threads=1
tree_view=0
screen_tabs=0
screen:Main=PID USER M_RESIDENT M_PSS PERCENT_CPU TIME Command
.sort_key=M_PSS
.tree_sort_key=PID
.tree_view=0
.sort_direction=-1
`;

/** The tools compared, at a delay of one second. */
export function tools(memsnap: readonly string[]): Tool[] {
  return [
    { name: "memsnap top", argv: [...memsnap, "top", "-d", "1s"] },
    {
      name: "memsnap top -b (to /dev/null)",
      argv: ["sh", "-c", `exec ${memsnap.join(" ")} top -b -d 1s >/dev/null`],
    },
    { name: "smemstat top mode", argv: ["smemstat", "-T", "1"] },
    {
      name: "htop with its PSS column",
      // -d counts tenths of a second.
      argv: ["htop", "-d", "10"],
      async setup(dir) {
        await Deno.mkdir(`${dir}/htop`, { recursive: true });
        await Deno.writeTextFile(`${dir}/htop/htoprc`, HTOPRC);
        return { XDG_CONFIG_HOME: dir };
      },
    },
  ];
}

let runs = 0;

/** Runs a tmux command on the benchmark's own server. */
async function tmux(socket: string, args: readonly string[]): Promise<string> {
  const { success, stdout, stderr } = await new Deno.Command("tmux", {
    args: ["-L", socket, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!success) {
    throw new Error(`tmux ${args.join(" ")} failed: ${new TextDecoder().decode(stderr).trim()}`);
  }
  return new TextDecoder().decode(stdout).trim();
}

/** utime, stime, cutime, cstime and start time (ticks) of a process. */
async function processTimes(pid: number): Promise<number[]> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14-17 and 22 of proc(5), counted from the state (field 3).
  return [11, 12, 13, 14, 19].map((i) => Number(fields[i]));
}

async function uptime(): Promise<number> {
  return Number((await Deno.readTextFile("/proc/uptime")).split(" ")[0]);
}

/**
 * Runs one tool in a pane of a detached session for `seconds`, reads its
 * times just before it is stopped, then stops it (its pane's process, by pid).
 */
export async function runTool(tool: Tool, seconds: number, tmp: string): Promise<TopFigures> {
  // A server of its own per run: a server still exiting refuses the next session.
  const socket = `memsnap-bench-top-${Deno.pid}-${++runs}`;
  const dir = await Deno.makeTempDir({ dir: tmp });
  const env = tool.setup === undefined ? {} : await tool.setup(dir);
  const command = Object.keys(env).length === 0
    ? tool.argv
    : ["env", ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...tool.argv];
  const quoted = command.map((w) =>
    /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'"'"'`)}'`
  );
  console.error(`bench: ${tool.name} for ${seconds} s: ${tool.argv.join(" ")}`);
  await tmux(socket, ["new-session", "-d", "-s", "top", "-x", "160", "-y", "50", quoted.join(" ")]);
  try {
    const pid = Number(await tmux(socket, ["display", "-p", "-t", "top", "#{pane_pid}"]));
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    // The pane runs the command itself (sh and env exec it): its pid is the tool's.
    const [utime, stime, cutime, cstime, started] = await processTimes(pid);
    const wall = await uptime() - started! / CLOCK_TICKS;
    const screen = await tmux(socket, ["capture-pane", "-p", "-t", "top"]);
    if (screen.trim() === "" && !tool.argv.includes("-b")) {
      throw new Error(`${tool.name} drew nothing`);
    }
    const user = (utime! + cutime!) / CLOCK_TICKS;
    const system = (stime! + cstime!) / CLOCK_TICKS;
    return {
      name: tool.name,
      command: tool.argv.join(" "),
      wall,
      cpu: user + system,
      user,
      system,
    };
  } finally {
    await tmux(socket, ["kill-server"]).catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
}

/** The figures, as Markdown, with each tool's CPU as a ratio to memsnap top's. */
export function renderTop(n: number, seconds: number, figures: readonly TopFigures[]): string {
  const base = figures[0]!;
  const row = (f: TopFigures) =>
    `| ${f.name} | \`${f.command}\` | ${(100 * f.cpu / f.wall).toFixed(1)} % | ${
      f.user.toFixed(2)
    } + ${f.system.toFixed(2)} s in ${f.wall.toFixed(1)} s | ${
      base.cpu === 0 ? "-" : `${(f.cpu / base.cpu).toFixed(1)}×`
    } |`;
  return [
    `Live views at a 1 s delay on the workload (N = ${n}), each for ${seconds} s in a tmux pane of its own, one after the other (scripts/bench/top.ts):`,
    "",
    "| tool | command | CPU (% of one core) | user + system | CPU against memsnap top |",
    "|---|---|--:|--:|--:|",
    ...figures.map(row),
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      seconds: { type: "string", default: "30" },
      processes: { type: "string", default: "1000" },
      memsnap: { type: "string", default: `${ROOT}dist/memsnap` },
      write: { type: "boolean", default: false },
    },
  });
  const seconds = Number(values.seconds);
  const n = Number(values.processes);
  const memsnap = values.memsnap.split(" ");
  if (memsnap.length === 1) await Deno.stat(memsnap[0]!);
  const tmp = await Deno.makeTempDir({ prefix: "memsnap-bench-top-" });
  const workload = await startWorkload(n);
  let figures: TopFigures[];
  try {
    figures = [];
    for (const tool of tools(memsnap)) figures.push(await runTool(tool, seconds, tmp));
  } finally {
    await workload.stop();
    await Deno.remove(tmp, { recursive: true });
  }
  const text = [...await machineLines(), "", renderTop(n, seconds, figures)].join("\n");
  console.log(text);
  if (values.write) {
    const doc = await Deno.readTextFile(DOC);
    const block = `${START}\n\n${text}\n${END}`;
    const from = doc.indexOf(START);
    const to = doc.indexOf(END);
    await Deno.writeTextFile(
      DOC,
      from >= 0 && to > from
        ? doc.slice(0, from) + block + doc.slice(to + END.length)
        : `${doc.trimEnd()}\n\n## memsnap top\n\n${block}\n`,
    );
    // The table as deno fmt lays it out, so that `deno task check` stays clean.
    await new Deno.Command("deno", { args: ["fmt", DOC], stderr: "null" }).output();
    console.error(`bench: wrote ${DOC}`);
  }
}

if (import.meta.main) await main();
