/**
 * Remote capture, pulled (`memsnap capture --from URL`, `memsnap record
 * --from URL`): a device's `memsnap serve` answers /api/v1/capture with the
 * very tar.gz `memsnap capture` writes; here it is fetched whole, checked
 * complete, and written as a capture or appended to a recording. A failed
 * pull is retried with backoff; the slots it cost are recorded as a gap
 * (`recorded.gap` of the next snapshot, `missed` of the end member), never
 * filled with invented snapshots.
 *
 * @module
 */

import type { Detail, RecordedGap, RecordingEnd } from "../archive/format.ts";
import { PROVENANCE_VERSION } from "../archive/format.ts";
import { captureToRaw } from "../archive/capture_snapshot.ts";
import { SNAPSHOT_LIMIT } from "../archive/limits.ts";
import type { RawSnapshot } from "../archive/raw_snapshot.ts";
import { createRecording, type RecordingWriter } from "../archive/recording_writer.ts";
import { rawSource, summariseSource } from "../capture/summary.ts";
import { SourceError } from "../errors/source_error.ts";
import { UsageError } from "../errors/memsnap_error.ts";
import { type Diagnostic, diagnosticsSink } from "./diagnostics.ts";
import { defaultArchiveName } from "./capture.ts";
import type { SnapshotEvent } from "./record.ts";
import { ticks } from "./sampler.ts";
import { VERSION } from "./version.ts";
import { counted } from "../units/plural.ts";
import { type Got, httpGet } from "./http_get.ts";

/** Where to pull from, and how. */
export interface Remote {
  /** The device's serve, `http(s)://HOST:PORT` (a path prefix is kept). */
  readonly url: string;
  /** Its bearer token; undefined: none sent. */
  readonly token?: string;
  /** The longest one pull may take, ms. */
  readonly timeoutMs?: number;
  /** PEM certificates to trust for https instead of the system's (`--ca-file`). */
  readonly ca?: string;
  /** Aborts a pull in flight (the recording stopped). */
  readonly signal?: AbortSignal;
}

/**
 * A pull that failed. `began`: the device had answered 200 and the snapshot
 * had begun to come (a runtime may drop the bytes it held when the
 * connection is cut, so `partialBytes` may be 0 even then).
 */
export class PullError extends SourceError {
  constructor(
    message: string,
    readonly partialBytes: number,
    readonly began = partialBytes > 0,
  ) {
    super(message);
  }
}

/**
 * Checks a `--from` URL: http or https, no credentials in it.
 *
 * @throws {UsageError} When it is not one.
 */
export function remoteUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `"--from ${text}" is not a URL: give http://HOST:PORT or https://HOST:PORT`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`"--from ${text}": only http:// and https:// are pulled from`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new UsageError(`"--from ${text}": give the token with --token-file, not in the URL`);
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * Fetches one capture, whole: its bytes, at most SNAPSHOT_LIMIT.
 *
 * @throws {PullError} When the device cannot be reached, answers other than
 *   200, or the connection ends before the capture does.
 */
export async function pullCapture(remote: Remote, detail: Detail): Promise<Uint8Array> {
  const url = `${remote.url}/api/v1/capture?detail=${detail}`;
  const timeout = AbortSignal.timeout(remote.timeoutMs ?? 120_000);
  const signal = remote.signal === undefined ? timeout : AbortSignal.any([timeout, remote.signal]);
  let response: Got;
  try {
    response = await httpGet(url, {
      headers: remote.token === undefined ? {} : { authorization: `Bearer ${remote.token}` },
      signal,
      ...(remote.ca !== undefined && { ca: remote.ca }),
    });
  } catch (error) {
    throw new PullError(`cannot reach ${remote.url}: ${reasonOf(error)}`, 0);
  }
  if (response.status !== 200) {
    const text = (await firstLineOf(response)).slice(0, 200);
    throw new PullError(`${remote.url} answered ${response.status}: ${text}`, 0);
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    for await (const chunk of response.body) {
      bytes += chunk.length;
      if (bytes > SNAPSHOT_LIMIT) {
        response.cancel();
        throw new PullError(`${remote.url} sent a capture over ${SNAPSHOT_LIMIT} bytes`, bytes);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof PullError) throw error;
    throw new PullError(
      `connection to ${remote.url} lost after ${bytes} bytes of a snapshot: ${reasonOf(error)}`,
      bytes,
      true,
    );
  }
  const whole = new Uint8Array(bytes);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.length;
  }
  return whole;
}

/** A capture pulled: checked complete, and read back to count its processes. */
export async function pullSnapshot(remote: Remote, detail: Detail): Promise<{
  readonly bytes: Uint8Array;
  readonly raw: RawSnapshot;
}> {
  const bytes = await pullCapture(remote, detail);
  try {
    return { bytes, raw: await captureToRaw(bytes, `the capture from ${remote.url}`) };
  } catch (error) {
    // Cut short or damaged: the bytes came, the snapshot did not.
    throw new PullError(reasonOf(error), bytes.length, true);
  }
}

/** The first line of an error answer's body (at most 4 KiB of it read). */
async function firstLineOf(response: Got): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  try {
    for await (const chunk of response.body) {
      text += decoder.decode(chunk, { stream: true });
      if (text.includes("\n") || text.length > 4096) break;
    }
  } catch {
    // What came is enough to say.
  }
  response.cancel();
  return text.split("\n")[0]!;
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}

/** A recording pulled from a device, as a front end asks for it. */
export interface RemoteRecordQuery {
  readonly remote: Remote;
  readonly output?: string;
  readonly force: boolean;
  readonly intervalMs: number;
  readonly count?: number;
  readonly durationMs?: number;
  readonly detail: Detail;
}

/** How a pulled recording went. */
export interface RemoteRecordResult {
  readonly snapshots: number;
  readonly stoppedBy: RecordingEnd["stoppedBy"];
  /** Scheduled slots without a snapshot. */
  readonly missed: number;
  /** Snapshots whose bytes began to come but not whole: discarded. */
  readonly partial: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** A running pulled recording. */
export interface RemoteRecording {
  /** The file; known once the first snapshot came (named by the device's host). */
  output(): string | undefined;
  readonly snapshots: AsyncGenerator<SnapshotEvent, RemoteRecordResult>;
  stop(): void;
}

/** The first wait after a failed pull; doubled after each further one, up to the cap. */
const BACKOFF_FIRST_MS = 500;
const BACKOFF_CAP_MS = 30_000;

/**
 * Pulls a device's snapshots on the schedule into a local recording, in
 * the format of one recorded there. The file is created with the first
 * snapshot pulled (its metadata names the device's host). A failed pull
 * waits out a backoff (0.5 s, doubling, at most 30 s): slots due meanwhile
 * are not pulled. Slots without a snapshot become the next snapshot's gap.
 *
 * @throws {SourceError} When the file cannot be written, or no snapshot
 *   could be pulled at all.
 */
export function startRemoteRecording(query: RemoteRecordQuery): RemoteRecording {
  const { diagnostics, warn } = diagnosticsSink();
  const schedule = new AbortController();
  let output = query.output;
  let writer: RecordingWriter | undefined;

  async function open(raw: RawSnapshot, startedAt: string): Promise<RecordingWriter> {
    output ??= defaultArchiveName({ hostname: raw.meta.hostname, takenAt: startedAt }, "recording");
    const path = output;
    return await createRecording(path, {
      format: "memsnap-recording",
      formatVersion: raw.meta.formatVersion >= PROVENANCE_VERSION ? PROVENANCE_VERSION : 1,
      producer: `memsnap ${VERSION}`,
      startedAt,
      hostname: raw.meta.hostname,
      intervalMs: query.intervalMs,
      detail: query.detail,
      command: null,
      tree: false,
      from: query.remote.url,
    }, { force: query.force });
  }

  async function* snapshots(): AsyncGenerator<SnapshotEvent, RemoteRecordResult> {
    let taken = 0;
    let missed = 0;
    let partial = 0;
    let stoppedBy: RecordingEnd["stoppedBy"] = "signal";
    // Slots since the last snapshot without one, and the last failure's reason.
    let gap: { missed: number; reason: string } | undefined;
    let failures = 0;
    let retryAt = 0;
    let started = 0;
    let previousSlot = -1;
    try {
      const schedule$ = ticks(query, { signal: schedule.signal });
      for (;;) {
        const next = await schedule$.next();
        if (next.done) {
          if (next.value !== "aborted") stoppedBy = next.value;
          break;
        }
        const tick = next.value;
        if (tick.index === 0) started = tick.scheduledAt;
        // Slots the schedule passed over (a pull that took longer than the interval).
        const skipped = tick.slot - previousSlot - 1;
        previousSlot = tick.slot;
        if (skipped > 0) {
          gap = { missed: (gap?.missed ?? 0) + skipped, reason: gap?.reason ?? "pull too slow" };
          missed += skipped;
        }
        if (Date.now() < retryAt) {
          gap = { missed: (gap?.missed ?? 0) + 1, reason: gap!.reason };
          missed++;
          continue;
        }
        let raw: RawSnapshot;
        try {
          raw =
            (await pullSnapshot({ ...query.remote, signal: schedule.signal }, query.detail)).raw;
        } catch (error) {
          if (!(error instanceof PullError)) throw error;
          // Stopped while pulling: the pull in flight is let go, not counted as missed.
          if (schedule.signal.aborted) break;
          const due = new Date(tick.scheduledAt).toISOString();
          if (error.began) {
            partial++;
            warn(`snapshot due at ${due} discarded, incomplete: ${error.message}`);
          }
          failures++;
          retryAt = Date.now() + Math.min(BACKOFF_CAP_MS, BACKOFF_FIRST_MS * 2 ** (failures - 1));
          gap = { missed: (gap?.missed ?? 0) + 1, reason: error.message };
          missed++;
          continue;
        }
        failures = 0;
        retryAt = 0;
        writer ??= await open(raw, new Date(tick.scheduledAt).toISOString());
        const summary = await summariseSource(rawSource(raw));
        const recordedGap: RecordedGap | undefined = gap;
        await writer.append(raw, {
          index: taken,
          scheduledAt: new Date(tick.scheduledAt).toISOString(),
          lateMs: tick.lateMs,
          summary,
          ...(recordedGap !== undefined && { gap: recordedGap }),
        });
        if (gap !== undefined) {
          warn(
            `${
              counted(gap.missed, "scheduled snapshot")
            } not pulled before snapshot ${taken}: ${gap.reason}`,
          );
        }
        gap = undefined;
        taken++;
        yield {
          index: taken - 1,
          lateMs: tick.lateMs,
          pss: summary.pss,
          bytes: writer.size(),
          elapsedMs: Date.now() - started,
        };
      }
      if (writer === undefined) {
        throw new SourceError(
          `Cannot record from ${query.remote.url}: no snapshot could be pulled${
            gap === undefined ? "" : ` (${gap.reason})`
          }`,
        );
      }
      if (gap !== undefined) {
        warn(
          `${counted(gap.missed, "scheduled snapshot")} not pulled at the end: ${gap.reason}`,
        );
      }
      await writer.close({
        endedAt: new Date().toISOString(),
        snapshots: taken,
        stoppedBy,
        exitStatus: null,
        missed,
      });
    } catch (error) {
      await writer?.abandon();
      throw error;
    }
    return { snapshots: taken, stoppedBy, missed, partial, diagnostics };
  }

  return {
    output: () => output,
    snapshots: snapshots(),
    stop: () => schedule.abort(),
  };
}
