/** binutils' size(1), which smem's -K runs: the expected sizes of kernel images. */

/** What `size FILE` says of text + data + bss, in whole kB (smem's -K). */
export async function sizeKb(path: string): Promise<number> {
  const { stdout } = await new Deno.Command("size", { args: [path] }).output();
  const dec = Number(new TextDecoder().decode(stdout).split("\n")[1]!.trim().split(/\s+/)[3]);
  if (!(dec > 0)) throw new Error(`size ${path} gave no total`);
  return Math.floor(dec / 1024);
}
