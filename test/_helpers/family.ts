/**
 * fixtures/views: the made-up process family for the cgroup, command and
 * tree views (scripts/make-views-fixture.py), and smem's numbers on it.
 */

import { ROOT } from "./memsnap.ts";
import { unpackCapture } from "./mirror.ts";
import { smem } from "./smem.ts";

/** The family's archive (smem's tarball layout, no cgroup filesystem). */
export const FAMILY_ARCHIVE = `${ROOT}fixtures/views/family.tar.gz`;
const SYS = `${ROOT}fixtures/views/sys`;

/** One process as the fixture script designed it. */
export interface Member {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  readonly argv: readonly string[];
  /** The v2 cgroup path; null where the process has no cgroup file. */
  readonly cgroup: string | null;
  readonly user: string;
  /** Its program, by ps_mem's rule as the script computes it. */
  readonly program: string;
}

/** The family, from fixtures/views/family.json. */
export async function family(): Promise<Member[]> {
  return JSON.parse(await Deno.readTextFile(`${ROOT}fixtures/views/family.json`));
}

/**
 * Unpacks the family into a new DIR/proc with the fixture's cgroup
 * filesystem at DIR/sys/fs/cgroup.
 *
 * @returns DIR.
 */
export async function familyMirror(): Promise<string> {
  const dir = await unpackCapture(FAMILY_ARCHIVE);
  const { success } = await new Deno.Command("cp", { args: ["-r", SYS, `${dir}/sys`] }).output();
  if (!success) throw new Error("cp failed");
  return dir;
}

/** smem's per-process numbers (kB). */
export interface SmemNumbers {
  readonly pss: number;
  readonly uss: number;
  readonly rss: number;
  readonly swap: number;
}

/** `smem -S DIR -c "pid pss uss rss swap"`, by pid. */
export async function smemByPid(dir: string, args: readonly string[] = []): Promise<
  Map<number, SmemNumbers>
> {
  const { code, stdout, stderr } = await smem([
    "-S",
    dir,
    "-H",
    "-c",
    "pid pss uss rss swap",
    ...args,
  ]);
  if (code !== 0) throw new Error(`smem failed: ${stderr}`);
  return new Map(
    stdout.trim().split("\n").map((line) => {
      const [pid, pss, uss, rss, swap] = line.trim().split(/\s+/).map(Number) as [
        number,
        number,
        number,
        number,
        number,
      ];
      return [pid, { pss, uss, rss, swap }];
    }),
  );
}

/** Sums smem's numbers over groups of pids. */
export function sumGroups<K>(
  numbers: ReadonlyMap<number, SmemNumbers>,
  groupOf: (pid: number) => K,
): Map<K, SmemNumbers & { count: number }> {
  const groups = new Map<K, SmemNumbers & { count: number }>();
  for (const [pid, n] of numbers) {
    const key = groupOf(pid);
    const sum = groups.get(key) ?? { count: 0, pss: 0, uss: 0, rss: 0, swap: 0 };
    groups.set(key, {
      count: sum.count + 1,
      pss: sum.pss + n.pss,
      uss: sum.uss + n.uss,
      rss: sum.rss + n.rss,
      swap: sum.swap + n.swap,
    });
  }
  return groups;
}
