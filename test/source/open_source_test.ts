import { deepStrictEqual, rejects } from "node:assert/strict";
import { openSource } from "../../src/source/open_source.ts";
import { capturePath } from "../_helpers/mirror.ts";

Deno.test("openSource() opens the live /proc without a source, and DIR/proc of a procfs as live", async () => {
  for (const spec of [undefined, "/"]) {
    const source = await openSource(spec);
    deepStrictEqual(source.live, true);
    deepStrictEqual((await source.pids()).includes(Deno.pid), true);
  }
});

Deno.test("openSource() opens DIR/proc, or DIR itself when it is a /proc tree", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/proc/5`, { recursive: true });
  await Deno.writeTextFile(`${dir}/proc/meminfo`, "MemTotal: 1 kB\n");
  for (const spec of [dir, `${dir}/proc`]) {
    const source = await openSource(spec);
    deepStrictEqual([source.live, await source.pids()], [false, [5]]);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("openSource() opens a file as an archive", async () => {
  const source = await openSource(capturePath("n8.tar.gz"));
  deepStrictEqual((await source.pids()).length, 8);
});

Deno.test("openSource() refuses a missing path", async () => {
  await rejects(openSource("/no/such/place"), {
    name: "SourceError",
    message: 'Cannot open source "/no/such/place": no such file or directory',
  });
});

Deno.test("openSource() reads a copied tree with a self link as a copy: only a procfs is live", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/proc/5`, { recursive: true });
  await Deno.writeTextFile(`${dir}/proc/meminfo`, "MemTotal: 1 kB\n");
  await Deno.symlink("/proc/self", `${dir}/proc/self`);
  await Deno.symlink("/proc/1/cmdline", `${dir}/proc/5/cmdline`);
  const source = await openSource(dir);
  deepStrictEqual([source.live, source.label], [false, `"${dir}"`]);
  // Resolved before the read starts: an await between the two left its rejection unhandled.
  const root = await Deno.realPath(`${dir}/proc`);
  await rejects(source.read("5/cmdline"), {
    name: "SourceError",
    message:
      `Cannot read "5/cmdline" in "${dir}": it leads out of "${root}" (a symbolic link to "/proc/1/cmdline")`,
  });
  await Deno.remove(dir, { recursive: true });
});
