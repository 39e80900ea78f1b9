/**
 * Damaged, repeated and joined recordings, run as a program (and, by
 * `deno task test:binary`, as the compiled binary): `list` and `-S FILE@WHICH`
 * read every intact snapshot, and say which were lost and why, on one line.
 */

import { deepStrictEqual } from "node:assert/strict";
import { memsnapProcess } from "../_helpers/memsnap.ts";
import { damage, join, makeRecording } from "../_helpers/recording.ts";

const tmp = await Deno.makeTempDir({ prefix: "memsnap-damaged-" });
globalThis.addEventListener("unload", () => Deno.removeSync(tmp, { recursive: true }));
const recording = await makeRecording(6);
const [meta, s0, s1, s2, s3, s4, s5, end] = recording.members as Uint8Array[];

/** Writes a recording made of these parts; returns its path. */
async function file(name: string, parts: readonly Uint8Array[]): Promise<string> {
  const path = `${tmp}/${name}.tar.gz`;
  await Deno.writeFile(path, join(parts));
  return path;
}

/** Runs memsnap as a program: its exit code and output. */
async function run(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await memsnapProcess(args);
  return { code, stdout, stderr };
}

/** `memsnap list FILE --format csv`: the indices listed, and stderr. */
async function list(path: string): Promise<{ code: number; indices: string[]; stderr: string }> {
  const { code, stdout, stderr } = await run(["list", path, "--format", "csv"]);
  const indices = stdout.trimEnd().split("\n").slice(1).map((line) => line.split(",")[0]!);
  return { code, indices, stderr };
}

// Snapshot 2's member with 64 bytes of its deflate data inverted.
const damaged = await file("damaged", [meta!, s0!, s1!, damage(s2!, 200, 64), s3!, s4!, s5!, end!]);

Deno.test("memsnap list reads every snapshot after a damaged one, and names the one lost", async () => {
  deepStrictEqual(await list(damaged), {
    code: 0,
    indices: ["0", "1", "3", "4", "5"],
    stderr:
      `memsnap: "${damaged}" is damaged: snapshot 2 could not be read: its gzip stream is damaged (invalid distance too far back); read 5 snapshots (0 to 1, 3 to 5)\n`,
  });
});

Deno.test("-S FILE@last and @N read past the damage; @2 says it was damaged", async () => {
  const said =
    `memsnap: "${damaged}" is damaged: snapshot 2 could not be read: its gzip stream is damaged (invalid distance too far back)`;
  // @last reads the whole; @4 and @+3s stop past the snapshot they pick.
  for (
    const [pick, time, tally] of [
      ["last", 5, "; read 5 snapshots (0 to 1, 3 to 5)"],
      ["4", 4, ""],
      ["+3s", 3, ""],
    ] as const
  ) {
    const { code, stdout, stderr } = await run([
      "-S",
      `${damaged}@${pick}`,
      "--format",
      "json",
      "-u",
    ]);
    deepStrictEqual([code, JSON.parse(stdout).takenAt, stderr], [
      0,
      recording.times[time],
      `${said}${tally}\n`,
    ]);
  }
  deepStrictEqual(await run(["-S", `${damaged}@2`]), {
    code: 1,
    stdout: "",
    stderr:
      `memsnap: "${damaged}" has no snapshot @2: it is damaged, and could not be read; it holds 5 snapshots (0 to 1, 3 to 5; "memsnap list" shows them)\n`,
  });
});

Deno.test("a snapshot held twice, or two recordings joined, are read once and said so; @7 names what is held", async () => {
  const twice = await file("twice", [meta!, s0!, s1!, s2!, s2!, s3!, s4!, s5!, end!]);
  deepStrictEqual(await list(twice), {
    code: 0,
    indices: ["0", "1", "2", "3", "4", "5"],
    stderr:
      `memsnap: "${twice}" holds snapshot 2 twice: the later copy is left out; read 6 snapshots (0 to 5)\n`,
  });
  const joined = await file("joined", [recording.bytes, recording.bytes]);
  const said =
    `memsnap: "${joined}" holds a second recording after the first (files joined?): it is left out; read 6 snapshots (0 to 5)\n`;
  deepStrictEqual(await list(joined), {
    code: 0,
    indices: ["0", "1", "2", "3", "4", "5"],
    stderr: said,
  });
  // It held 12 snapshot members, and said "12 snapshots (0 to 11)".
  deepStrictEqual(await run(["-S", `${joined}@7`]), {
    code: 1,
    stdout: "",
    stderr:
      `memsnap: "${joined}" has no snapshot @7: it holds 6 snapshots (0 to 5; "memsnap list" shows them)\n`,
  });
});
