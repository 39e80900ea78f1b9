/**
 * Files of archive format version 1 (fixtures/archives, made by
 * scripts/make-archive-fixtures.sh from the n8 capture) read back with
 * this memsnap: smem's own numbers on n8, exactly. Later versions must keep
 * passing this test.
 */

import { deepStrictEqual } from "node:assert/strict";
import { memsnap } from "../_helpers/memsnap.ts";
import { capturePath } from "../_helpers/mirror.ts";
import { ROOT } from "../_helpers/memsnap.ts";

const v1 = (name: string) => `${ROOT}fixtures/archives/v1-${name}.tar.gz`;

/** smem's command line for n8's outputs (fixtures/captures/README.md). */
const COMMANDS: Record<string, string[]> = {
  "processes": ["-c", "pid user command swap uss pss rss vss maps"],
  "users": ["-u"],
  "maps": ["-m", "-c", "map pids avgpss pss"],
  "system": ["-w"],
  "processes-k-totals": ["-t", "-k", "-c", "pid user name swap uss pss rss"],
  "processes-mapfilter": ["-M", "memfd|shared-file", "-c", "pid user pss uss rss"],
};

for (const [name, args] of Object.entries(COMMANDS)) {
  Deno.test(`a version 1 capture and recording print smem's n8.smem-${name}.txt`, async () => {
    const expected = await Deno.readTextFile(capturePath(`n8.smem-${name}.txt`));
    for (const source of [v1("capture"), `${v1("recording")}@0`, `${v1("recording")}@last`]) {
      const { code, stdout, stderr } = await memsnap(["-S", source, ...args]);
      deepStrictEqual([code, stderr], [0, ""]);
      deepStrictEqual(stdout.split("\n"), expected.split("\n"), source);
    }
  });
}

Deno.test("a version 1 recording lists its three snapshots and how it ended", async () => {
  const { code, stdout, stderr } = await memsnap(["list", v1("recording"), "--format", "json"]);
  deepStrictEqual([code, stderr], [0, ""]);
  const listed = JSON.parse(stdout);
  deepStrictEqual(
    [listed.recording.formatVersion, listed.recording.intervalMs, listed.recording.detail],
    [1, 100, "full"],
  );
  deepStrictEqual(
    [listed.end.snapshots, listed.end.stoppedBy, listed.end.exitStatus],
    [3, "count", null],
  );
  deepStrictEqual(
    listed.snapshots.map((s: { index: number; processes: number; pss: number }) => [
      s.index,
      s.processes,
      s.pss,
    ]),
    [[0, 8, 125742], [1, 8, 125742], [2, 8, 125742]],
  );
});

Deno.test("a version 1 capture keeps its metadata: time, kernel, users", async () => {
  const { stdout } = await memsnap(["-S", v1("capture"), "--format", "json", "-u"]);
  const report = JSON.parse(stdout);
  deepStrictEqual([report.kernel, report.detail], ["6.18.44-fc-v595", "full"]);
  deepStrictEqual(typeof report.takenAt, "string");
  deepStrictEqual(
    report.rows.map((row: { user: string }) => row.user).sort(),
    ["mema", "memb", "memc"],
  );
});
