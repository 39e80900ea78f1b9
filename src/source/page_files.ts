/**
 * The kernel's binary page files, read with positioned reads on a file
 * handle: /proc/PID/pagemap (8 bytes per virtual page) and /proc/kpagecount
 * (8 bytes per page frame), and the page size from /proc/self/auxv.
 *
 * The PAGEMAP_SCAN ioctl (Linux 6.7) would return only the resident ranges
 * in one call, but an ioctl cannot be made from Deno or Bun without FFI,
 * which the single binary does not use: pagemap is read for the ranges
 * smaps says are resident instead.
 *
 * @module
 */

import { open, readFile } from "node:fs/promises";

/** Bytes read at most at once: 64 Ki entries. */
const CHUNK_BYTES = 512 * 1024;

/** An open pagemap or kpagecount file. */
export interface PageFile {
  /** `length` bytes at `position` (fewer at the file's end). */
  read(position: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * Opens a binary page file.
 *
 * @throws The fs error (ENOENT: the process exited; EACCES/EPERM: not allowed).
 */
export async function openPageFile(path: string): Promise<PageFile> {
  const handle = await open(path, "r");
  return {
    async read(position, length) {
      const bytes = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const want = Math.min(CHUNK_BYTES, length - done);
        const { bytesRead } = await handle.read(bytes, done, want, position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === length ? bytes : bytes.subarray(0, done);
    },
    close: () => handle.close(),
  };
}

const AT_PAGESZ = 6;

/** The system's page size from the ELF auxiliary vector; 4096 when it cannot be read. */
export async function systemPageSize(procRoot = "/proc"): Promise<number> {
  try {
    const bytes = await readFile(`${procRoot}/self/auxv`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 0; at + 16 <= bytes.length; at += 16) {
      if (view.getUint32(at, true) === AT_PAGESZ && view.getUint32(at + 4, true) === 0) {
        return view.getUint32(at + 8, true);
      }
    }
  } catch {
    // Fall through to the common size.
  }
  return 4096;
}
