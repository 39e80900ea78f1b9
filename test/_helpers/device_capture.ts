/** A fixed capture as a device would have taken it, for remote-capture tests. */

import assert from "node:assert/strict";
import { ROOT } from "./memsnap.ts";

/** n8's capture as a device would have taken it: with memsnap.json naming its host. */
export async function deviceCapture(
  dir: string,
  host: string,
  takenAt = "2026-12-01T08:00:00.000Z",
): Promise<string> {
  const tree = await Deno.makeTempDir({ dir, prefix: "capture-" });
  await run("tar", ["-xzf", `${ROOT}fixtures/captures/n8.tar.gz`, "-C", tree]);
  await Deno.writeTextFile(
    `${tree}/memsnap.json`,
    JSON.stringify({
      format: "memsnap-snapshot",
      formatVersion: 1,
      producer: "memsnap test",
      takenAt,
      hostname: host,
      kernel: null,
      pageSize: 4096,
      detail: "full",
      users: {},
      groups: {},
    }),
  );
  const members = [...Deno.readDirSync(tree)].map((e) => e.name).filter((n) =>
    n !== "memsnap.json"
  );
  const file = `${tree}.tar.gz`;
  // memsnap.json first, as memsnap writes it.
  await run("tar", ["-czf", file, "-C", tree, "memsnap.json", ...members.sort()]);
  return file;
}

async function run(command: string, args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command(command, { args, stderr: "piped" }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
}
