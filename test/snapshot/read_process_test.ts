/**
 * Reading a live process's memory: a process past its exit (smaps_rollup
 * fails, smaps reads empty) is gone, not a process whose smaps says it has
 * no mappings, which would make a rollup snapshot look like one of full
 * detail and skip every other process.
 */

import { deepStrictEqual } from "node:assert/strict";
import { readMemory } from "../../src/snapshot/read_process.ts";
import { openSource } from "../../src/source/open_source.ts";
import { childWhen } from "../_helpers/child.ts";

Deno.test("readMemory(): a live process that has exited (a zombie) has vanished, in either detail", async () => {
  // A child that exits at once, its parent not waiting: a zombie until the shell's sleep ends.
  const shell = new Deno.Command("sh", { args: ["-c", "sh -c 'exit 0' & exec sleep 30"] }).spawn();
  try {
    const zombie = await childWhen(shell.pid, (stat) => /\) Z /.test(stat));
    deepStrictEqual(typeof zombie, "number", "the shell left a zombie");
    const source = await openSource(undefined);
    const identity = {
      kind: "process" as const,
      pid: zombie!,
      owner: { uid: 0, gid: 0 },
      files: new Map(),
    };
    for (const memory of [["smaps_rollup", "smaps"], ["smaps", "smaps_rollup"]] as const) {
      const read = await readMemory(source, identity, { memory, allMemory: memory[0] === "smaps" });
      deepStrictEqual(read, { kind: "vanished" }, memory.join(", "));
    }
  } finally {
    shell.kill();
    await shell.status;
  }
});
