import assert from "node:assert/strict";
import { ParseError } from "../../src/parse/parse_error.ts";
import { cgroupChargeReader } from "../../src/source/cgroup_charge.ts";

/** A cgroup filesystem in a new directory: file path → text. */
async function tree(files: Record<string, string>): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "memsnap-cgroup-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(`${root}/${path.slice(0, path.lastIndexOf("/"))}`, { recursive: true });
    await Deno.writeTextFile(`${root}/${path}`, text);
  }
  return root;
}

Deno.test("cgroupChargeReader() reads v2 memory.current, in kB", async () => {
  const root = await tree({ "system.slice/a.service/memory.current": "8192000\n" });
  const reader = cgroupChargeReader(root);
  assert.equal(await reader.charge({ version: 2, path: "/system.slice/a.service" }), 8000);
  assert.equal(await reader.charge({ version: 2, path: "/system.slice" }), undefined);
  // The v2 root has no memory.current.
  assert.equal(await reader.charge({ version: 2, path: "/" }), undefined);
});

Deno.test("cgroupChargeReader() reads v2 under unified/ on a hybrid system", async () => {
  const root = await tree({ "unified/user.slice/memory.current": "4096\n" });
  assert.equal(await cgroupChargeReader(root).charge({ version: 2, path: "/user.slice" }), 4);
});

Deno.test("cgroupChargeReader() reads v1 memory/PATH/memory.usage_in_bytes", async () => {
  const root = await tree({
    "memory/memory.usage_in_bytes": "379932672\n",
    "memory/docker/abc/memory.usage_in_bytes": "1048576\n",
    // The v2 file of the same path is not v1's charge.
    "docker/abc/memory.current": "4096\n",
  });
  const reader = cgroupChargeReader(root);
  assert.equal(await reader.charge({ version: 1, path: "/" }), 371028);
  assert.equal(await reader.charge({ version: 1, path: "/docker/abc" }), 1024);
  assert.equal(await reader.charge({ version: 1, path: "/docker" }), undefined);
});

Deno.test("cgroupChargeReader() reads nothing outside its root (a path from another namespace)", async () => {
  const root = await tree({ "inner/memory.current": "4096\n" });
  const reader = cgroupChargeReader(`${root}/inner`);
  await Deno.writeTextFile(`${root}/memory.current`, "8192\n");
  assert.equal(await reader.charge({ version: 2, path: "/.." }), undefined);
  assert.equal(await reader.charge({ version: 2, path: "/" }), 4);
});

Deno.test("cgroupChargeReader() refuses a file that holds no number of bytes", async () => {
  const root = await tree({ "a/memory.current": "max\n" });
  await assert.rejects(
    () => cgroupChargeReader(root).charge({ version: 2, path: "/a" }),
    (error: unknown) => {
      assert.ok(error instanceof ParseError);
      assert.equal(
        error.message,
        `Cannot parse "${root}/a/memory.current": line 1: expected a number of bytes`,
      );
      return true;
    },
  );
});

Deno.test("cgroupChargeReader() reads this machine's own cgroup's charge", async () => {
  const { memoryCgroupOf, parseCgroup } = await import("../../src/parse/cgroup.ts");
  const self = memoryCgroupOf(parseCgroup(await Deno.readTextFile("/proc/self/cgroup"), "self"));
  assert.ok(self !== null);
  const kb = await cgroupChargeReader("/sys/fs/cgroup").charge(self);
  const file = self.version === 1
    ? `/sys/fs/cgroup/memory${self.path}/memory.usage_in_bytes`
    : `/sys/fs/cgroup${self.path}/memory.current`;
  const exists = await Deno.stat(file).then(() => true, () => false);
  // Where the kernel gives the charge it is this process's cgroup's: more than its own RSS.
  if (exists) assert.ok(kb !== undefined && kb > 1024, `${file}: ${kb}`);
  else assert.equal(kb, undefined);
});

Deno.test("cgroupChargeReader() refuses a charge file that links out of its root", async () => {
  const root = await tree({ "inner/a/memory.current": "4096\n", "outside": "8192\n" });
  await Deno.mkdir(`${root}/inner/b`);
  await Deno.symlink(`${root}/outside`, `${root}/inner/b/memory.current`);
  const reader = cgroupChargeReader(`${root}/inner`);
  assert.equal(await reader.charge({ version: 2, path: "/a" }), 4);
  const real = await Deno.realPath(root);
  await assert.rejects(reader.charge({ version: 2, path: "/b" }), {
    name: "SourceError",
    message:
      `Cannot read "${root}/inner/b/memory.current": it leads out of "${real}/inner" (a symbolic link to "${real}/outside")`,
  });
});
