import { deepStrictEqual } from "node:assert/strict";
import { memorySource } from "../../src/source/memory_source.ts";

const source = memorySource({
  files: { "1/cmdline": new Uint8Array([0x61, 0xff, 0]), "1/stat": "1 (a) S 0", "1/smaps": null },
});

Deno.test("memorySource() reads text and bytes alike, and says missing or denied", async () => {
  deepStrictEqual(await source.readBytes("1/stat"), {
    status: "ok",
    bytes: new TextEncoder().encode("1 (a) S 0"),
  });
  deepStrictEqual(await source.readBytes("1/cmdline"), {
    status: "ok",
    bytes: new Uint8Array([0x61, 0xff, 0]),
  });
  deepStrictEqual(await source.read("1/cmdline"), { status: "ok", text: "a\ufffd\0" });
  deepStrictEqual(await source.readBytes("1/smaps"), { status: "denied" });
  deepStrictEqual(await source.read("2/stat"), { status: "missing" });
});
