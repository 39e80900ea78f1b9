/**
 * A capture (`memsnap capture`): one snapshot of a source as a tar.gz in
 * smem's layout, streamed to whatever the front end writes it to (a file,
 * standard output, an HTTP response) as it is read.
 *
 * @module
 */

import type { Detail, SnapshotMeta } from "../archive/format.ts";
import { type CaptureCounts, planCapture, streamCapture } from "../capture/stream_capture.ts";
import type { WriteChunk } from "../sink/write_file.ts";
import { openSource } from "../source/open_source.ts";
import { type Diagnostic, diagnosticsSink, provenanceDiagnostics } from "./diagnostics.ts";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { packSnapshot } from "../archive/pack.ts";
import { type CollectOptions, collectSnapshot } from "../capture/collect.ts";
import type { ProcSource } from "../source/proc_source.ts";
import type { CostLimits } from "../snapshot/walk_plan.ts";

const gzipAsync = promisify(gzip);
import { VERSION } from "./version.ts";
import { PAGES_VERSION } from "../archive/format.ts";
import { InputError, UsageError } from "../errors/memsnap_error.ts";
import { PAGES_MEMBER } from "../snapshot/pages_member.ts";
import { pagesRecorder } from "../snapshot/read_pages.ts";
import { counted } from "../units/plural.ts";

/** A capture, as a front end asks for it. */
export interface CaptureQuery {
  /** Where to read /proc from; undefined: the live /proc. */
  readonly source?: string;
  readonly detail: Detail;
  /** The most read of one file of a mirror or archive, bytes. */
  readonly maxFileBytes?: number;
  /**
   * What walking the live system's processes may cost (--budget,
   * --max-rss); absent: every one is walked, as the archive is streamed.
   */
  readonly cost?: CostLimits;
  /**
   * Stores each process's resident frames and swap entries, and every
   * frame's mapping count (--pages: root, live only), so that --exact reads
   * the capture as it reads the live system.
   */
  readonly pages?: boolean;
}

/** A capture planned: its metadata known, its processes not read yet. */
export interface Capture {
  readonly meta: SnapshotMeta;
  /** The file name it is written under when none is given. */
  readonly defaultName: string;
  /** Reads the processes and writes the archive's bytes as they come. */
  readonly write: (write: WriteChunk) => Promise<CaptureResult>;
}

/** What a capture stored, and what the user should know of it. */
export interface CaptureResult extends CaptureCounts {
  /** Bytes written. */
  readonly bytes: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Opens the source and plans a capture: meminfo, version and the
 * processes' owners are read first (the archive's metadata comes first).
 *
 * @throws {SourceError} When the source cannot be opened or has no meminfo.
 */
export async function startCapture(query: CaptureQuery): Promise<Capture> {
  const { diagnostics, warn } = diagnosticsSink();
  const source = await openSource(query.source, {
    warn,
    ...(query.maxFileBytes !== undefined && { maxFileBytes: query.maxFileBytes }),
  });
  const options = { detail: query.detail, producer: `memsnap ${VERSION}` };
  if (query.pages && query.cost !== undefined) {
    throw new UsageError(
      `"--pages" stores every process's pages: it does not sample ("--budget", "--max-rss")`,
    );
  }
  if (query.cost !== undefined && source.live) {
    return await sampledCapture(source, { ...options, cost: { limits: query.cost } }, diagnostics);
  }
  if (query.pages && !source.live) {
    throw new InputError(
      `"--pages" reads the live system's page frames: ${source.label} is a copy`,
    );
  }
  // Without the privilege, said before a byte is written.
  const pages = query.pages ? await pagesRecorder() : undefined;
  const planned = await planCapture(source, options).catch(async (error) => {
    await pages?.close();
    throw error;
  });
  const plan = pages === undefined ? planned : {
    ...planned,
    meta: {
      ...planned.meta,
      formatVersion: PAGES_VERSION,
      pages: { member: PAGES_MEMBER, mode: "frames" as const },
    },
  };
  return {
    meta: plan.meta,
    defaultName: defaultArchiveName(plan.meta),
    async write(write) {
      let bytes = 0;
      const counts = await streamCapture(source, options, plan, async (chunk) => {
        bytes += chunk.length;
        await write(chunk);
      }, pages).finally(() => pages?.close());
      // What the archive records (memsnap.json, written first), so that a report of it says the same.
      unreadableWarning(plan.meta.skipped.unreadable, warn);
      return { ...counts, bytes, diagnostics };
    },
  };
}

/**
 * A capture that samples within a budget: read whole before it is written,
 * since memsnap.json, its first member, says how each process was measured.
 */
async function sampledCapture(
  source: ProcSource,
  options: CollectOptions,
  diagnostics: Diagnostic[],
): Promise<Capture> {
  const raw = await collectSnapshot(source, options);
  return {
    meta: raw.meta,
    defaultName: defaultArchiveName(raw.meta),
    async write(write) {
      const bytes = await gzipAsync(await packSnapshot(raw, { prefix: "" }));
      await write(bytes);
      return {
        processes: raw.processes.length,
        vanished: raw.vanished,
        unreadable: raw.unreadable,
        bytes: bytes.length,
        diagnostics: [...diagnostics, ...provenanceDiagnostics(raw.processes)],
      };
    },
  };
}

/** Says how many processes a capture left out, unreadable. */
function unreadableWarning(unreadable: number, warn: (message: string) => void): void {
  if (unreadable === 0) return;
  warn(
    `${
      counted(unreadable, "process")
    } left out: permission denied reading their memory maps (reading other users' processes needs root or CAP_SYS_PTRACE)`,
  );
}

/**
 * `memsnap-HOST-YYYYMMDDTHHMMSSZ.tar.gz` for a capture (a recording's:
 * `memsnap-record-HOST-…`), from the host and the time it was taken.
 */
export function defaultArchiveName(
  meta: Pick<SnapshotMeta, "hostname" | "takenAt">,
  kind: "capture" | "recording" = "capture",
): string {
  const host = (meta.hostname ?? "unknown").replace(/[^A-Za-z0-9._-]/g, "_");
  const time = (meta.takenAt ?? new Date().toISOString()).replace(/[-:]/g, "").replace(
    /\.\d+/,
    "",
  );
  return `memsnap-${kind === "recording" ? "record-" : ""}${host}-${time}.tar.gz`;
}
