/**
 * --cgroups, --commands and --tree on the process family of fixtures/views,
 * against smem's per-process numbers on the same mirror, grouped here by the
 * family as its script designed it.
 */

import { deepStrictEqual, match, ok } from "node:assert/strict";
import {
  family,
  FAMILY_ARCHIVE,
  familyMirror,
  smemByPid,
  type SmemNumbers,
  sumGroups,
} from "../_helpers/family.ts";
import { memsnap, memsnapProcess, type Outcome } from "../_helpers/memsnap.ts";
import { capturePath, unpackCapture } from "../_helpers/mirror.ts";

const MEMBERS = await family();
const DIR = await familyMirror();
globalThis.addEventListener("unload", () => Deno.removeSync(DIR, { recursive: true }));
const SMEM = await smemByPid(DIR);
const byPid = new Map(MEMBERS.map((m) => [m.pid, m]));

interface Row {
  readonly [column: string]: string | number | null;
}

async function json(
  args: readonly string[],
  run: (args: readonly string[]) => Promise<Outcome> = memsnap,
): Promise<
  { view: string; rows: Row[]; totals: Row; counts: Row }
> {
  const { code, stdout, stderr } = await run([...args, "--format", "json"]);
  deepStrictEqual([code, stderr], [0, ""]);
  return JSON.parse(stdout);
}

/** A cgroup path cut to `depth` levels, as --depth folds it. */
function fold(path: string, depth: number | undefined): string {
  if (depth === undefined) return path;
  return "/" + path.split("/").filter((p) => p !== "").slice(0, depth).join("/");
}

async function chargeOf(path: string): Promise<number | null> {
  try {
    return Number(await Deno.readTextFile(`${DIR}/sys/fs/cgroup${path}/memory.current`)) / 1024;
  } catch {
    return null;
  }
}

const numbers = (n: SmemNumbers & { count: number }) => ({
  count: n.count,
  pss: n.pss,
  uss: n.uss,
  rss: n.rss,
  swap: n.swap,
});

async function expectedCgroups(depth?: number, pids: ReadonlyMap<number, SmemNumbers> = SMEM) {
  const groups = sumGroups(pids, (pid) => {
    const cgroup = byPid.get(pid)!.cgroup;
    return cgroup === null ? "?" : fold(cgroup, depth);
  });
  return await Promise.all(
    [...groups].map(async ([cgroup, n]) => ({
      cgroup,
      hierarchy: cgroup === "?" ? null : "v2",
      ...numbers(n),
      charge: cgroup === "?" ? null : await chargeOf(cgroup),
    })),
  );
}

const CGROUP_COLUMNS = "cgroup hierarchy count pss uss rss swap charge";
const byKey = (key: string) => (a: Row, b: Row) => String(a[key]) < String(b[key]) ? -1 : 1;

Deno.test("memsnap --cgroups sums smem's numbers per cgroup, beside the charge in DIR/sys/fs/cgroup", async () => {
  const report = await json(["-S", DIR, "--cgroups", "-c", CGROUP_COLUMNS], memsnapProcess);
  deepStrictEqual(report.view, "cgroups");
  const expected = await expectedCgroups();
  deepStrictEqual(report.rows.toSorted(byKey("cgroup")), expected.toSorted(byKey("cgroup")));
  // Some charges are in the fixture, some not: unknown, shown as null.
  ok(expected.some((row) => row.charge === null) && expected.some((row) => row.charge !== null));
  deepStrictEqual(
    report.rows.map((r) => r.pss),
    report.rows.map((r) => r.pss as number).toSorted((a, b) => a - b),
  );
});

for (const depth of [0, 1, 2, 3]) {
  Deno.test(`memsnap --cgroups --depth ${depth} folds deeper cgroups into their ancestor`, async () => {
    const report = await json([
      "-S",
      DIR,
      "--cgroups",
      "--depth",
      String(depth),
      "-c",
      CGROUP_COLUMNS,
    ]);
    const expected = await expectedCgroups(depth);
    deepStrictEqual(report.rows.toSorted(byKey("cgroup")), expected.toSorted(byKey("cgroup")));
  });
}

Deno.test("memsnap --cgroups on a capture shows the charge as unknown, not zero", async () => {
  const report = await json(["-S", FAMILY_ARCHIVE, "--cgroups", "-c", CGROUP_COLUMNS]);
  deepStrictEqual(
    report.rows.toSorted(byKey("cgroup")),
    (await expectedCgroups()).map((row) => ({
      ...row,
      charge: null,
    })).toSorted(byKey("cgroup")),
  );
});

Deno.test("memsnap --cgroups -P counts only the matching processes (smem -P on the same mirror)", async () => {
  const report = await json(["-S", DIR, "--cgroups", "-P", "nginx|firefox", "-c", CGROUP_COLUMNS]);
  const expected = await expectedCgroups(undefined, await smemByPid(DIR, ["-P", "nginx|firefox"]));
  deepStrictEqual(expected.length, 2);
  deepStrictEqual(report.rows.toSorted(byKey("cgroup")), expected.toSorted(byKey("cgroup")));
});

Deno.test("memsnap --commands sums smem's numbers per program (ps_mem's private, shared, total)", async () => {
  const report = await json(
    ["-S", DIR, "--commands", "-c", "command count private shared total uss pss rss swap"],
    memsnapProcess,
  );
  const groups = sumGroups(SMEM, (pid) => byPid.get(pid)!.program);
  const expected = [...groups].map(([command, n]) => ({
    command,
    count: n.count,
    private: n.uss,
    shared: n.pss - n.uss,
    total: n.pss,
    uss: n.uss,
    pss: n.pss,
    rss: n.rss,
    swap: n.swap,
  }));
  deepStrictEqual(report.rows.toSorted(byKey("command")), expected.toSorted(byKey("command")));
  // firefox's four processes, "Web Content" and "Isolated Web Co" included.
  deepStrictEqual(report.rows.find((r) => r.command === "firefox")?.count, 4);
});

Deno.test("memsnap --commands -U counts the user's processes only (smem -U on the same mirror)", async () => {
  const report = await json([
    "-S",
    DIR,
    "--commands",
    "-U",
    "^www-data$",
    "-c",
    "command count total",
  ]);
  const pids = await smemByPid(DIR, ["-U", "^www-data$"]);
  const total = [...pids.values()].reduce((sum, n) => sum + n.pss, 0);
  deepStrictEqual(report.rows, [{ command: "nginx", count: 2, total }]);
});

/** The pids of a subtree, from the family's own ppids. */
function subtree(pid: number, shown: ReadonlySet<number>): number[] {
  return [
    pid,
    ...MEMBERS.filter((m) => m.ppid === pid && shown.has(m.pid)).flatMap((m) =>
      subtree(m.pid, shown)
    ),
  ];
}

/** The family's tree in pre-order, siblings sorted by `key` (ties by pid). */
function preOrder(
  shown: ReadonlySet<number>,
  key: (pid: number) => number,
  reverse: boolean,
): { pid: number; depth: number }[] {
  const sorted = (pids: number[]) =>
    pids.toSorted((a, b) => (reverse ? -1 : 1) * (key(a) - key(b) || a - b));
  const walk = (pid: number, depth: number): { pid: number; depth: number }[] => [
    { pid, depth },
    ...sorted(MEMBERS.filter((m) => m.ppid === pid && shown.has(m.pid)).map((m) => m.pid))
      .flatMap((child) => walk(child, depth + 1)),
  ];
  const roots = MEMBERS.filter((m) => shown.has(m.pid) && !shown.has(m.ppid)).map((m) => m.pid);
  return sorted(roots).flatMap((root) => walk(root, 0));
}

for (const reverse of [false, true]) {
  Deno.test(`memsnap --tree${reverse ? " -r" : ""} sums each subtree, in tree order`, async () => {
    const report = await json(
      [
        "-S",
        DIR,
        "--tree",
        "-c",
        "pid ppid depth pss tree_pss tree_uss tree_rss tree_swap",
        ...(
          reverse ? ["-r"] : []
        ),
      ],
      memsnapProcess,
    );
    const all = new Set(MEMBERS.map((m) => m.pid));
    const sum = (pid: number, key: keyof SmemNumbers) =>
      subtree(pid, all).reduce((total, p) => total + SMEM.get(p)![key], 0);
    const expected = preOrder(all, (pid) => sum(pid, "pss"), reverse).map(({ pid, depth }) => ({
      pid,
      ppid: all.has(byPid.get(pid)!.ppid) ? byPid.get(pid)!.ppid : null,
      depth,
      pss: SMEM.get(pid)!.pss,
      tree_pss: sum(pid, "pss"),
      tree_uss: sum(pid, "uss"),
      tree_rss: sum(pid, "rss"),
      tree_swap: sum(pid, "swap"),
    }));
    deepStrictEqual(report.rows, expected);
    // Totals: own columns only; a subtree's sum would count twice.
    deepStrictEqual([report.totals, report.counts], [
      { pss: [...SMEM.values()].reduce((t, n) => t + n.pss, 0) },
      { pid: MEMBERS.length },
    ]);
  });
}

Deno.test("memsnap --tree -P shows the matches with their ancestors, counting the matches only", async () => {
  const report = await json(["-S", DIR, "--tree", "-P", "firefox", "-c", "pid depth pss tree_pss"]);
  const matched = await smemByPid(DIR, ["-P", "firefox"]);
  deepStrictEqual([...matched.keys()].sort(), [1200, 1201, 1202, 1203]);
  const shown = new Set([1, 1100, ...matched.keys()]);
  const treeSum = (pid: number) =>
    subtree(pid, shown).reduce((t, p) => t + (matched.get(p)?.pss ?? 0), 0);
  deepStrictEqual(
    report.rows,
    preOrder(shown, treeSum, false).map(({ pid, depth }) => ({
      pid,
      depth,
      pss: matched.get(pid)?.pss ?? null,
      tree_pss: treeSum(pid),
    })),
  );
});

Deno.test("memsnap --tree indents the command by depth in the table, keeping smem's 27 characters of it at every depth", async () => {
  const { code, stdout } = await memsnapProcess(["-S", DIR, "--tree", "-c", "pid command", "-H"]);
  deepStrictEqual(code, 0);
  const lines = stdout.split("\n");
  const line = (pid: number) => lines.find((l) => l.startsWith(String(pid).padStart(5) + " "));
  match(line(1)!, /^ {4}1 \/sbin\/init splash/);
  // The deepest row (python3 under bash under the terminal under systemd
  // --user) is at depth 4: the column is 27 + 4 × 2 wide.
  deepStrictEqual(line(1100), " 1100   /usr/lib/systemd/systemd --user   ");
  deepStrictEqual(line(1302), ` 1302         ${byPid.get(1302)!.argv.join(" ").slice(0, 27)} `);
});

Deno.test("memsnap --commands and --cgroups: table with -t -k, and CSV with totals", async () => {
  const table = await memsnapProcess(["-S", DIR, "--commands", "-t", "-k", "-r"]);
  deepStrictEqual(table.code, 0);
  const lines = table.stdout.trimEnd().split("\n");
  match(lines[0]!, /^Program +Count +Private +Shared +RAM used $/);
  match(lines[1]!, /^firefox +4 /);
  match(lines.at(-1)!, new RegExp(`^ +${MEMBERS.length} `));

  const csv = await memsnap([
    "-S",
    DIR,
    "--cgroups",
    "-t",
    "-c",
    "cgroup count pss charge",
    "--format",
    "csv",
  ]);
  const records = csv.stdout.trimEnd().split("\n");
  deepStrictEqual(records[0], "cgroup,count,pss,charge");
  const pss = [...SMEM.values()].reduce((t, n) => t + n.pss, 0);
  deepStrictEqual(records.at(-1), `,${MEMBERS.length},${pss},`);
  ok(
    records.includes(
      `/system.slice/nginx.service,3,${[410, 411, 412].reduce((t, p) => t + SMEM.get(p)!.pss, 0)},${
        41_943_040 / 1024
      }`,
    ),
  );
});

Deno.test("memsnap --cgroups cuts a long path from the left behind an ellipsis, and -a shows it whole", async () => {
  const args = ["-S", DIR, "--cgroups", "-c", "cgroup count", "-s", "cgroup", "-H"];
  const cut = await memsnapProcess(args);
  const firefox = "/user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox.scope";
  ok(cut.stdout.includes(`...${firefox.slice(-37)}     4 \n`), cut.stdout);
  ok(cut.stdout.includes("/system.slice/nginx.service                  3 \n"), cut.stdout);
  const whole = await memsnapProcess([...args, "-a"]);
  ok(whole.stdout.split("\n").some((l) => l.startsWith(firefox + " ")), whole.stdout);
});

Deno.test("memsnap --cgroups -s count -r sorts by the chosen column, descending", async () => {
  const report = await json(["-S", DIR, "--cgroups", "-s", "count", "-r", "-c", "cgroup count"]);
  const counts = report.rows.map((r) => r.count as number);
  deepStrictEqual(counts, counts.toSorted((a, b) => b - a));
});

const USAGE: [string[], RegExp][] = [
  [["--depth", "1"], /"--depth" applies to the cgroup view/],
  [["--cgroups", "--depth", "-1"], /Invalid depth "-1"/],
  [["--cgroups", "--depth", "x"], /Invalid depth "x"/],
  [["--cgroups", "-u"], /Options "--cgroups", "-u" ask for different views/],
  [["--commands", "--cgroups"], /ask for different views/],
  [
    ["--tree", "-m"],
    /Option "--tree" applies to the process view and the system view \(-w\), not "-m"/,
  ],
  [["--commands", "-c", "name"], /Unknown column "name" for the commands view/],
  [["--tree", "-s", "tree_bogus"], /Unknown sort field "tree_bogus" for the process-tree view/],
];

for (const [args, message] of USAGE) {
  Deno.test(`memsnap ${args.join(" ")} is a usage error`, async () => {
    const { code, stderr } = await memsnap(["-S", DIR, ...args]);
    deepStrictEqual(code, 2);
    match(stderr, message);
  });
}

Deno.test("memsnap --cgroups refuses a charge file that holds no number, naming it", async () => {
  const dir = await familyMirror();
  await Deno.writeTextFile(`${dir}/sys/fs/cgroup/init.scope/memory.current`, "max\n");
  const { code, stderr } = await memsnapProcess(["-S", dir, "--cgroups"]);
  await Deno.remove(dir, { recursive: true });
  deepStrictEqual(code, 1);
  deepStrictEqual(
    stderr,
    `memsnap: Cannot parse "${dir}/sys/fs/cgroup/init.scope/memory.current": line 1: expected a number of bytes\n`,
  );
});

Deno.test("memsnap --cgroups on a capture of a hybrid system groups by the v1 memory controller's path", async () => {
  const dir = await unpackCapture(capturePath("n60.tar.gz"));
  const pids = await smemByPid(dir);
  const memoryPath = async (pid: number) => {
    const text = await Deno.readTextFile(`${dir}/proc/${pid}/cgroup`);
    return /^\d+:memory:(.*)$/m.exec(text)![1]!;
  };
  const paths = new Map(
    await Promise.all([...pids.keys()].map(async (pid) => [pid, await memoryPath(pid)] as const)),
  );
  const expected = [...sumGroups(pids, (pid) => paths.get(pid)!)].map(([cgroup, n]) => ({
    cgroup,
    hierarchy: "v1",
    ...numbers(n),
    charge: null,
  }));
  const report = await json(["-S", capturePath("n60.tar.gz"), "--cgroups", "-c", CGROUP_COLUMNS]);
  await Deno.remove(dir, { recursive: true });
  deepStrictEqual(report.rows.toSorted(byKey("cgroup")), expected.toSorted(byKey("cgroup")));
});
