/**
 * What memsnap leaves out, it says, in every command that reads live, and
 * in every JSON document: the processes whose memory this user may not
 * read, counted as the filters would have shown them. Run as the user
 * nobody (the tests run as root), against a root process the test starts.
 */

import { deepStrictEqual, doesNotMatch, ok, strictEqual } from "node:assert/strict";
import { memsnap, memsnapCommand } from "../_helpers/memsnap.ts";

const tmp = await Deno.makeTempDir({ prefix: "memsnap-skipped-" });
await Deno.chmod(tmp, 0o777);
globalThis.addEventListener("unload", () => Deno.removeSync(tmp, { recursive: true }));

/** Runs memsnap as nobody in `tmp`. */
async function asNobody(args: readonly string[]) {
  strictEqual(Deno.uid(), 0, "these tests run as root, to run memsnap as another user");
  const [command, ...prefix] = memsnapCommand();
  const { code, stdout, stderr } = await new Deno.Command("setpriv", {
    args: ["--reuid=65534", "--regid=65534", "--clear-groups", command!, ...prefix, ...args],
    cwd: tmp,
    env: { HOME: tmp, DENO_DIR: `${tmp}/deno-nobody`, DENO_NO_UPDATE_CHECK: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  // Deno fetches its npm cache for the new user first: not memsnap's output.
  const lines = decoder.decode(stderr).split("\n").filter((l) => !/Download/.test(l));
  return { code, stdout: decoder.decode(stdout), stderr: lines.join("\n") };
}

/** A root process named `name`, which nobody may not read; stopped at the end. */
async function rootProcess<T>(name: string, run: (pid: number) => Promise<T>): Promise<T> {
  const child = new Deno.Command("bash", {
    args: ["-c", `exec -a ${name} sleep 60`],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    for (let i = 0; i < 100; i++) {
      const cmdline = await Deno.readTextFile(`/proc/${child.pid}/cmdline`).catch(() => "");
      if (cmdline.startsWith(name)) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return await run(child.pid);
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
}

const SKIPPED_ONE =
  "memsnap: 1 process skipped: permission denied reading their memory maps (reading other users' processes needs root or CAP_SYS_PTRACE)";

/** VmRSS and VmSwap of a process, kB, as root reads its status. */
async function statusRss(pid: number): Promise<[number, number]> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, "m").exec(status)![1]);
  return [kb("VmRSS"), kb("VmSwap")];
}

Deno.test("a table counts the unreadable processes its filters would show; --all shows them rss-only", async () => {
  const name = `memsnap-probe-${crypto.randomUUID().slice(0, 8)}`;
  await rootProcess(name, async (pid) => {
    const table = await asNobody(["-P", `^${name}`]);
    strictEqual(table.code, 0, table.stderr);
    deepStrictEqual(table.stdout.split("\n").length, 2, table.stdout); // The header alone.
    deepStrictEqual(table.stderr.trimEnd(), SKIPPED_ONE);
    // A filter that keeps none of them: nothing was left out that it would show.
    strictEqual((await asNobody(["-P", `^${name}-none`])).stderr.trim(), "");
    // --all: its row, RSS and swap from status, PSS and USS unknown, and why.
    const all = await asNobody(["-P", `^${name}`, "--all", "-c", "pid command swap uss pss rss"]);
    strictEqual(all.code, 0, all.stderr);
    const [rss, swap] = await statusRss(pid);
    deepStrictEqual(all.stdout.split("\n")[1]!.trim().split(/ +/), [
      String(pid),
      name,
      "60",
      String(swap),
      "-",
      "-",
      String(rss),
      "rss-only",
      "-",
    ]);
    deepStrictEqual(
      all.stderr.trimEnd(),
      "memsnap: 1 process rss-only, PSS and USS unknown: 1 memory maps not readable",
    );
    // CSV with --all: the same row, its provenance a column.
    const csv = await asNobody(["-P", `^${name}`, "--all", "-c", "pid pss rss", "--format", "csv"]);
    deepStrictEqual(csv.stdout.split("\n").slice(0, 2), [
      "pid,pss,rss,provenance,age",
      `${pid},,${rss},rss-only,`,
    ]);
  });
});

Deno.test("JSON has the unreadable processes as rss-only rows, and counts them", async () => {
  const name = `memsnap-probe-${crypto.randomUUID().slice(0, 8)}`;
  await rootProcess(name, async (pid) => {
    const matched = await asNobody([
      "-P",
      `^${name}`,
      "--format",
      "json",
      "-c",
      "pid pss rss swap",
    ]);
    strictEqual(matched.code, 0, matched.stderr);
    const report = JSON.parse(matched.stdout);
    const [rss, swap] = await statusRss(pid);
    deepStrictEqual(report.rows, [
      { pid, pss: null, rss, swap, provenance: "rss-only", age: null },
    ]);
    deepStrictEqual(report.provenance, { exact: 0, carried: 0, rssOnly: 1 });
    deepStrictEqual([report.skipped.unreadable, report.skipped.withoutMappings], [0, 0]);
    deepStrictEqual(
      matched.stderr.trimEnd(),
      "memsnap: 1 process rss-only, PSS and USS unknown: 1 memory maps not readable",
    );
    // -U tells too: root's processes are rss-only, nobody's walked.
    const root = JSON.parse((await asNobody(["-U", "^root$", "--format", "json"])).stdout);
    ok(
      root.rows.length >= 1 &&
        root.rows.every((r: { provenance: string }) => r.provenance === "rss-only"),
    );
    const own = JSON.parse((await asNobody(["-U", "^nobody$", "--format", "json"])).stdout);
    ok(
      own.rows.length >= 1 &&
        own.rows.every((r: { provenance: string }) => r.provenance === "exact"),
    );
    strictEqual(own.provenance, undefined);
  });
});

Deno.test("diff live says what each side left out", async () => {
  const name = `memsnap-probe-${crypto.randomUUID().slice(0, 8)}`;
  await rootProcess(name, async () => {
    const { code, stdout, stderr } = await asNobody([
      "diff",
      "live",
      "live",
      "-P",
      name,
      "--format",
      "json",
    ]);
    strictEqual(code, 0, stderr);
    const diff = JSON.parse(stdout);
    deepStrictEqual([diff.a.skipped.unreadable, diff.b.skipped.unreadable], [1, 1]);
    deepStrictEqual(stderr.trimEnd().split("\n"), [
      SKIPPED_ONE.replace("memsnap: ", "memsnap: A: "),
      SKIPPED_ONE.replace("memsnap: ", "memsnap: B: "),
    ]);
  });
});

Deno.test("captures store what they left out; recordings keep it as rss-only rows", async () => {
  const name = `memsnap-probe-${crypto.randomUUID().slice(0, 8)}`;
  await rootProcess(name, async (pid) => {
    const capture = await asNobody(["capture", "-o", "c.tar.gz", "--detail", "rollup"]);
    strictEqual(capture.code, 0, capture.stderr);
    const unreadable = Number(
      /(\d+) process(?:es)? left out: permission denied/.exec(
        capture.stderr,
      )?.[1],
    );
    ok(unreadable >= 1, capture.stderr);
    const stored = JSON.parse(
      (await memsnap(["-S", `${tmp}/c.tar.gz`, "--format", "json"])).stdout,
    );
    strictEqual(stored.skipped.unreadable, unreadable);
    // A recording samples: it keeps them, rss-only, and says nothing was left out.
    const record = await asNobody(["record", "-o", "r.tar.gz", "-n", "2", "-i", "50ms"]);
    strictEqual(record.code, 0, record.stderr);
    doesNotMatch(record.stderr, /left out/);
    const snapshot = JSON.parse(
      (await memsnap([
        "-S",
        `${tmp}/r.tar.gz@last`,
        "--format",
        "json",
        "-P",
        name,
        "-c",
        "pid rss",
      ]))
        .stdout,
    );
    const [rss] = await statusRss(pid);
    deepStrictEqual(snapshot.rows, [{ pid, rss, provenance: "rss-only", age: null }]);
    strictEqual(snapshot.skipped.unreadable, 0);
    // Its table shows it too, marked, without --all: the recording holds it.
    const table = await memsnap(["-S", `${tmp}/r.tar.gz@last`, "-P", `^${name}`, "-c", "pid rss"]);
    deepStrictEqual(table.stdout.split("\n")[1]!.trim().split(/ +/), [
      String(pid),
      String(rss),
      "rss-only",
      "-",
    ]);
  });
});
