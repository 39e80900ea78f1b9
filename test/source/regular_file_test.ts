/**
 * readTreeFile(): a stored tree's files are read only when they are
 * regular files inside it, never past a size cap. Each case would hang or
 * read without end were it opened as a plain file (a FIFO with no writer,
 * /dev/zero), or would show a file outside the tree (/etc/hostname).
 */

import { deepStrictEqual, rejects } from "node:assert/strict";
import { readTreeFile } from "../../src/source/regular_file.ts";

const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "memsnap-tree-" }));
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
await Deno.mkdir(`${dir}/tree/12`, { recursive: true });
await Deno.writeTextFile(`${dir}/tree/12/cmdline`, "sleep\0");
await Deno.writeTextFile(`${dir}/outside`, "secret\n");
await Deno.writeTextFile(`${dir}/tree/big`, "x".repeat(5000));
await new Deno.Command("mkfifo", { args: [`${dir}/tree/12/fifo`] }).output();
await Deno.symlink("/dev/zero", `${dir}/tree/12/zero`);
await Deno.symlink("../outside", `${dir}/tree/out`);
await Deno.symlink("12/cmdline", `${dir}/tree/in`);
await Deno.symlink(`${dir}`, `${dir}/tree/up`);

const options = { root: `${dir}/tree`, maxBytes: 4096 };
const read = (path: string) =>
  readTreeFile(`${dir}/tree/${path}`, { ...options, what: `Cannot read "${path}"` });

Deno.test("readTreeFile() reads a regular file, and a link that stays in the tree", async () => {
  const bytes = new TextEncoder().encode("sleep\0");
  deepStrictEqual(await read("12/cmdline"), { status: "ok", bytes });
  deepStrictEqual(await read("in"), { status: "ok", bytes });
  deepStrictEqual(await read("12/none"), { status: "missing" });
});

Deno.test("readTreeFile() refuses a FIFO at once, where a read would wait for a writer forever", async () => {
  await rejects(read("12/fifo"), {
    name: "SourceError",
    message: 'Cannot read "12/fifo": not a regular file (a FIFO)',
  });
});

Deno.test("readTreeFile() refuses a link out of the tree: to /dev/zero, to a file beside it, through a linked directory", async () => {
  await rejects(read("12/zero"), {
    name: "SourceError",
    message:
      `Cannot read "12/zero": it leads out of "${dir}/tree" (a symbolic link to "/dev/zero")`,
  });
  await rejects(read("out"), {
    name: "SourceError",
    message:
      `Cannot read "out": it leads out of "${dir}/tree" (a symbolic link to "${dir}/outside")`,
  });
  await rejects(read("up/outside"), {
    name: "SourceError",
    message:
      `Cannot read "up/outside": it leads out of "${dir}/tree" (a symbolic link to "${dir}/outside")`,
  });
});

Deno.test("readTreeFile() refuses a file over the cap, naming the option that raises it", async () => {
  await rejects(read("big"), {
    name: "SourceError",
    message:
      'Cannot read "big": larger than 4 kB, the most memsnap reads from a file (--max-file-size raises it)',
  });
  const raised = await readTreeFile(`${dir}/tree/big`, { ...options, maxBytes: 5000, what: "" });
  deepStrictEqual(raised.status === "ok" && raised.bytes.length, 5000);
});
