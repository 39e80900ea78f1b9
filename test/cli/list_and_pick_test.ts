/**
 * `memsnap list` and `-S FILE@WHICH`, run as a program on a recording of a
 * fixed capture (every snapshot holds the same data, at its own time).
 */

import { deepStrictEqual, match } from "node:assert/strict";
import { memsnap, memsnapProcess } from "../_helpers/memsnap.ts";
import { capturePath } from "../_helpers/mirror.ts";

const n8 = capturePath("n8.tar.gz");
const tmp = await Deno.makeTempDir({ prefix: "memsnap-list-" });
globalThis.addEventListener("unload", () => Deno.removeSync(tmp, { recursive: true }));
const recording = `${tmp}/rec.tar.gz`;
const made = await memsnapProcess(["record", "-o", recording, "-S", n8, "-n", "3", "-i", "200ms"]);
if (made.code !== 0) throw new Error(made.stderr);

interface Row {
  index: number;
  takenAt: string | null;
  lateMs: number | null;
  processes: number;
  pss: number;
  memAvailable: number | null;
}
const listed: { snapshots: Row[] } = JSON.parse(
  (await memsnap(["list", recording, "--format", "json"])).stdout,
);
const times = listed.snapshots.map((row) => row.takenAt!);

/** The snapshot a source names, by its time. */
async function takenAt(source: string): Promise<string> {
  const { code, stdout, stderr } = await memsnap(["-S", source, "--format", "json", "-u"]);
  deepStrictEqual(code, 0, stderr);
  return JSON.parse(stdout).takenAt;
}

Deno.test("memsnap list prints index, time, late, processes, PSS and MemAvailable", async () => {
  const { code, stdout, stderr } = await memsnapProcess(["list", recording]);
  deepStrictEqual([code, stderr], [0, ""]);
  const lines = stdout.trimEnd().split("\n");
  match(lines[0]!, /^Index {2}Time +Late {2}Processes +PSS {2}MemAvailable$/);
  deepStrictEqual(lines.length, 4);
  for (const [i, row] of listed.snapshots.entries()) {
    // Each row's numbers are the report's on that snapshot.
    const report = JSON.parse(
      (await memsnap(["-S", `${recording}@${i}`, "--format", "json", "-t"])).stdout,
    );
    deepStrictEqual([row.index, row.processes, row.pss], [i, 8, report.totals.pss]);
    deepStrictEqual(row.memAvailable, 24194208);
    match(
      lines[i + 1]!,
      new RegExp(`^ {4}${i} {2}${row.takenAt!.replaceAll(".", "\\.")} .* 8 +${row.pss} +24194208$`),
    );
  }
});

Deno.test("memsnap list --format csv has a header and a line per snapshot", async () => {
  const { code, stdout } = await memsnapProcess(["list", recording, "--format", "csv"]);
  deepStrictEqual(code, 0);
  const lines = stdout.trimEnd().split("\n");
  deepStrictEqual(lines[0], "Index,Time,Late,Processes,PSS,MemAvailable");
  deepStrictEqual(lines.slice(1).map((line) => line.split(",")[1]), times);
});

Deno.test("memsnap list of a single capture lists one snapshot, summed as the report sums it", async () => {
  const { code, stdout } = await memsnapProcess(["list", n8, "--format", "json"]);
  deepStrictEqual(code, 0);
  const report = JSON.parse((await memsnap(["-S", n8, "--format", "json", "-t"])).stdout);
  deepStrictEqual(JSON.parse(stdout), {
    recording: null,
    end: null,
    snapshots: [{
      index: 0,
      takenAt: null,
      lateMs: null,
      processes: 8,
      pss: report.totals.pss,
      memAvailable: 24194208,
    }],
  });
});

Deno.test("-S FILE@N, @first and @last pick by the index list shows", async () => {
  deepStrictEqual(await takenAt(`${recording}@0`), times[0]);
  deepStrictEqual(await takenAt(`${recording}@2`), times[2]);
  deepStrictEqual(await takenAt(`${recording}@first`), times[0]);
  deepStrictEqual(await takenAt(`${recording}@last`), times[2]);
});

Deno.test("-S FILE@TIME and @+OFFSET pick the snapshot nearest the time", async () => {
  const at = (ms: number) => new Date(Date.parse(times[1]!) + ms).toISOString();
  deepStrictEqual(await takenAt(`${recording}@${at(60)}`), times[1]);
  deepStrictEqual(await takenAt(`${recording}@${at(-60)}`), times[1]);
  deepStrictEqual(await takenAt(`${recording}@+0s`), times[0]);
  deepStrictEqual(await takenAt(`${recording}@+190ms`), times[1]);
  // Within half an interval (100 ms) of either end, the end is nearest.
  const near = (index: number, ms: number) =>
    new Date(Date.parse(times[index]!) + ms).toISOString();
  deepStrictEqual(await takenAt(`${recording}@${near(0, -90)}`), times[0]);
  deepStrictEqual(await takenAt(`${recording}@${near(2, 90)}`), times[2]);
});

Deno.test("-S FILE@TIME outside the recording is an error that gives the recording's span", async () => {
  const [first, last] = [Date.parse(times[0]!), Date.parse(times[2]!)];
  // Three snapshots 200 ms apart: the span prints in ms.
  deepStrictEqual(last - first < 1000, true);
  const span = `which spans ${last - first}ms (${times[0]} to ${times[2]})`;
  const cases: [string, string][] = [
    ["+1h", "after"],
    [new Date(last + 150).toISOString(), "after"],
    ["2000-01-01T00:00:00Z", "before"],
    [new Date(first - 150).toISOString(), "before"],
  ];
  for (const [pick, place] of cases) {
    const { code, stdout, stderr } = await memsnapProcess(["-S", `${recording}@${pick}`]);
    deepStrictEqual({ code, stdout, stderr }, {
      code: 1,
      stdout: "",
      stderr:
        `memsnap: "${recording}" has no snapshot @${pick}: that time is ${place} the recording, ${span}\n`,
    });
  }
});

Deno.test("-S -@last reads a recording from standard input", async () => {
  const { code, stdout } = await memsnapProcess(["-S", "-@last", "--format", "json", "-u"], {
    stdin: await Deno.readFile(recording),
  });
  deepStrictEqual(code, 0);
  deepStrictEqual(JSON.parse(stdout).takenAt, times[2]);
});

Deno.test("memsnap refuses a recording without @, a snapshot it lacks, a directory with @", async () => {
  const cases: [string[], number, RegExp][] = [
    [
      ["-S", recording],
      1,
      /is a recording: choose a snapshot with FILE@N \(0-based, as "memsnap list" numbers them\), FILE@first, FILE@last/,
    ],
    [
      ["-S", `${recording}@3`],
      1,
      /has no snapshot @3: it holds 3 snapshots \(0 to 2; "memsnap list" shows them\)/,
    ],
    [["-S", `${tmp}@1`], 1, /a directory holds one snapshot, no @/],
    [
      ["list", `${tmp}/none.tar.gz`],
      1,
      /^memsnap: Cannot open ".*none\.tar\.gz": no such file or directory\n$/,
    ],
    [["list"], 2, /^memsnap list: One FILE expected/],
    [["list", recording, "--format", "xml"], 2, /^memsnap list: Unknown format "xml"/],
  ];
  for (const [args, expected, message] of cases) {
    const { code, stdout, stderr } = await memsnapProcess(args);
    deepStrictEqual([code, stdout], [expected, ""], stderr);
    match(stderr, message);
  }
});
