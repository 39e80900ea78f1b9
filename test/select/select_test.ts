import assert from "node:assert/strict";
import { compileSelection, mappingName, selectProcesses } from "../../src/select/select.ts";
import { mappingGroupsOf } from "../../src/snapshot/mapping_groups.ts";
import type { Mapping, Process, Snapshot } from "../../src/snapshot/snapshot.ts";
import { mapping, processOf } from "../_helpers/snapshot.ts";

function process(
  pid: number,
  uid: number,
  name: string,
  cmdline: readonly string[] | null,
  mappings: readonly Mapping[],
): Process {
  return processOf({ pid, uid, name, cmdline, mappings });
}

const LIBC = "/usr/lib/libc.so.6";

const SNAPSHOT: Snapshot = {
  takenAt: null,
  host: { hostname: null, kernel: null, pageSize: null },
  meminfo: { MemTotal: 1000 },
  users: { 0: "root", 1000: "alice", 1001: "bob" },
  detail: "full",
  processes: [
    process(1, 0, "systemd", ["/sbin/init", "splash"], [
      mapping(LIBC, { rss: 100, pss: 10, privateClean: 1 }),
      mapping("", { rss: 50, pss: 50, privateDirty: 50 }),
    ]),
    process(200, 1000, "firefox", ["/usr/lib/firefox/firefox"], [
      mapping(LIBC, { rss: 100, pss: 10, privateClean: 2 }),
      mapping("[heap]", { rss: 400, pss: 400, privateDirty: 400 }),
      mapping("/memfd:shm (deleted)", { rss: 30, pss: 15, sharedDirty: 30 }),
    ]),
    process(300, 1001, "bash", ["-bash"], [
      mapping("[heap]", { rss: 20, pss: 20, privateDirty: 20 }),
    ]),
    // A uid with no name in the snapshot shows as its number.
    process(400, 2000, "worker", ["python3", "work.py"], [
      mapping(LIBC, { rss: 100, pss: 10, swap: 3 }),
    ]),
    // cmdline unreadable: its command is "?".
    process(500, -1, "ghost", null, [mapping("", { rss: 1, pss: 1 })]),
  ],
  skipped: { kernelThreads: 0, unreadable: 0, vanished: 0, withoutMappings: 0 },
};

const pids = (processes: readonly Process[]): number[] => processes.map((p) => p.pid);

Deno.test("selectProcesses() without filters keeps every process as it is", () => {
  const selected = selectProcesses(SNAPSHOT, {});
  assert.deepEqual(pids(selected), [1, 200, 300, 400, 500]);
  assert.equal(selected[1], SNAPSHOT.processes[1]);
});

Deno.test("selectProcesses() -P keeps processes whose name or command line matches", () => {
  // Name only ("systemd" is not in the command line).
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { process: /^systemd$/ })), [1]);
  // Command line only ("splash" is not in the name).
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { process: /splash/ })), [1]);
  // The command line is the arguments joined by spaces.
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { process: /python3 work\.py/ })), [400]);
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { process: /^-bash$/ })), [300]);
  // An unreadable command line reads as "?".
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { process: /^\?$/ })), [500]);
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { process: /nothing/ })), []);
});

Deno.test("selectProcesses() -P searches anywhere in the text, as re.search does", () => {
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { process: /fox/ })), [200]);
});

Deno.test("selectProcesses() -U matches the user name, the uid when unnamed, ? when unknown", () => {
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { user: /^alice$/ })), [200]);
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { user: /o/ })), [1, 300]);
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { user: /^2000$/ })), [400]);
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { user: /^\?$/ })), [500]);
  // Names, not uids, are matched when the user has a name.
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { user: /^1000$/ })), []);
});

Deno.test("selectProcesses() -P and -U together keep processes that pass both", () => {
  const selected = selectProcesses(SNAPSHOT, {
    process: /^(systemd|firefox|bash)$/,
    user: /^(bob|root)$/,
  });
  assert.deepEqual(pids(selected), [1, 300]);
});

Deno.test("selectProcesses() -M keeps matching mappings and sums the totals again", () => {
  const selected = selectProcesses(SNAPSHOT, { mapping: /libc/ });
  assert.deepEqual(pids(selected), [1, 200, 400]);
  const [init, firefox, worker] = selected;
  assert.deepEqual(init!.totals, { rss: 100, pss: 10, privateClean: 1 });
  assert.equal(init!.mapCount, 1);
  assert.deepEqual(init!.mappings!.map((m) => m.name), [LIBC]);
  assert.deepEqual(firefox!.totals, { rss: 100, pss: 10, privateClean: 2 });
  assert.deepEqual(worker!.totals, { rss: 100, pss: 10, swap: 3 });
  // The rest of the process is unchanged, and the snapshot is not modified.
  assert.equal(firefox!.name, "firefox");
  assert.equal(SNAPSHOT.processes[1]!.mapCount, 3);
  assert.deepEqual(SNAPSHOT.processes[1]!.totals, {
    rss: 530,
    pss: 425,
    privateClean: 2,
    privateDirty: 400,
    sharedDirty: 30,
  });
});

Deno.test("selectProcesses() -M on loaded mapping groups gives what it gives on the mappings", () => {
  // What the loader keeps: the groups, not the mappings.
  const grouped: Snapshot = {
    ...SNAPSHOT,
    processes: SNAPSHOT.processes.map(({ mappings: _, ...process }) => ({
      ...process,
      mappingGroups: mappingGroupsOf({ ...process, ...(_ !== undefined && { mappings: _ }) }),
    })),
  };
  for (const mapping of [/libc/, /heap/, /^<anonymous>$/, /memfd|heap/]) {
    const fromMappings = selectProcesses(SNAPSHOT, { mapping });
    const fromGroups = selectProcesses(grouped, { mapping });
    assert.deepEqual(
      fromGroups.map((p) => [p.pid, p.totals, p.mapCount, p.mappingGroups]),
      fromMappings.map((p) => [p.pid, p.totals, p.mapCount, p.mappingGroups]),
    );
    assert.ok(fromGroups.every((p) => p.mappings === undefined));
  }
  const [firefox] = selectProcesses(grouped, { mapping: /memfd|heap/ });
  assert.deepEqual(firefox!.totals, { rss: 430, pss: 415, privateDirty: 400, sharedDirty: 30 });
  assert.equal(firefox!.mapCount, 2);
});

Deno.test("selectProcesses() -M drops processes left with no mapping", () => {
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { mapping: /heap/ })), [200, 300]);
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { mapping: /nothing/ })), []);
});

Deno.test("selectProcesses() -M matches <anonymous> and names without ' (deleted)'", () => {
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { mapping: /^<anonymous>$/ })), [1, 500]);
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { mapping: /^\/memfd:shm$/ })), [200]);
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, { mapping: /deleted/ })), []);
});

Deno.test("selectProcesses() -M drops processes without mappings (rollup detail)", () => {
  const rollup: Process = { ...SNAPSHOT.processes[0]!, mapCount: null };
  delete (rollup as { mappings?: unknown }).mappings;
  const snapshot: Snapshot = { ...SNAPSHOT, detail: "rollup", processes: [rollup] };
  assert.deepEqual(selectProcesses(snapshot, { mapping: /./ }), []);
  assert.deepEqual(pids(selectProcesses(snapshot, {})), [1]);
});

Deno.test("selectProcesses() -P, -U and -M together", () => {
  const selected = selectProcesses(SNAPSHOT, {
    process: /fire|bash/,
    user: /^alice$/,
    mapping: /memfd/,
  });
  assert.deepEqual(pids(selected), [200]);
  assert.deepEqual(selected[0]!.totals, { rss: 30, pss: 15, sharedDirty: 30 });
  assert.equal(selected[0]!.mapCount, 1);
});

Deno.test("mappingName() names anonymous memory <anonymous>", () => {
  assert.equal(mappingName(mapping("", {})), "<anonymous>");
});

Deno.test("mappingName() drops the kernel's ' (deleted)' marker", () => {
  assert.equal(mappingName(mapping("/memfd:shm (deleted)", {})), "/memfd:shm");
  assert.equal(mappingName(mapping("/usr/lib/old.so (deleted)", {})), "/usr/lib/old.so");
  // Only at the end, and only with its space.
  assert.equal(mappingName(mapping("/tmp/(deleted)", {})), "/tmp/(deleted)");
  assert.equal(mappingName(mapping("/tmp/a (deleted) b", {})), "/tmp/a (deleted) b");
});

Deno.test("mappingName() keeps names as the kernel gives them, spaces included", () => {
  assert.equal(mappingName(mapping("[heap]", {})), "[heap]");
  assert.equal(
    mappingName(mapping("/home/u/My Documents/lib x.so", {})),
    "/home/u/My Documents/lib x.so",
  );
  assert.equal(mappingName(mapping("/memfd:a b (deleted)", {})), "/memfd:a b");
});

Deno.test("compileSelection() checks a filter's Python pattern, naming smem's option of a refused one", async () => {
  await assert.rejects(() => compileSelection({ user: "(a)\\1" }), {
    name: "UsageError",
    message:
      'Invalid regular expression for -U "(a)\\1": backreference "\\1" not supported: memsnap matches in linear time (RE2), without backreferences or lookaround',
  });
});

Deno.test("compileSelection() compiles each pattern given; RE2's refusal is a usage error naming the option", async () => {
  assert.deepEqual(await compileSelection({}), {});
  const filters = await compileSelection({
    process: "(?i)^FIRE",
    mapping: "^\\[heap\\]$",
  });
  assert.deepEqual(Object.keys(filters), ["process", "mapping"]);
  assert.deepEqual(pids(selectProcesses(SNAPSHOT, filters)), [200]);
  await assert.rejects(() => compileSelection({ mapping: "lib(c" }), {
    name: "UsageError",
    message: 'Invalid regular expression for -M "lib(c": missing closing ): "lib(c"',
  });
});

Deno.test("selectProcesses() -P with a nested repeat answers at once, as Python would after a long while", async () => {
  const snapshot: Snapshot = {
    ...SNAPSHOT,
    processes: [
      process(600, 0, "sleep", ["a".repeat(40) + "!"], [mapping("", { rss: 1, pss: 1 })]),
      process(700, 0, "sleep", ["a".repeat(40)], [mapping("", { rss: 1, pss: 1 })]),
    ],
  };
  const select = async (pattern: string) =>
    pids(
      selectProcesses(
        snapshot,
        await compileSelection({ process: pattern }),
      ),
    );
  assert.deepEqual(await select("^(a+)+$"), [700]);
  assert.deepEqual(await select("(a+)+$|!"), [600, 700]);
});
