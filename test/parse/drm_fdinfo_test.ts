import assert from "node:assert/strict";
import { type DrmClient, gpuMemoryKb, parseDrmFdinfo } from "../../src/parse/drm_fdinfo.ts";
import { readInput, testFixtures, testInvalidFixtures } from "./_fixtures.ts";

const fdinfo = { unit: "parseDrmFdinfo()", kind: "fdinfo", parse: parseDrmFdinfo };
testFixtures(fdinfo);
testInvalidFixtures(fdinfo);

const read = async (name: string): Promise<DrmClient | null> =>
  parseDrmFdinfo(await readInput(`fdinfo/${name}.txt`), `${name}/fdinfo`);

Deno.test("gpuMemoryKb() sums every region of a client, KiB, MiB and bytes alike", async () => {
  // 1 MiB + 2048 KiB + 4096 bytes = 1024 + 2048 + 4 kB.
  assert.equal(gpuMemoryKb([(await read("legacy-memory"))!]), 3076);
});

Deno.test("gpuMemoryKb() counts a client open through several descriptors once", async () => {
  const amdgpu = (await read("amdgpu"))!;
  // drm-resident-vram 262144 KiB + gtt 8192 KiB + cpu 0; drm-total-* ignored.
  assert.equal(gpuMemoryKb([amdgpu]), 270336);
  assert.equal(gpuMemoryKb([amdgpu, amdgpu]), 270336);
  assert.equal(gpuMemoryKb([amdgpu, { ...amdgpu, clientId: "43" }]), 540672);
});

Deno.test("gpuMemoryKb() is unknown, not zero, without a client that reports memory", async () => {
  assert.equal(gpuMemoryKb([]), null);
  assert.equal(gpuMemoryKb([(await read("engine-only"))!]), null);
  assert.equal(await read("not-drm"), null);
});

Deno.test("gpuMemoryKb() rounds bytes up to whole kB", () => {
  const client = { driver: "x", clientId: "1", pdev: null, resident: { vram: 1 } };
  assert.equal(gpuMemoryKb([client]), 1);
});
