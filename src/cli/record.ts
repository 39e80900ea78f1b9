/**
 * `memsnap record`: snapshots on a schedule into one recording, while a
 * workload runs or until told to stop.
 *
 * @module
 */

import { type ChildProcess, spawn } from "node:child_process";
import { constants, hostname } from "node:os";
import process from "node:process";
import { formatDuration } from "../units/duration.ts";
import { type ExitStatus, FORMAT_VERSION, type RecordingEnd } from "../archive/format.ts";
import { collectSnapshot } from "../capture/collect.ts";
import { createRecording } from "../archive/recording_writer.ts";
import { nextSlot } from "../capture/schedule.ts";
import { rawSource, summariseSource } from "../capture/summary.ts";
import { openSource } from "../source/open_source.ts";
import { describeFsError, errorCode, SourceError } from "../errors/source_error.ts";
import { descendants } from "../capture/tree.ts";
import { EXIT } from "./errors.ts";
import type { Io } from "./io.ts";
import type { RecordRequest } from "./snap_args.ts";
import { VERSION } from "./version.ts";

const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** Records; returns the exit code (the workload's, with `-- COMMAND`). */
export async function runRecord(request: RecordRequest, io: Io): Promise<number> {
  const warn = (message: string) => io.err(`memsnap: ${message}\n`);
  const source = await openSource(request.source, { warn });
  const startedAt = Date.now();
  const writer = await createRecording(request.output, {
    format: "memsnap-recording",
    formatVersion: FORMAT_VERSION,
    producer: `memsnap ${VERSION}`,
    startedAt: new Date(startedAt).toISOString(),
    hostname: source.live ? hostname() : source.recorded?.hostname ?? null,
    intervalMs: request.intervalMs,
    detail: request.detail,
    command: request.command,
    tree: request.tree,
  }, { force: request.force }).catch((error) => {
    throw new SourceError(
      errorCode(error) === "EEXIST"
        ? `Cannot write "${request.output}": it already exists (use --force to replace it)`
        : `Cannot write "${request.output}": ${describeFsError(error)}`,
    );
  });

  // Stop: a signal, the workload's exit, or the schedule's end.
  let stoppedBy: RecordingEnd["stoppedBy"] | undefined;
  let wake = () => {};
  const stop = (reason: RecordingEnd["stoppedBy"]) => {
    stoppedBy ??= reason;
    wake();
  };
  let child: ChildProcess | undefined;
  let exitStatus: ExitStatus | null = null;
  let exited: Promise<void> = Promise.resolve();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    // The workload hears it too, and its exit ends the recording; a second
    // signal kills a workload that ignores the first.
    if (child !== undefined && exitStatus === null) child.kill(++signals > 1 ? "SIGKILL" : signal);
    stop("signal");
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);

  try {
    if (request.command !== null) {
      const [file, ...args] = request.command as [string, ...string[]];
      child = spawn(file, args, { stdio: "inherit" });
      exited = new Promise((resolve) => {
        child!.once("error", (error) => {
          warn(`Cannot run "${file}": ${describeFsError(error)}`);
          exitStatus = { code: 127, signal: null };
          stop("command");
          resolve();
        });
        child!.once("exit", (code, signal) => {
          exitStatus = signal === null ? { code: code ?? 0, signal: null } : { code: null, signal };
          stop("command");
          resolve();
        });
      });
    }

    // The schedule starts once the workload is started.
    const start = Date.now();
    const progress = io.errIsTerminal() && !request.quiet;
    let taken = 0;
    let previous = -1;
    while (stoppedBy === undefined) {
      const next = nextSlot(request, { start, previous, taken, now: Date.now() });
      if (next.kind === "stop") {
        stop(next.reason);
        break;
      }
      await sleepUntil(next.at, (wakeUp) => (wake = wakeUp));
      if (stoppedBy !== undefined) break;
      const takenAt = Date.now();
      const rootPid = child?.pid;
      const raw = await collectSnapshot(source, {
        detail: request.detail,
        producer: `memsnap ${VERSION}`,
        now: () => new Date(takenAt),
        ...(request.tree && rootPid !== undefined &&
          { keep: (parents: ReadonlyMap<number, number>) => descendants(parents, rootPid) }),
      });
      const summary = await summariseSource(rawSource(raw));
      await writer.append(raw, {
        index: taken,
        scheduledAt: new Date(next.at).toISOString(),
        lateMs: Math.max(0, takenAt - next.at),
        summary,
      });
      taken++;
      previous = next.slot;
      if (progress) {
        io.err(
          `\rmemsnap: ${taken} snapshot${taken === 1 ? "" : "s"}, ${
            formatDuration(Date.now() - start)
          }, ${Math.ceil(writer.size() / 1024)} kB, PSS ${summary.pss} kB   `,
        );
      }
    }
    if (progress) io.err("\n");
    // A workload outlives a recording cut by --count or --duration: wait for it.
    await exited;
    await writer.close({
      endedAt: new Date().toISOString(),
      snapshots: taken,
      stoppedBy: stoppedBy ?? "signal",
      exitStatus,
    });
    warn(`recorded ${taken} snapshot${taken === 1 ? "" : "s"} into ${request.output}`);
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
  const status = exitStatus as ExitStatus | null;
  if (status === null) return EXIT.ok;
  return status.code ?? 128 + signalNumber(status.signal);
}

/** Waits until `at` (ms since the epoch), or until woken. */
function sleepUntil(at: number, setWake: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, at - Date.now()));
    setWake(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function signalNumber(signal: string): number {
  return (constants.signals as Record<string, number>)[signal] ?? 0;
}
