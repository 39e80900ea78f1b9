/**
 * A recording (`memsnap record`): snapshots on a schedule into one file,
 * while a workload runs or until stopped. Progress comes as events; the
 * front end decides what stops it (the CLI: a signal) and calls `stop`.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { constants, hostname } from "node:os";
import process from "node:process";
import {
  type Detail,
  type ExitStatus,
  PROVENANCE_VERSION,
  type RecordingEnd,
} from "../archive/format.ts";
import { createRecording } from "../archive/recording_writer.ts";
import { collectSnapshot, type MemoryFiles } from "../capture/collect.ts";
import type { WalkCache } from "../snapshot/costed_pass.ts";
import type { CostLimits } from "../snapshot/walk_plan.ts";
import { rawSource, summariseSource } from "../capture/summary.ts";
import { descendants } from "../capture/tree.ts";
import { describeFsError } from "../errors/source_error.ts";
import { openSource } from "../source/open_source.ts";
import { type Diagnostic, diagnosticsSink } from "./diagnostics.ts";
import { ticks } from "./sampler.ts";
import { defaultArchiveName } from "./capture.ts";
import { VERSION } from "./version.ts";
import { counted } from "../units/plural.ts";

/** A recording, as a front end asks for it. */
export interface RecordQuery {
  /** The recording's file; undefined: a name from the host and the time (defaultArchiveName). */
  readonly output?: string;
  /** Replace the file if it exists. */
  readonly force: boolean;
  /** Where to read /proc from; undefined: the live /proc. */
  readonly source?: string;
  /** The most read of one file of a mirror or archive, bytes. */
  readonly maxFileBytes?: number;
  readonly intervalMs: number;
  readonly count?: number;
  readonly durationMs?: number;
  readonly detail: Detail;
  /** Keep only the workload's process tree. */
  readonly tree: boolean;
  /** The workload, run while recording; null for none. */
  readonly command: readonly string[] | null;
  /**
   * Record memsnap's own process too: left out by default, so that the
   * recorder's own growth is no row of the trends it makes.
   */
  readonly includeSelf?: boolean;
  /**
   * What each live snapshot may spend, and how long a process's numbers are
   * carried while its status does not move (walk_plan.ts); absent: every
   * process walked every time.
   */
  readonly cost?: CostLimits;
}

/** A snapshot written. */
export interface SnapshotEvent {
  readonly index: number;
  readonly lateMs: number;
  /** The processes' total PSS, kB. */
  readonly pss: number;
  /** The recording's size so far, bytes. */
  readonly bytes: number;
  /** Since the schedule started, ms. */
  readonly elapsedMs: number;
}

/** How a recording ended. */
export interface RecordResult {
  readonly snapshots: number;
  readonly stoppedBy: RecordingEnd["stoppedBy"];
  /** The workload's exit; null without one. */
  readonly exitStatus: ExitStatus | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** A recording under way. */
export interface Recording {
  /** The file it is written into. */
  readonly output: string;
  /** One event per snapshot written; returns how the recording ended. */
  readonly snapshots: AsyncGenerator<SnapshotEvent, RecordResult>;
  /**
   * Stops it: the first time, the workload's process group gets `signal`
   * (the recording then ends when the workload exits); the second time, the
   * group is killed.
   */
  stop(signal?: NodeJS.Signals): void;
}

/**
 * Creates the recording file and starts the workload; the schedule starts
 * when `snapshots` is first read.
 *
 * @throws {SourceError} When the file exists (without force) or cannot be written.
 */
export async function startRecording(query: RecordQuery): Promise<Recording> {
  const { diagnostics, warn } = diagnosticsSink();
  const source = await openSource(query.source, {
    warn,
    ...(query.maxFileBytes !== undefined && { maxFileBytes: query.maxFileBytes }),
  });
  const startedAt = new Date().toISOString();
  const host = source.live ? hostname() : source.recorded?.hostname ?? null;
  const output = query.output ??
    defaultArchiveName({ hostname: host, takenAt: startedAt }, "recording");
  const writer = await createRecording(output, {
    format: "memsnap-recording",
    // Live snapshots may hold processes not walked (provenance).
    formatVersion: source.live ? PROVENANCE_VERSION : 1,
    producer: `memsnap ${VERSION}`,
    startedAt,
    hostname: host,
    intervalMs: query.intervalMs,
    detail: query.detail,
    command: query.command,
    tree: query.tree,
  }, { force: query.force });

  const schedule = new AbortController();
  let stoppedBy: RecordingEnd["stoppedBy"] | undefined;
  const end = (reason: RecordingEnd["stoppedBy"]) => {
    stoppedBy ??= reason;
    schedule.abort();
  };
  const workload = query.command === null ? undefined : runWorkload(query.command, {
    warn,
    exited: () => end("command"),
  });
  let stops = 0;
  // What each snapshot keeps of its walks, for the next to carry.
  const walks: WalkCache<MemoryFiles> = { kept: new Map() };

  async function* snapshots(): AsyncGenerator<SnapshotEvent, RecordResult> {
    let taken = 0;
    let started = 0;
    let unreadable = 0;
    try {
      const schedule$ = ticks(query, { signal: schedule.signal });
      for (;;) {
        const next = await schedule$.next();
        if (next.done) {
          if (next.value !== "aborted") end(next.value);
          break;
        }
        const tick = next.value;
        if (tick.index === 0) started = tick.scheduledAt;
        const rootPid = workload?.child.pid;
        const raw = await collectSnapshot(source, {
          detail: query.detail,
          producer: `memsnap ${VERSION}`,
          now: () => new Date(tick.startedAt),
          ...(query.cost !== undefined && { cost: { limits: query.cost, cache: walks } }),
          ...(source.live && !query.includeSelf && { exclude: new Set([process.pid]) }),
          ...(query.tree && rootPid !== undefined &&
            { keep: (parents: ReadonlyMap<number, number>) => descendants(parents, rootPid) }),
        });
        unreadable = Math.max(unreadable, raw.unreadable);
        const summary = await summariseSource(rawSource(raw));
        await writer.append(raw, {
          index: taken,
          scheduledAt: new Date(tick.scheduledAt).toISOString(),
          lateMs: tick.lateMs,
          summary,
        });
        taken++;
        yield {
          index: tick.index,
          lateMs: tick.lateMs,
          pss: summary.pss,
          bytes: writer.size(),
          elapsedMs: Date.now() - started,
        };
      }
      // A workload outlives a recording cut by --count or --duration: wait for it.
      await workload?.exited;
      await writer.close({
        endedAt: new Date().toISOString(),
        snapshots: taken,
        stoppedBy: stoppedBy ?? "signal",
        exitStatus: workload?.status() ?? null,
      });
    } catch (error) {
      await writer.abandon();
      throw error;
    }
    if (unreadable > 0) {
      warn(
        `up to ${
          counted(unreadable, "process")
        } left out of a snapshot: permission denied reading their memory maps (reading other users' processes needs root or CAP_SYS_PTRACE); each snapshot says how many`,
      );
    }
    return {
      snapshots: taken,
      stoppedBy: stoppedBy ?? "signal",
      exitStatus: workload?.status() ?? null,
      diagnostics,
    };
  }

  return {
    output,
    snapshots: snapshots(),
    stop(signal = "SIGTERM") {
      // The workload hears it too, and its exit ends the recording; a second
      // stop kills a workload that ignores the first.
      workload?.signal(++stops > 1 ? "SIGKILL" : signal);
      end("signal");
    },
  };
}

/** A workload run while recording. */
interface Workload {
  readonly child: ChildProcess;
  /** Resolves when it has exited (or could not start). */
  readonly exited: Promise<void>;
  /** Its exit status; null while it runs. */
  status(): ExitStatus | null;
  /** Sends a signal to its process group: the command and everything it started. */
  signal(signal: NodeJS.Signals): void;
}

/**
 * Starts the workload in a process group of its own, so that a signal
 * reaches everything it started, not only the command itself.
 */
function runWorkload(
  command: readonly string[],
  hooks: { readonly warn: (message: string) => void; readonly exited: () => void },
): Workload {
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file, args, { stdio: "inherit", detached: true });
  let status: ExitStatus | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once("error", (error) => {
      hooks.warn(`Cannot run "${file}": ${describeFsError(error)}`);
      status = { code: 127, signal: null };
      hooks.exited();
      resolve();
    });
    child.once("exit", (code, signal) => {
      status = signal === null ? { code: code ?? 0, signal: null } : { code: null, signal };
      hooks.exited();
      resolve();
    });
  });
  return {
    child,
    exited,
    status: () => status,
    signal(signal) {
      if (child.pid === undefined) return;
      try {
        // The group outlives its leader: grandchildren still hear a second signal.
        process.kill(-child.pid, signal);
      } catch {
        // The whole group is gone already.
      }
    },
  };
}

/** The exit code that reports a workload's end: its own, or 128 + its signal. */
export function exitCodeOf(status: ExitStatus | null): number {
  if (status === null) return 0;
  return status.code ?? 128 + ((constants.signals as Record<string, number>)[status.signal] ?? 0);
}
