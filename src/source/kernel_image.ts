import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { open, stat } from "node:fs/promises";
import { promisify } from "node:util";
import { describeFileType } from "../archive/file_stream.ts";
import { SourceError } from "../errors/source_error.ts";

const execFileAsync = promisify(execFile);

/** The size of a kernel image, and what went wrong measuring it. */
export interface KernelImageSize {
  /** text + data + bss in kB (0 when it could not be measured). */
  readonly kb: number;
  readonly warnings: readonly string[];
}

/**
 * Measures a kernel image (smem's -K) with binutils' `size`, as smem does:
 * the total of its text, data and bss sections. When `size` cannot read
 * it, the size is 0 and the warnings say why (and, for a compressed image,
 * how to unpack it).
 *
 * @throws {SourceError} When the path names something other than a regular
 *   file (a FIFO would block `size`, /dev/zero would never end).
 */
export async function kernelImageSize(path: string): Promise<KernelImageSize> {
  const info = await stat(path).catch(() => undefined);
  if (info !== undefined && !info.isFile()) {
    throw new SourceError(
      `Cannot read the kernel image "${path}": not a regular file (${describeFileType(info)})`,
    );
  }
  try {
    const { stdout } = await execFileAsync("size", [path]);
    const dec = stdout.split("\n")[1]?.trim().split(/\s+/)[3];
    if (dec !== undefined && /^\d+$/.test(dec)) {
      return { kb: Math.floor(Number(dec) / 1024), warnings: [] };
    }
  } catch {
    // Not an ELF file, or no `size`: explained below.
  }
  const warnings: string[] = [];
  const gzipAt = await findGzipHeader(path);
  if (gzipAt !== undefined) {
    warnings.push(
      `The kernel image "${path}" looks compressed; unpack it with: dd if=${path} bs=1 skip=${gzipAt} | gzip -d >${path}.unpacked`,
    );
  }
  warnings.push(
    `Cannot measure the kernel image "${path}": it should be an uncompressed kernel (ELF) file that binutils' "size" reads; counting it as 0`,
  );
  return { kb: 0, warnings };
}

/** Where gzip data starts in the first 25000 bytes, as smem looks for it. */
async function findGzipHeader(path: string): Promise<number | undefined> {
  try {
    // Not blocking, should a FIFO have taken the file's place since.
    const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!(await file.stat()).isFile()) {
      await file.close();
      return undefined;
    }
    try {
      const buffer = new Uint8Array(25000);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      for (let i = 0; i + 1 < bytesRead; i++) {
        if (buffer[i] === 0x1f && buffer[i + 1] === 0x8b) return i;
      }
    } finally {
      await file.close();
    }
  } catch {
    // Unreadable: the second warning says enough.
  }
  return undefined;
}
