/**
 * The pages the exact columns count (docs/exact.md): read from the live
 * system, or from a capture that stored them (`capture --pages`).
 *
 * @module
 */

import { InputError } from "../errors/memsnap_error.ts";
import type { PagesMode, ProcessPages } from "../snapshot/pages.ts";
import { decodePages, PAGES_MEMBER, type StoredPages } from "../snapshot/pages_member.ts";
import type { Process, Snapshot } from "../snapshot/snapshot.ts";
import type { ProcSource } from "../source/proc_source.ts";
import { counted } from "../units/plural.ts";

/**
 * The snapshot with its processes' pages: read now from the live system,
 * or the ones a capture stored.
 *
 * @throws {InputError} For a copy that holds no pages, or live without the privilege.
 */
export async function readPages(
  snapshot: Snapshot,
  source: Pick<ProcSource, "label" | "live" | "readBytes">,
  options: {
    readonly mode: PagesMode;
    readonly shown: ReadonlySet<Process>;
    readonly warn: (message: string) => void;
  },
): Promise<Snapshot> {
  if (options.mode === "lower-bound") {
    options.warn(
      "GroupUSS and Unique are lower bounds (--exact=lower-bound): what a group's processes share only among themselves is left out",
    );
  }
  if (!source.live) return storedPages(snapshot, source, options);
  const { withPages } = await import("../snapshot/read_pages.ts");
  const read = await withPages(snapshot, { mode: options.mode, shown: options.shown });
  if (read.unreadable > 0) {
    options.warn(
      `${
        counted(read.unreadable, "process")
      } had pagemap unreadable (other users'): their exact columns are blank`,
    );
  }
  return read.snapshot;
}

/**
 * The snapshot with the pages its capture stored, in the mode asked: the
 * lower bound needs only the exclusive counts, which frames mode stores too.
 *
 * @throws {InputError} When the capture holds none.
 */
async function storedPages(
  snapshot: Snapshot,
  source: Pick<ProcSource, "label" | "readBytes">,
  options: { readonly mode: PagesMode; readonly warn: (message: string) => void },
): Promise<Snapshot> {
  const member = await source.readBytes(PAGES_MEMBER);
  if (member.status !== "ok") {
    throw new InputError(
      `The exact columns count pages: ${source.label} holds none (take it with "memsnap capture --pages", as root)`,
    );
  }
  const stored: StoredPages = decodePages(member.bytes, PAGES_MEMBER);
  if (options.mode === "frames" && stored.pages.mode !== "frames") {
    throw new InputError(
      `${source.label} holds the lower bound's pages only (no frame numbers): use --exact=lower-bound`,
    );
  }
  const lowerBound = options.mode === "lower-bound";
  let missing = 0;
  const processes = snapshot.processes.map((process) => {
    const pages: ProcessPages | undefined = stored.processes.get(process.pid);
    if (pages === undefined) {
      if (process.provenance?.kind !== "rss-only") missing++;
      return process;
    }
    return { ...process, pages: lowerBound ? { ...pages, frames: [] } : pages };
  });
  if (missing > 0) {
    options.warn(
      `${
        counted(missing, "process")
      } had no pages stored (gone or unreadable when the capture read them): their exact columns are blank`,
    );
  }
  return {
    ...snapshot,
    processes,
    pages: {
      ...stored.pages,
      mode: options.mode,
      frameCounts: lowerBound ? { frames: [], counts: [] } : stored.pages.frameCounts,
    },
  };
}
