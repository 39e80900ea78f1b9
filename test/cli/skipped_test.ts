/**
 * What memsnap leaves out, it says, in every command that reads live, and
 * in every JSON document: the processes whose memory this user may not
 * read, counted as the filters would have shown them. Run as the user
 * nobody (the tests run as root), against a root process the test starts.
 */

import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
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
async function rootProcess<T>(name: string, run: () => Promise<T>): Promise<T> {
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
    return await run();
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
}

const SKIPPED_ONE =
  "memsnap: 1 process skipped: permission denied reading their memory maps (reading other users' processes needs root or CAP_SYS_PTRACE)";

Deno.test("a report counts the unreadable processes its filters would show, in the JSON too", async () => {
  const name = `memsnap-probe-${crypto.randomUUID().slice(0, 8)}`;
  await rootProcess(name, async () => {
    const matched = await asNobody(["-P", name, "--format", "json"]);
    strictEqual(matched.code, 0, matched.stderr);
    // Vanished and kernel threads are the machine's (processes that exit while read are not
    // known to match): only the unreadable count is the filters'.
    const { skipped } = JSON.parse(matched.stdout);
    deepStrictEqual(Object.keys(skipped).sort(), [
      "kernelThreads",
      "unreadable",
      "vanished",
      "withoutMappings",
    ]);
    deepStrictEqual([skipped.unreadable, skipped.withoutMappings], [1, 0]);
    deepStrictEqual(matched.stderr.trimEnd(), SKIPPED_ONE);
    // A filter that keeps none of them: nothing was left out that it would show.
    const none = await asNobody(["-P", `${name}-none`, "--format", "json"]);
    strictEqual(JSON.parse(none.stdout).skipped.unreadable, 0);
    strictEqual(none.stderr.trim(), "");
    // -U tells too: root's processes are unreadable, nobody's not.
    const root = JSON.parse((await asNobody(["-U", "^root$", "--format", "json"])).stdout);
    ok(root.skipped.unreadable >= 1);
    strictEqual(
      JSON.parse((await asNobody(["-U", "^nobody$", "--format", "json"])).stdout).skipped
        .unreadable,
      0,
    );
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

Deno.test("captures and recordings store what they left out, and reports read it back", async () => {
  const name = `memsnap-probe-${crypto.randomUUID().slice(0, 8)}`;
  await rootProcess(name, async () => {
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
    const record = await asNobody(["record", "-o", "r.tar.gz", "-n", "2", "-i", "50ms"]);
    strictEqual(record.code, 0, record.stderr);
    match(
      record.stderr,
      /memsnap: up to \d+ process(es)? left out of a snapshot: permission denied/,
    );
    const snapshot = JSON.parse(
      (await memsnap(["-S", `${tmp}/r.tar.gz@last`, "--format", "json"])).stdout,
    );
    ok(snapshot.skipped.unreadable >= 1);
    // A trend says the most any snapshot left out, of what -P would show.
    const trend = await memsnap([
      "diff",
      `${tmp}/r.tar.gz`,
      "--each",
      "-P",
      name,
      "--format",
      "json",
    ]);
    strictEqual(trend.code, 0, trend.stderr);
    deepStrictEqual(JSON.parse(trend.stdout).skipped.unreadable, 1);
    deepStrictEqual(
      trend.stderr.trimEnd(),
      SKIPPED_ONE.replace("memsnap: ", "memsnap: in a snapshot, up to "),
    );
  });
});
