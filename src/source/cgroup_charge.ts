/**
 * The memory the kernel charges to a cgroup, read from the cgroup filesystem
 * (/sys/fs/cgroup, or DIR/sys/fs/cgroup beside a mirror's DIR/proc): the
 * I/O edge of the cgroup view's charge column.
 *
 * @module
 */

import { realpath } from "node:fs/promises";
import { join } from "node:path";
import type { MemoryCgroup } from "../parse/cgroup.ts";
import { exactInteger } from "../parse/kernel_number.ts";
import { ParseError } from "../parse/parse_error.ts";
import { readTreeFile } from "./regular_file.ts";

/** A charge file holds one number of bytes: 4 kB is ample. */
const CHARGE_FILE_LIMIT = 4096;

/** Reads cgroups' charges. */
export interface ChargeReader {
  /** kB charged to the cgroup (its descendants included); undefined when not readable. */
  charge(cgroup: MemoryCgroup): Promise<number | undefined>;
}

/**
 * Reads charges under a cgroup filesystem root: v2's `memory.current`
 * (at the root, or under `unified/` on a hybrid system) and v1's
 * `memory/PATH/memory.usage_in_bytes`. The v2 root cgroup has no
 * `memory.current`: its charge is unknown.
 *
 * @param root The cgroup filesystem's mount point, e.g. `/sys/fs/cgroup`.
 * A mirror's cgroup tree is untrusted as its /proc is: its files are read
 * only when they are regular files inside the root, of a few bytes.
 *
 * @param root The cgroup filesystem's mount point, e.g. `/sys/fs/cgroup`.
 * @throws {ParseError} From `charge()`, when a file holds no number of bytes.
 * @throws {SourceError} From `charge()`, when a file is not a regular file
 *   in the root (a FIFO, a link out of it) or is larger than a number.
 */
export function cgroupChargeReader(root: string): ChargeReader {
  let realRoot: Promise<string> | undefined;
  return {
    async charge({ version, path }) {
      // A path from another cgroup namespace ("/../..") leads outside the root.
      if (path.split("/").includes("..")) return undefined;
      const candidates = version === 2
        ? [join(root, path, "memory.current"), join(root, "unified", path, "memory.current")]
        : [join(root, "memory", path, "memory.usage_in_bytes")];
      for (const file of candidates) {
        const read = await readTreeFile(file, {
          root: await (realRoot ??= realpath(root).catch(() => root)),
          maxBytes: CHARGE_FILE_LIMIT,
          what: `Cannot read "${file}"`,
        });
        // Missing or denied: unknown, not an error.
        if (read.status !== "ok") continue;
        const text = new TextDecoder().decode(read.bytes);
        const bytes = /^\d+\n?$/.test(text) ? exactInteger(text.trimEnd()) : undefined;
        if (bytes === undefined) throw new ParseError(file, 1, "expected a number of bytes");
        return Math.floor(bytes / 1024);
      }
      return undefined;
    },
  };
}
