import { deepStrictEqual, match } from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { kernelImageSize } from "../../src/source/kernel_image.ts";
import { sizeKb } from "../_helpers/size.ts";

Deno.test("kernelImageSize() measures an ELF file with size(1): text + data + bss, in whole kB", async () => {
  deepStrictEqual(await kernelImageSize("/bin/true"), {
    kb: await sizeKb("/bin/true"),
    warnings: [],
  });
});

Deno.test("kernelImageSize() counts 0 and says why for a file size(1) cannot read", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/text`, "not a kernel");
  const text = await kernelImageSize(`${dir}/text`);
  deepStrictEqual(text.kb, 0);
  deepStrictEqual(text.warnings.length, 1);
  match(
    text.warnings[0]!,
    /^Cannot measure the kernel image ".*text": it should be an uncompressed kernel/,
  );
  // A compressed kernel: gzip data a little way in, as in a bzImage.
  await Deno.writeFile(`${dir}/bzImage`, Uint8Array.of(...new Uint8Array(100), ...gzipSync("x")));
  const packed = await kernelImageSize(`${dir}/bzImage`);
  deepStrictEqual(packed.warnings.length, 2);
  match(
    packed.warnings[0]!,
    /looks compressed; unpack it with: dd if=.*bzImage bs=1 skip=100 \| gzip -d >.*bzImage.unpacked$/,
  );
  await Deno.remove(dir, { recursive: true });
});
