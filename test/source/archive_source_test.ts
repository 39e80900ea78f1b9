import { deepStrictEqual, rejects } from "node:assert/strict";
import { archiveSource } from "../../src/source/open_archive.ts";
import { makeArchive } from "../_helpers/archive.ts";
import { capturePath } from "../_helpers/mirror.ts";

const n8 = await Deno.readFile(capturePath("n8.tar.gz"));

/** A tar made with GNU tar from files, with owners, under a prefix. */
async function tar(
  files: Record<string, string>,
  options: { prefix?: string; owner?: string } = {},
): Promise<Uint8Array> {
  const dir = await Deno.makeTempDir();
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(`${dir}/${path}`.replace(/\/[^/]*$/, ""), { recursive: true });
    await Deno.writeTextFile(`${dir}/${path}`, text);
  }
  const owner = options.owner ? ["--owner", options.owner, "--group", options.owner] : [];
  const { stdout } = await new Deno.Command("tar", {
    args: ["-c", "-f", "-", ...owner, "-C", dir, options.prefix ?? "."],
    stdout: "piped",
  }).output();
  await Deno.remove(dir, { recursive: true });
  return stdout;
}

Deno.test("archiveSource() lists the pids that have smaps or smaps_rollup, ascending", async () => {
  const source = await archiveSource(n8, "n8");
  deepStrictEqual(await source.pids(), [18844, 18845, 18846, 18847, 18848, 18849, 18850, 18851]);
  deepStrictEqual(source.live, false);
});

Deno.test("archiveSource() lists only canonical decimal pids: 012/smaps is not a second 12", async () => {
  const source = await archiveSource(
    await tar({
      meminfo: "MemTotal: 1 kB\n",
      "12/smaps_rollup": "",
      "012/smaps_rollup": "",
      "0/smaps_rollup": "",
      "+7/smaps_rollup": "",
    }),
    '"x"',
  );
  deepStrictEqual(await source.pids(), [12]);
});

Deno.test("archiveSource() takes owners and user names from the PID directories' headers", async () => {
  const source = await archiveSource(n8, "n8");
  deepStrictEqual(await source.owner(18844), { uid: 999, gid: 995, user: "mema" });
  deepStrictEqual(
    await source.userNames(new Set([999, 995, 12345])),
    new Map([[999, "mema"], [995, "memb"]]),
  );
});

Deno.test("archiveSource() reads members as text and says missing for others", async () => {
  const source = await archiveSource(n8, "n8");
  const version = await source.read("version");
  deepStrictEqual(
    version.status === "ok" && version.text.startsWith("Linux version 6.18.44"),
    true,
  );
  deepStrictEqual(await source.read("18844/nothing"), { status: "missing" });
  deepStrictEqual(await source.read("18844"), { status: "missing" });
});

Deno.test("archiveSource() reads members named ./PID/... or proc/PID/...", async () => {
  const files = { "proc/7/smaps_rollup": "x", "proc/meminfo": "MemTotal: 1 kB\n" };
  for (const prefix of [".", "proc"]) {
    const source = await archiveSource(await tar(files, { prefix, owner: "0" }), "t");
    deepStrictEqual(await source.pids(), [7]);
    deepStrictEqual(await source.read("meminfo"), { status: "ok", text: "MemTotal: 1 kB\n" });
  }
});

Deno.test("archiveSource() falls back to the smaps member's owner when there is no directory entry", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/9`);
  await Deno.writeTextFile(`${dir}/9/smaps`, "");
  const { stdout } = await new Deno.Command("tar", {
    args: [
      "-c",
      "-f",
      "-",
      "--no-recursion",
      "--owner",
      "ann:1234",
      "--group",
      "g:55",
      "-C",
      dir,
      "9/smaps",
    ],
    stdout: "piped",
  }).output();
  await Deno.remove(dir, { recursive: true });
  deepStrictEqual(await (await archiveSource(stdout, "t")).owner(9), {
    uid: 1234,
    gid: 55,
    user: "ann",
  });
});

Deno.test("archiveSource() refuses what is not a tar archive, and truncated archives", async () => {
  await rejects(archiveSource(new TextEncoder().encode("hello ".repeat(200)), '"x"'), {
    name: "SourceError",
    message: 'Cannot read "x": not a tar or tar.gz archive',
  });
  await rejects(archiveSource(n8.subarray(0, n8.length - 100), '"x"'), {
    name: "SourceError",
    message: 'Cannot read "x": the archive is truncated after member "capture-info"',
  });
});

Deno.test("archiveSource() reads an empty archive as one without processes", async () => {
  const source = await archiveSource(new Uint8Array(1024), "empty");
  deepStrictEqual(await source.pids(), []);
  deepStrictEqual(await source.read("meminfo"), { status: "missing" });
});

Deno.test("archiveSource() lists the members under a directory, and says missing for none", async () => {
  const source = await archiveSource(n8, "n8");
  deepStrictEqual(await source.list("18844"), {
    status: "ok",
    names: ["cgroup", "cmdline", "oom_score", "smaps", "smaps_rollup", "stat", "status"],
  });
  deepStrictEqual(await source.list("18844/fdinfo"), { status: "missing" });
});

Deno.test("archiveSource() reads a member's bytes unchanged, UTF-8 or not", async () => {
  const bytes = new Uint8Array([0x61, 0xff, 0xfe, 0]);
  const source = await archiveSource(
    await makeArchive([{ name: "7/smaps_rollup", data: "" }, { name: "7/cmdline", data: bytes }]),
    "t",
  );
  const read = await source.readBytes("7/cmdline");
  deepStrictEqual(read.status === "ok" && [...read.bytes], [...bytes]);
  deepStrictEqual(await source.read("7/cmdline"), { status: "ok", text: "a\ufffd\ufffd\0" });
  deepStrictEqual(await source.readBytes("7/stat"), { status: "missing" });
});
