import assert from "node:assert/strict";
import { captureToRaw } from "../../src/archive/capture_snapshot.ts";
import { encodePages, PAGES_MEMBER } from "../../src/snapshot/pages_member.ts";
import { archiveMembers, makeArchive } from "../_helpers/archive.ts";

Deno.test("captureToRaw() of a capture with pages: the pages and their mention left out, version 1 again", async () => {
  const members = await archiveMembers(
    await Deno.readFile(new URL("../../fixtures/archives/v1-capture.tar.gz", import.meta.url)),
  );
  const meta = JSON.parse(new TextDecoder().decode(members[0]!.data));
  const pages = encodePages({
    pages: { mode: "frames", pageSize: 4096, frameCounts: { frames: [5], counts: [1] } },
    processes: new Map([[1, { frames: [5], swap: [], exclusive: 1 }]]),
  });
  const withPages = await makeArchive([
    {
      name: members[0]!.name,
      data: JSON.stringify({
        ...meta,
        formatVersion: 3,
        pages: { member: PAGES_MEMBER, mode: "frames" },
      }),
    },
    ...members.slice(1).map((member) => ({
      ...member,
      type: member.type as "file" | "directory",
    })),
    { name: PAGES_MEMBER, data: pages },
  ]);
  const raw = await captureToRaw(withPages, "pages.tar.gz");
  // A recording that appends it (record --from, serve --receive) holds no pages: it must not say so.
  assert.equal(raw.meta.formatVersion, 1);
  assert.equal("pages" in raw.meta, false);
  const plain = await captureToRaw(
    await Deno.readFile(new URL("../../fixtures/archives/v1-capture.tar.gz", import.meta.url)),
    "v1",
  );
  // The processes' files, as stored (the test's copy keeps uids, not gids).
  const files = (processes: typeof raw.processes) =>
    processes.map((process) => [process.pid, process.uid, [...process.files]]);
  assert.deepEqual(files(raw.processes), files(plain.processes));
  assert.ok(raw.processes.length > 0);
});
