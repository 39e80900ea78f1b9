/**
 * Reads what `--exact` needs of a live system beside a snapshot: each
 * process's resident frames and swap entries from /proc/PID/pagemap, read
 * only for the mappings smaps says hold resident or swapped memory, and the
 * mapping count of each distinct frame from /proc/kpagecount, read once per
 * frame in sorted runs.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import { DENIED_CODES, errorCode, MISSING_CODES } from "../errors/source_error.ts";
import { InputError } from "../errors/memsnap_error.ts";
import { type PagemapRun, parseKpagecount, parsePagemap } from "../parse/pagemap.ts";
import { parseSmaps } from "../parse/smaps.ts";
import { openPageFile, systemPageSize } from "../source/page_files.ts";
import type { StoredPages } from "./pages_member.ts";
import { eachRun, type FrameCounts, merged, type PagesMode, type ProcessPages } from "./pages.ts";
import type { Process, Snapshot } from "./snapshot.ts";

/** What --exact needs, said when it is missing. */
export const EXACT_NEEDS_ROOT =
  "--exact needs root (CAP_SYS_ADMIN) to read page frame numbers from /proc/PID/pagemap and /proc/kpagecount; --exact=lower-bound works without";

/** What capture --pages needs, said when it is missing. */
export const PAGES_NEED_ROOT =
  "capture --pages needs root (CAP_SYS_ADMIN) to read page frame numbers from /proc/PID/pagemap and /proc/kpagecount";

type PageFile = Awaited<ReturnType<typeof openPageFile>>;

/** Frames closer than this are read from kpagecount in one run (gaps read and dropped). */
const RUN_GAP = 64;

/**
 * The snapshot with its processes' pages. A process that exited since it
 * was read keeps no pages (its rows count nothing exact); one whose
 * pagemap is not readable too, in lower-bound mode (another user's).
 *
 * @throws {InputError} In frames mode, without the privilege to read frames.
 */
export async function withPages(
  snapshot: Snapshot,
  options: {
    readonly mode: PagesMode;
    readonly procRoot?: string;
    /**
     * The processes a report shows (default: all). Of the others only the
     * swap entries are read, and only from those with swap: they decide
     * which swap is shared, while kpagecount already counts their frames.
     */
    readonly shown?: ReadonlySet<Process>;
  },
): Promise<{ snapshot: Snapshot; unreadable: number }> {
  const procRoot = options.procRoot ?? "/proc";
  const pageSize = await systemPageSize(procRoot);
  const kpagecount = options.mode === "frames"
    ? await openKpagecount(procRoot, "--exact", EXACT_NEEDS_ROOT)
    : undefined;
  try {
    let unreadable = 0;
    const processes: Process[] = [];
    for (const process of snapshot.processes) {
      // A row of RSS only (its maps unreadable): no pages either.
      if (process.provenance?.kind === "rss-only") {
        processes.push(process);
        continue;
      }
      const shown = options.shown?.has(process) ?? true;
      if (!shown && (process.totals.swap ?? 0) === 0) {
        processes.push(process);
        continue;
      }
      const pages = await readProcessPages(procRoot, process.pid, pageSize, {
        mode: options.mode,
        swapOnly: !shown,
      });
      if (pages === "hidden") throw new InputError(EXACT_NEEDS_ROOT);
      if (pages === "denied") unreadable++;
      processes.push(typeof pages === "object" ? { ...process, pages } : process);
    }
    const frameCounts = kpagecount === undefined
      ? { frames: [], counts: [] }
      : await readFrameCounts(kpagecount, processes.map((process) => process.pages?.frames ?? []));
    return {
      snapshot: {
        ...snapshot,
        processes,
        pages: { mode: options.mode, pageSize, frameCounts },
      },
      unreadable,
    };
  } finally {
    await kpagecount?.close();
  }
}

/**
 * One process's pages; "gone" when it exited, "denied" when not allowed,
 * "hidden" when its frame numbers read 0 (no CAP_SYS_ADMIN).
 */
async function readProcessPages(
  procRoot: string,
  pid: number,
  pageSize: number,
  options: {
    readonly mode: PagesMode;
    readonly swapOnly: boolean;
    /** Its smaps, when already read (a capture's): where its ranges are. */
    readonly smaps?: string;
  },
): Promise<ProcessPages | "gone" | "denied" | "hidden"> {
  let pagemap;
  try {
    const smaps = options.smaps ?? await readFile(`${procRoot}/${pid}/smaps`, "utf8");
    pagemap = await openPageFile(`${procRoot}/${pid}/pagemap`);
    let run: PagemapRun = { frames: [], swap: [], exclusive: 0 };
    for (const mapping of parseSmaps(smaps, `${pid}/smaps`)) {
      // Neither resident nor swapped: nothing pagemap would show.
      const rss = options.swapOnly ? 0 : mapping.counters.rss ?? 0;
      if (rss === 0 && (mapping.counters.swap ?? 0) === 0) continue;
      const first = parseInt(mapping.start, 16) / pageSize;
      const pages = (parseInt(mapping.end, 16) - parseInt(mapping.start, 16)) / pageSize;
      const bytes = await pagemap.read(first * 8, pages * 8);
      run = parsePagemap(bytes, `${pid}/pagemap`, run);
    }
    const mode = options.swapOnly ? "lower-bound" : options.mode;
    if (mode === "frames" && run.frames.length > 0 && run.frames.every((frame) => frame === 0)) {
      // The kernel hides frame numbers from readers without CAP_SYS_ADMIN.
      return "hidden";
    }
    return {
      frames: mode === "frames" ? sorted(run.frames) : [],
      swap: sorted(run.swap),
      exclusive: options.swapOnly ? 0 : run.exclusive,
    };
  } catch (error) {
    const code = errorCode(error) ?? "";
    if (MISSING_CODES.has(code) || code === "ESRCH") return "gone";
    if (DENIED_CODES.has(code)) return "denied";
    throw error;
  } finally {
    await pagemap?.close();
  }
}

/** /proc/kpagecount, open for `who` (an option); `denied` is the message without the privilege. */
async function openKpagecount(procRoot: string, who: string, denied: string): Promise<PageFile> {
  try {
    return await openPageFile(`${procRoot}/kpagecount`);
  } catch (error) {
    const code = errorCode(error) ?? "";
    if (DENIED_CODES.has(code)) throw new InputError(denied);
    if (MISSING_CODES.has(code)) {
      throw new InputError(
        `${who} needs ${procRoot}/kpagecount, which this kernel does not have (CONFIG_PROC_PAGE_MONITOR)`,
      );
    }
    throw error;
  }
}

/** Numbers sorted ascending: a typed array's numeric sort, far faster than a comparator's. */
function sorted(values: readonly number[]): number[] {
  return Array.from(Float64Array.from(values).sort());
}

/** kpagecount's count of every distinct frame in the lists, read in sorted runs. */
async function readFrameCounts(
  kpagecount: PageFile,
  lists: readonly (readonly number[])[],
): Promise<FrameCounts> {
  const frames: number[] = [];
  eachRun(merged(lists), (frame) => frames.push(frame));
  const counts: number[] = new Array(frames.length);
  let start = 0;
  while (start < frames.length) {
    let end = start + 1;
    while (end < frames.length && frames[end]! - frames[end - 1]! <= RUN_GAP) end++;
    const first = frames[start]!;
    const bytes = await kpagecount.read(first * 8, (frames[end - 1]! - first + 1) * 8);
    const run = parseKpagecount(bytes, "kpagecount");
    for (let i = start; i < end; i++) counts[i] = run[frames[i]! - first] ?? 0;
    start = end;
  }
  return { frames, counts };
}

/** Reads the pages of a capture's processes as they are stored (capture --pages). */
export interface PagesRecorder {
  /** Reads one process's pages, right after its files (`smaps` when they hold it). */
  add(pid: number, smaps?: string): Promise<void>;
  /** Every frame's mapping count, and the pages read. */
  finish(): Promise<StoredPages>;
  /** Closes kpagecount (after finish, or on a failure). */
  close(): Promise<void>;
}

/**
 * Opens kpagecount for a capture's pages.
 *
 * @throws {InputError} Without the privilege to read frames.
 */
export async function pagesRecorder(procRoot = "/proc"): Promise<PagesRecorder> {
  const pageSize = await systemPageSize(procRoot);
  const kpagecount = await openKpagecount(procRoot, "capture --pages", PAGES_NEED_ROOT);
  const processes = new Map<number, ProcessPages>();
  return {
    async add(pid, smaps) {
      const pages = await readProcessPages(procRoot, pid, pageSize, {
        mode: "frames",
        swapOnly: false,
        ...(smaps !== undefined && { smaps }),
      });
      if (pages === "hidden") throw new InputError(PAGES_NEED_ROOT);
      // Gone or denied since its files were read: stored without pages, as --exact shows it.
      if (typeof pages === "object") processes.set(pid, pages);
    },
    async finish() {
      const lists = [...processes.values()].map((pages) => pages.frames);
      const frameCounts = await readFrameCounts(kpagecount, lists);
      return { pages: { mode: "frames", pageSize, frameCounts }, processes };
    },
    close: () => kpagecount.close(),
  };
}
