import assert from "node:assert/strict";
import type { Process } from "../../src/snapshot/snapshot.ts";
import { commandRows, programNames } from "../../src/view/commands.ts";
import { family } from "../_helpers/family.ts";
import { processOf, snapshotOf } from "../_helpers/snapshot.ts";

const proc = (
  pid: number,
  ppid: number | null,
  name: string,
  cmdline: string[] | null,
): Process => ({
  ...processOf({ pid, uid: 0, name, cmdline, totals: { pss: pid, privateClean: 1 } }),
  ppid,
});

Deno.test("programNames() names the family's programs as the fixture script's ps_mem rule does", async () => {
  const members = await family();
  const names = programNames(members.map((m) => proc(m.pid, m.ppid, m.comm, [...m.argv])));
  assert.deepEqual(
    Object.fromEntries(names),
    Object.fromEntries(members.map((m) => [m.pid, m.program])),
  );
});

Deno.test("programNames(): comm; argv[0]'s basename where comm is cut; the parent's for a renamed child", () => {
  const names = programNames([
    proc(10, 1, "firefox", ["/usr/lib/firefox/firefox"]),
    proc(11, 10, "Web Content", ["/usr/lib/firefox/firefox", "-contentproc"]),
    // Renamed, but started as another program than its parent's: its comm.
    proc(12, 10, "RDD Process", ["/usr/lib/firefox/rdd"]),
    proc(20, 1, "gnome-terminal-", ["/usr/libexec/gnome-terminal-server"]),
    // A title written over argv: comm.
    proc(30, 1, "postgres", ["postgres: checkpointer "]),
    proc(31, 1, "sshd", ["sshd: dev@pts/0"]),
    // A login shell's "-bash".
    proc(40, 31, "bash", ["-bash"]),
    // stat unreadable: argv[0]'s basename.
    proc(50, null, "?", ["/usr/bin/thing", "x"]),
    proc(51, null, "?", null),
    proc(52, 1, "empty-argv0", [""]),
  ]);
  assert.deepEqual(Object.fromEntries(names), {
    10: "firefox",
    11: "firefox",
    12: "RDD Process",
    20: "gnome-terminal-server",
    30: "postgres",
    31: "sshd",
    40: "bash",
    50: "thing",
    51: "?",
    52: "empty-argv0",
  });
});

Deno.test("programNames() follows renamed children up several generations, and survives a ppid loop", () => {
  const names = programNames([
    proc(1, 0, "app", ["/opt/app"]),
    proc(2, 1, "worker", ["/opt/app", "--worker"]),
    proc(3, 2, "helper", ["/opt/app", "--helper"]),
    proc(7, 8, "x", ["/bin/same"]),
    proc(8, 7, "y", ["/bin/same"]),
  ]);
  assert.deepEqual([names.get(2), names.get(3)], ["app", "app"]);
  assert.ok(["x", "y"].includes(names.get(7)!) && ["x", "y"].includes(names.get(8)!));
});

Deno.test("commandRows() sums the selected processes per program; parents are looked up in the snapshot", () => {
  const all = [
    proc(10, 1, "firefox", ["/usr/lib/firefox/firefox"]),
    proc(11, 10, "Web Content", ["/usr/lib/firefox/firefox"]),
    proc(12, 10, "Web Content", ["/usr/lib/firefox/firefox"]),
    proc(20, 1, "bash", ["bash"]),
  ];
  const snapshot = snapshotOf(all);
  // The parent (10) is not selected: its children still count as firefox.
  assert.deepEqual(commandRows(snapshot, [all[1]!, all[2]!, all[3]!]), [
    { command: "firefox", count: 2, counters: { pss: 23, privateClean: 2 } },
    { command: "bash", count: 1, counters: { pss: 20, privateClean: 1 } },
  ]);
});
