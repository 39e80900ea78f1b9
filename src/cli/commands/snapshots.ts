/**
 * The snapshot commands: `memsnap capture` (one snapshot to an archive),
 * `memsnap record` (snapshots on a schedule into a recording) and
 * `memsnap list` (an archive's snapshots).
 *
 * @module
 */

import type { Detail } from "../../archive/format.ts";
import { UsageError } from "../../errors/memsnap_error.ts";
import { FORMATS, render } from "../../render/formats.ts";
import { kbUnits } from "../../render/python_format.ts";
import { formatDuration } from "../../units/duration.ts";
import { counted } from "../../units/plural.ts";
import type { ParsedArgs } from "../argv.ts";
import type { Command } from "../command.ts";
import type { Io } from "../io.ts";
import { EXIT } from "../errors.ts";
import {
  FORMAT_OPTION,
  HELP_OPTION,
  MAX_FILE_OPTION,
  outputOption,
  REFRESH_OPTION,
  SAMPLING_OPTIONS,
  SOURCE_OPTION,
} from "../option.ts";
import { printDiagnostics } from "../output.ts";
import {
  costArg,
  durationArg,
  formatArg,
  maxFileArg,
  refreshArg,
  refuseGiven,
} from "../view_args.ts";

const DETAIL_OPTION = {
  long: "detail",
  value: "LEVEL",
  help:
    "full: every mapping (smaps), for all reports; rollup: per-process sums (smaps_rollup), a fraction of the size",
} as const;

const FROM_OPTION = {
  long: "from",
  value: "URL",
  help:
    "pull from a device's memsnap serve (http://HOST:PORT, https://...) instead of reading here (docs/remote.md)",
} as const;

const TOKEN_FILE_OPTION = {
  long: "token-file",
  value: "FILE",
  help: "with --from: send the device's token, FILE's first line (as serve --token-file)",
} as const;

/** Options of a pull only. */
const REMOTE_ONLY = ["token-file", "ca-file"];

const CA_FILE_OPTION = {
  long: "ca-file",
  value: "FILE",
  help:
    "with --from https://: trust the certificates in FILE (PEM: the device's own, or its CA) instead of the system's",
} as const;

const FORCE_OPTION = { long: "force", help: "replace FILE if it exists (else memsnap refuses)" };

export const captureCommand: Command = {
  name: "capture",
  summary: `one snapshot of this system into a compressed archive
(a tar.gz in smem's layout, plus memsnap's metadata; docs/FORMAT.md).`,
  usage: ["capture [-o FILE|-] [--detail full|rollup] [--pages] [--force]"],
  description:
    "The archive is written whole or not at all (to a temporary name, then moved into place).",
  groups: [{
    title: "Options",
    options: [
      outputOption(
        "the archive to write; - for standard output (default: memsnap-HOST-YYYYMMDDTHHMMSSZ.tar.gz, named on stderr)",
      ),
      { ...DETAIL_OPTION, help: `${DETAIL_OPTION.help} (default full)` },
      {
        long: "pages",
        help:
          "also store each process's page frames and their mapping counts, so that --exact reads the capture as the live system (root; about 0.05 MiB of archive per GiB resident; docs/exact.md)",
      },
      FORCE_OPTION,
      { ...SOURCE_OPTION, help: "read /proc from SOURCE (a copy, an archive) instead of /proc" },
      FROM_OPTION,
      TOKEN_FILE_OPTION,
      CA_FILE_OPTION,
      MAX_FILE_OPTION,
      ...SAMPLING_OPTIONS,
      HELP_OPTION,
    ],
  }],
  examples: [
    ["memsnap capture", "memsnap-myhost-20261125T193000Z.tar.gz"],
    [
      "memsnap capture --from http://board:10142 --token-file board.token",
      "a capture of the board, taken there by its memsnap serve",
    ],
    ["memsnap capture -o before.tar.gz --detail rollup"],
    [
      "sudo memsnap capture --pages -o app.tar.gz",
      "then anywhere: memsnap -S app.tar.gz -u --exact",
    ],
    ["memsnap capture --max-rss 16G", "a busy database host: its largest processes RSS-only"],
    ["ssh board memsnap capture -o - | memsnap -S - -u"],
    ["memsnap -S before.tar.gz -m -r | head", "report on it later, anywhere"],
  ],
  async run(args, io) {
    noPositionals(args);
    const output = args.value("output");
    const source = args.value("source");
    const from = args.value("from");
    if (from !== undefined) {
      if (args.flag("pages")) {
        throw new UsageError(`"--pages" reads this system's page frames: not with "--from"`);
      }
      return await captureFrom(args, io, from);
    }
    refuseGiven(args, REMOTE_ONLY, `to a pull: add "--from URL"`);
    const { startCapture } = await import("../../app/capture.ts");
    const { writeStreamed } = await import("../../sink/write_file.ts");
    const detail = detailArg(args, "full");
    const capture = await startCapture({
      detail,
      ...(source !== undefined && { source }),
      ...maxFileArg(args),
      ...costArg(args),
      ...(args.flag("pages") && { pages: true }),
    });
    const path = output === "-" ? null : output ?? capture.defaultName;
    const result = path === null
      ? await capture.write((chunk) => io.outBytes(chunk))
      : await writeStreamed(path, { force: args.flag("force") }, capture.write);
    printDiagnostics(result.diagnostics, io);
    const count = counted(result.processes, "process");
    const what = `${detail} detail${args.flag("pages") ? ", with pages" : ""}`;
    io.err(
      path === null
        ? `memsnap: captured ${count} (${what}) to standard output\n`
        : `memsnap: captured ${count} (${what}) into ${path} (${
          Math.ceil(result.bytes / 1024)
        } kB)\n`,
    );
    return EXIT.ok;
  },
};

export const recordCommand: Command = {
  name: "record",
  summary: `snapshots on a schedule into one recording file, while a
workload runs; every snapshot written so far survives a crash or kill -9.`,
  usage: ["record [-o FILE] [options] [-- COMMAND ARGS...]"],
  description: `Snapshots are due at start + k × interval; one that starts late is marked late
(memsnap list shows it), not shifted, and deadlines missed entirely are
skipped. Without --count, --duration or COMMAND, recording goes on until
Ctrl-C or SIGTERM, which finish the file cleanly. With -- COMMAND, memsnap
runs it in a process group of its own, records until it exits, stores its
exit status and exits with it; the first signal memsnap receives (SIGINT,
SIGTERM) is passed on to the whole group and recording ends when the
command exits; a second one kills the group (SIGKILL).`,
  groups: [{
    title: "Options",
    options: [
      outputOption(
        "the recording to write (default: memsnap-record-HOST-YYYYMMDDTHHMMSSZ.tar.gz, named on stderr)",
      ),
      {
        long: "interval",
        short: "i",
        value: "TIME",
        help: "time between snapshots: 500ms, 1s (default), 10m, 1h",
      },
      { long: "count", short: "n", value: "N", help: "stop after N snapshots" },
      {
        long: "duration",
        short: "d",
        value: "TIME",
        help: "stop after TIME (snapshots due within it: TIME / interval)",
      },
      { ...DETAIL_OPTION, help: `${DETAIL_OPTION.help} (default rollup)` },
      { long: "tree", help: "keep only COMMAND's process tree (and meminfo)" },
      {
        long: "include-self",
        help: "record memsnap's own process too (left out: its growth is no workload's)",
      },
      FORCE_OPTION,
      {
        long: "quiet",
        short: "q",
        help: "no progress line (shown only when stderr is a terminal)",
      },
      { ...SOURCE_OPTION, help: "read /proc from SOURCE instead of /proc" },
      FROM_OPTION,
      TOKEN_FILE_OPTION,
      CA_FILE_OPTION,
      MAX_FILE_OPTION,
      HELP_OPTION,
    ],
  }, {
    title: "Sampling cost (docs/sampling.md)",
    options: [
      ...SAMPLING_OPTIONS,
      REFRESH_OPTION,
    ],
  }],
  rest: true,
  examples: [
    ["memsnap record -o idle.tar.gz --count 60"],
    ["memsnap record -o build.tar.gz -i 500ms --tree -- make -j4"],
    ["memsnap list build.tar.gz"],
    [
      "memsnap record --from http://board:10142 --token-file board.token -o board.rec -i 1s -d 10m",
      "pull a device's snapshots; a lost connection is retried, its gap recorded",
    ],
    ["memsnap -S build.tar.gz@last -t -k", "the last snapshot"],
    ["memsnap -S build.tar.gz@+90s -u", "the one nearest 90 s after the first"],
  ],
  async run(args, io) {
    noPositionals(args);
    const output = args.value("output");
    if (output === "-" || output === "") {
      throw new UsageError(`Option "-o" needs a file: a recording is written to a file`);
    }
    const command = args.rest;
    if (command !== null && command.length === 0) {
      throw new UsageError(`"--" must be followed by a command`);
    }
    if (args.flag("tree") && command === null) {
      throw new UsageError(
        `Option "--tree" needs a workload: memsnap record --tree -o FILE -- COMMAND`,
      );
    }
    const count = args.value("count");
    const duration = args.value("duration");
    const source = args.value("source");
    const intervalMs = durationArg("--interval", args.value("interval") ?? "1s");
    const from = args.value("from");
    if (from !== undefined) {
      if (command !== null || source !== undefined) {
        throw new UsageError(
          `Option "--from" records a device's snapshots: not with -S or a COMMAND`,
        );
      }
      return await recordFrom(args, io, {
        from,
        ...(output !== undefined && { output }),
        intervalMs,
        ...(count !== undefined && { count: positiveArg("--count", count) }),
        ...(duration !== undefined && { durationMs: durationArg("--duration", duration) }),
      });
    }
    refuseGiven(args, REMOTE_ONLY, `to a pull: add "--from URL"`);
    const { startRecording, exitCodeOf } = await import("../../app/record.ts");
    const { onStopSignals } = await import("../signals.ts");
    const recording = await startRecording({
      ...(output !== undefined && { output }),
      force: args.flag("force"),
      includeSelf: args.flag("include-self"),
      intervalMs,
      ...(count !== undefined && { count: positiveArg("--count", count) }),
      ...(duration !== undefined && { durationMs: durationArg("--duration", duration) }),
      detail: detailArg(args, "rollup"),
      tree: args.flag("tree"),
      command,
      ...(source !== undefined && { source }),
      ...maxFileArg(args),
      cost: { ...costArg(args).cost, refreshMs: refreshArg(args, intervalMs) },
    });
    const progress = io.errIsTerminal() && !args.flag("quiet");
    // A name memsnap chose is said at once: the recording may run for hours.
    if (output === undefined) io.err(`memsnap: recording into ${recording.output}\n`);
    const release = onStopSignals((signal) => recording.stop(signal));
    try {
      let next = await recording.snapshots.next();
      for (; !next.done; next = await recording.snapshots.next()) {
        if (progress) io.err(progressLine(next.value));
      }
      if (progress) io.err("\n");
      const result = next.value;
      printDiagnostics(result.diagnostics, io);
      io.err(
        `memsnap: recorded ${counted(result.snapshots, "snapshot")} into ${recording.output}\n`,
      );
      return exitCodeOf(result.exitStatus);
    } finally {
      release();
    }
  },
};

/** A recording's progress on a terminal, written over itself: snapshots, time, size, PSS. */
function progressLine(
  { index, elapsedMs, bytes, pss }: {
    readonly index: number;
    readonly elapsedMs: number;
    readonly bytes: number;
    readonly pss: number;
  },
): string {
  return `\rmemsnap: ${counted(index + 1, "snapshot")}, ${formatDuration(elapsedMs)}, ${
    kbUnits(Math.ceil(bytes / 1024))
  }, PSS ${kbUnits(pss)}   `;
}

/** `--from URL`, `--token-file FILE` and `--ca-file FILE`, checked. */
async function remoteArg(args: ParsedArgs, from: string) {
  const { remoteUrl } = await import("../../app/remote.ts");
  const { readFile } = await import("node:fs/promises");
  const url = remoteUrl(from);
  const read = (what: string, file: string) =>
    readFile(file, "utf8").catch((error) => {
      throw new UsageError(`Cannot read the ${what} "${file}": ${(error as Error).message}`);
    });
  const caFile = args.value("ca-file");
  let ca: string | undefined;
  if (caFile !== undefined) {
    if (!url.startsWith("https:")) {
      throw new UsageError(`Option "--ca-file" applies to https:// URLs, not "${from}"`);
    }
    ca = await read("certificate file", caFile);
    if (!ca.includes("-----BEGIN CERTIFICATE-----")) {
      throw new UsageError(`The certificate file "${caFile}" holds no PEM certificate`);
    }
  }
  const tokenFile = args.value("token-file");
  let token: string | undefined;
  if (tokenFile !== undefined) {
    token = (await read("token file", tokenFile)).split("\n")[0]!.trim();
    if (token === "") throw new UsageError(`The token file "${tokenFile}" is empty`);
  }
  return { url, ...(token !== undefined && { token }), ...(ca !== undefined && { ca }) };
}

/** `memsnap capture --from URL`: the device's capture, written here. */
async function captureFrom(args: ParsedArgs, io: Io, from: string): Promise<number> {
  if (args.value("source") !== undefined) {
    throw new UsageError(`Option "--from" pulls a device's capture: not with -S`);
  }
  const remote = await remoteArg(args, from);
  const { pullSnapshot } = await import("../../app/remote.ts");
  const { defaultArchiveName } = await import("../../app/capture.ts");
  const { writeStreamed } = await import("../../sink/write_file.ts");
  const detail = detailArg(args, "full");
  const { bytes, raw } = await pullSnapshot(remote, detail);
  const output = args.value("output");
  const path = output === "-" ? null : output ?? defaultArchiveName(raw.meta);
  if (path === null) await io.outBytes(bytes);
  else await writeStreamed(path, { force: args.flag("force") }, (write) => write(bytes));
  const count = counted(raw.processes.length, "process");
  io.err(
    `memsnap: captured ${count} (${detail} detail) of ${
      raw.meta.hostname ?? "the device"
    } from ${remote.url} ${
      path === null ? "to standard output" : `into ${path} (${Math.ceil(bytes.length / 1024)} kB)`
    }\n`,
  );
  return EXIT.ok;
}

/** `memsnap record --from URL`: a device's snapshots pulled into a recording here. */
async function recordFrom(
  args: ParsedArgs,
  io: Io,
  query: {
    from: string;
    output?: string;
    intervalMs: number;
    count?: number;
    durationMs?: number;
  },
): Promise<number> {
  if (args.flag("tree") || args.flag("include-self")) {
    throw new UsageError(`Options "--tree" and "--include-self" do not apply to "--from"`);
  }
  const remote = await remoteArg(args, query.from);
  const { startRemoteRecording } = await import("../../app/remote.ts");
  const { onStopSignals } = await import("../signals.ts");
  const recording = startRemoteRecording({
    remote,
    ...(query.output !== undefined && { output: query.output }),
    force: args.flag("force"),
    intervalMs: query.intervalMs,
    ...(query.count !== undefined && { count: query.count }),
    ...(query.durationMs !== undefined && { durationMs: query.durationMs }),
    detail: detailArg(args, "rollup"),
  });
  const progress = io.errIsTerminal() && !args.flag("quiet");
  const release = onStopSignals(() => recording.stop());
  try {
    let next = await recording.snapshots.next();
    for (; !next.done; next = await recording.snapshots.next()) {
      if (next.value.index === 0 && query.output === undefined) {
        io.err(`memsnap: recording into ${recording.output()}\n`);
      }
      if (progress) io.err(progressLine(next.value));
    }
    if (progress) io.err("\n");
    const result = next.value;
    printDiagnostics(result.diagnostics, io);
    io.err(
      `memsnap: recorded ${
        counted(result.snapshots, "snapshot")
      } from ${remote.url} into ${recording.output()}${
        result.missed === 0
          ? ""
          : `; ${
            counted(result.missed, "scheduled snapshot")
          } not pulled (${result.partial} cut short, discarded)`
      }\n`,
    );
    return EXIT.ok;
  } finally {
    release();
  }
}

export const listCommand: Command = {
  name: "list",
  summary: `one line per snapshot of an archive or recording: index
(0-based, as FILE@N takes it), time, late, processes, total PSS and
MemAvailable (kB).`,
  usage: [`list FILE [--format ${FORMATS.join("|")}]`],
  description: "",
  groups: [{ title: "Options", options: [FORMAT_OPTION, HELP_OPTION] }],
  examples: [
    ["memsnap list build.tar.gz"],
    ["memsnap list build.tar.gz --format json | jq '.end.exitStatus'"],
    ["memsnap -S build.tar.gz@3 -u", "report on snapshot 3"],
  ],
  async run(args, io) {
    if (args.positionals.length !== 1) {
      throw new UsageError(`One FILE expected: memsnap list FILE [--format ${FORMATS.join("|")}]`);
    }
    const format = formatArg(args, FORMATS);
    const { listSnapshots } = await import("../../app/list.ts");
    const result = await listSnapshots(args.positionals[0]!);
    printDiagnostics(result.diagnostics, io);
    await io.out(
      await render("list", format, result, {
        header: true,
        totals: false,
        abbreviate: false,
        percent: false,
      }),
    );
    return EXIT.ok;
  },
};

function noPositionals(args: ParsedArgs): void {
  if (args.positionals.length > 0) {
    throw new UsageError(`Unexpected argument "${args.positionals[0]}"`);
  }
}

function detailArg(args: ParsedArgs, fallback: Detail): Detail {
  const text = args.value("detail") ?? fallback;
  if (text === "full" || text === "rollup") return text;
  throw new UsageError(`Unknown detail "${text}": expected "full" or "rollup"`);
}

function positiveArg(option: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(`Invalid number "${text}" for ${option}: expected a positive integer`);
  }
  return Number(text);
}
