/**
 * Bad archives, built here with tar-stream and node:zlib: each is refused
 * with one line naming the member, never read into memory whole, and
 * reading never writes anything.
 */

import { Buffer } from "node:buffer";
import { deepStrictEqual, match } from "node:assert/strict";
import { createGzip, gzipSync } from "node:zlib";
import { pack } from "tar-stream";
import { MEMBER_LIMIT } from "../../src/archive/limits.ts";
import { readMembers } from "../../src/archive/read_tar.ts";
import { makeArchive } from "../_helpers/archive.ts";
import { memsnapProcess } from "../_helpers/memsnap.ts";

const tmp = await Deno.makeTempDir({ prefix: "memsnap-bad-" });
globalThis.addEventListener("unload", () => Deno.removeSync(tmp, { recursive: true }));

const MEMINFO = "MemTotal:       1000 kB\nMemFree:         500 kB\n";

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Reads every member's name, or the error's message. */
async function names(bytes: Uint8Array): Promise<string[] | string> {
  try {
    const out: string[] = [];
    for await (const member of readMembers(once(bytes), '"bad"')) out.push(member.name);
    return out;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Runs memsnap on an archive in a fresh directory; nothing may appear in it. */
async function report(bytes: Uint8Array): Promise<{ code: number; stderr: string }> {
  const cwd = await Deno.makeTempDir({ dir: tmp });
  await Deno.writeFile(`${cwd}/bad.tar.gz`, bytes);
  const { code, stderr, stdout } = await memsnapProcess(["-S", "bad.tar.gz", "-u"], { cwd });
  deepStrictEqual(stdout, "");
  deepStrictEqual([...Deno.readDirSync(cwd)].map((e) => e.name), ["bad.tar.gz"]);
  deepStrictEqual([...Deno.readDirSync(tmp)].filter((e) => !e.isDirectory), []);
  return { code, stderr };
}

Deno.test("readMembers() refuses a member that climbs out with ..", async () => {
  const bytes = await makeArchive([
    { name: "meminfo", data: MEMINFO },
    { name: "1/../../../etc/cron.d/x", data: "* * * * * root true\n" },
  ]);
  deepStrictEqual(
    await names(bytes),
    'Cannot read "bad": member "1/../../../etc/cron.d/x" climbs out of the archive with ".."',
  );
  const { code, stderr } = await report(bytes);
  deepStrictEqual(code, 1);
  match(
    stderr,
    /^memsnap: Cannot read "bad\.tar\.gz": member "1\/\.\.\/\.\.\/\.\.\/etc\/cron\.d\/x" climbs out of the archive with "\.\."\n$/,
  );
});

Deno.test("readMembers() refuses an absolute member name", async () => {
  const bytes = await makeArchive([{ name: "/etc/passwd", data: "root:x:0:0::/:/bin/sh\n" }]);
  deepStrictEqual(
    await names(bytes),
    'Cannot read "bad": member "/etc/passwd" has an absolute name',
  );
  const { code, stderr } = await report(bytes);
  deepStrictEqual(code, 1);
  match(
    stderr,
    /^memsnap: Cannot read "bad\.tar\.gz": member "\/etc\/passwd" has an absolute name\n$/,
  );
});

Deno.test("readMembers() refuses an absurd declared size before reading it", async () => {
  // The header says 64 GiB; the data that follows is a few bytes.
  const packer = pack();
  const chunks: Uint8Array[] = [];
  packer.on("data", (chunk) => chunks.push(chunk as Uint8Array));
  packer.entry({ name: "meminfo", size: MEMINFO.length }, MEMINFO);
  const huge = packer.entry({ name: "1/smaps", size: 2 ** 36 });
  huge.write(Buffer.from("00400000-00401000 r-xp 00000000 08:01 1 /bin/x\n"));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const bytes = gzipSync(Buffer.concat(chunks));
  deepStrictEqual(
    await names(bytes),
    `Cannot read "bad": member "1/smaps" is 65536 MiB uncompressed, more than the 64 MiB memsnap reads (--max-file-size raises it)`,
  );
  const { code, stderr } = await report(bytes);
  deepStrictEqual(code, 1);
  match(
    stderr,
    /member "1\/smaps" is 65536 MiB uncompressed, more than the 64 MiB memsnap reads \(--max-file-size raises it\)\n$/,
  );
});

Deno.test("readMembers() stops a gzip bomb: a member of zeros past the limit", async () => {
  const zeros = new Uint8Array(MEMBER_LIMIT + 1024);
  const bytes = await makeArchive([{ name: "meminfo", data: MEMINFO }, {
    name: "1/smaps",
    data: zeros,
  }]);
  // A few hundred kB that would unpack to more than 64 MiB.
  deepStrictEqual(bytes.length < 200_000, true, `${bytes.length} bytes`);
  deepStrictEqual(
    await names(bytes),
    `Cannot read "bad": member "1/smaps" is 64 MiB uncompressed, more than the 64 MiB memsnap reads (--max-file-size raises it)`,
  );
});

Deno.test("readMembers() stops a gzip bomb of zero blocks that belong to no member", async () => {
  const tar = await makeArchive([{ name: "meminfo", data: MEMINFO }], { gzip: false });
  // gzip the tar followed by 200 MiB of zeros, streamed (never held whole).
  const gzip = createGzip();
  const compressed: Uint8Array[] = [];
  gzip.on("data", (chunk: Uint8Array) => compressed.push(chunk));
  const ended = new Promise((resolve) => gzip.on("end", resolve));
  gzip.write(tar.subarray(0, tar.length - 1024));
  const block = new Uint8Array(2 ** 20);
  for (let i = 0; i < 200; i++) gzip.write(block);
  gzip.end();
  await ended;
  const bytes = Buffer.concat(compressed);
  deepStrictEqual(
    await names(bytes),
    'Cannot read "bad": more than 64 MiB of data after member "meminfo" that belongs to no member (a decompression bomb?)',
  );
});

/** 50 stat members, stamped with a fixed time so that the bytes are too. */
function statArchive(seconds: number): Promise<Uint8Array> {
  return makeArchive(
    Array.from({ length: 50 }, (_, i) => ({
      name: `${i}/stat`,
      mtime: new Date(seconds * 1000),
      data: `${i} (x) S 1 ${"0 ".repeat(40)}\n`,
    })),
  );
}

// Flipping 60 bytes inside the deflate data either breaks the stream
// (zlib sees it) or decodes to garbage (the tar reader sees it); which one
// depends on the bytes, so each case is pinned with its own timestamp.
for (
  const [seconds, expected] of [
    [1.7e9, /^Cannot read "bad": its gzip stream is damaged \(invalid distance too far back\)$/],
    [
      1.7e9 + 4,
      /^Cannot read "bad": it is damaged \(a member's tar header is invalid\) after member "\d+\/stat"$/,
    ],
  ] as const
) {
  Deno.test(`readMembers() names where a damaged gzip stream fails: ${expected.source.slice(20, 60)}`, async () => {
    const damaged = (await statArchive(seconds)).slice();
    for (let i = 200; i < 260; i++) damaged[i] = damaged[i]! ^ 0x5a;
    match(String(await names(damaged)), expected);
    const { code, stderr } = await report(damaged);
    deepStrictEqual(code, 1);
    match(stderr, /^memsnap: Cannot read "bad\.tar\.gz": [^\n]+\n$/);
  });
}

Deno.test("memsnap refuses an archive without meminfo with one line", async () => {
  const bytes = await makeArchive([{ name: "1/cmdline", data: "x\0" }, {
    name: "1/smaps_rollup",
    data: "",
  }]);
  const { code, stderr } = await report(bytes);
  deepStrictEqual(code, 1);
  match(stderr, /^memsnap: Cannot read "bad\.tar\.gz": it has no meminfo\n$/);
});

Deno.test("readMembers() refuses bzip2 and xz with a hint", async () => {
  deepStrictEqual(
    await names(new TextEncoder().encode("BZh91AY&SY")),
    'Cannot read "bad": compressed with bzip2; decompress it first, or use tar or tar.gz',
  );
});

Deno.test("readMembers() says a short text file is not an archive, and a tar cut inside its first header is truncated", async () => {
  const script = new TextEncoder().encode(
    "import time\nx = []\nwhile True:\n    x.append(' ' * 10**5)\n",
  );
  deepStrictEqual(await names(script), 'Cannot read "bad": not a tar or tar.gz archive');
  deepStrictEqual(
    await names(gzipSync(script)),
    'Cannot read "bad": its content is not a tar archive',
  );
  const tar = await makeArchive([{ name: "meminfo", data: MEMINFO }], { gzip: false });
  deepStrictEqual(await names(tar.subarray(0, 300)), 'Cannot read "bad": the archive is truncated');
  deepStrictEqual(await names(new Uint8Array(100)), 'Cannot read "bad": the archive is truncated');
  deepStrictEqual(await report(script), {
    code: 1,
    stderr: 'memsnap: Cannot read "bad.tar.gz": not a tar or tar.gz archive\n',
  });
});
