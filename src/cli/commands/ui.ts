/**
 * `memsnap ui [SOURCE...]`: the web UI (docs/ui.md) on a random loopback
 * port, behind a one-time token given in the printed link (as Jupyter's).
 *
 * @module
 */

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import process from "node:process";
import { UsageError } from "../../errors/memsnap_error.ts";
import type { ParsedArgs } from "../argv.ts";
import type { Command } from "../command.ts";
import type { Io } from "../io.ts";
import { HELP_OPTION, MAX_FILE_OPTION, SAMPLING_OPTIONS } from "../option.ts";
import { durationArg, maxFileArg, wholeArg } from "../view_args.ts";
import { DEFAULT_KEEP, liveCost } from "./serve.ts";

export const uiCommand: Command = {
  name: "ui",
  summary:
    "the web UI: drill down from MemTotal to a mapping, tables, a recording's timeline, diffs",
  usage: ["ui [SOURCE] [options]", "ui SOURCE_A SOURCE_B [options]"],
  description:
    "Serves memsnap's web UI on 127.0.0.1 (a random port), prints its link and opens a browser where there is one. The link carries a one-time token: any request without it (or with another) is refused. Without SOURCE it samples the live system every --interval; SOURCE is anything -S takes: a capture, a directory, a recording (its timeline, any snapshot, a diff of two), FILE@N; two sources open their diff. The page loads nothing from the network: everything it runs is inside memsnap.",
  groups: [{
    title: "Options",
    options: [
      { long: "no-open", help: "print the link only, open no browser" },
      { long: "port", value: "N", help: "listen on this loopback port (default: one chosen)" },
      {
        long: "interval",
        short: "i",
        value: "TIME",
        help: "live: time between samples (default 5s)",
      },
      ...SAMPLING_OPTIONS.map((option) =>
        option.long === "budget"
          ? {
            ...option,
            help: "live: walk page tables for at most TIME per sample (default 200ms)",
          }
          : option
      ),
      {
        long: "refresh",
        value: "TIME",
        help: "live: walk each process again at least every TIME (default 5 × interval)",
      },
      MAX_FILE_OPTION,
      HELP_OPTION,
    ],
  }],
  examples: [
    ["memsnap ui", "the live system, refreshed every 5 s"],
    ["memsnap ui capture.tar.gz", "a capture brought home"],
    ["memsnap ui run.rec", "a recording: its timeline; pick two moments to diff them"],
    ["memsnap ui before.tar.gz after.tar.gz", "the diff of two captures"],
    [
      "memsnap ui --no-open --port 8765",
      "on a server: forward the port (ssh -L 8765:127.0.0.1:8765)",
    ],
  ],
  run: runUi,
};

/** Opens the link in the desktop's browser, when there is a desktop; never fails. */
function openBrowser(url: string): boolean {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  try {
    const child = spawn("xdg-open", [url], { detached: true, stdio: "ignore" });
    child.on("error", () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}

async function runUi(args: ParsedArgs, io: Io): Promise<number> {
  const sources = args.positionals;
  if (sources.length > 2) {
    throw new UsageError(
      `memsnap ui takes one source, or two to diff, not ${sources.length}: "${sources[2]}"`,
    );
  }
  const port = wholeArg("--port", args.value("port") ?? "0", 0, 65535);
  const intervalMs = durationArg("--interval", args.value("interval") ?? "5s");
  const token = randomBytes(24).toString("base64url");

  const { startServing } = await import("../../app/serve.ts");
  const { startStored } = await import("../../app/stored_serving.ts");
  const { listen } = await import("../../http/server.ts");
  const { withUi } = await import("../../web/page.ts");
  const { onStopSignals } = await import("../signals.ts");
  const stop = new AbortController();
  const release = onStopSignals(() => stop.abort());
  try {
    const serving = sources.length === 0
      ? await startServing({
        intervalMs,
        topN: 10,
        keep: DEFAULT_KEEP,
        signal: stop.signal,
        cost: liveCost(args, intervalMs),
        ...maxFileArg(args),
      })
      : await startStored({ sources, ...maxFileArg(args) });
    await serving.ready;
    // Stopped while the sources were read: nothing to serve.
    if (stop.signal.aborted) return 0;
    const edge = await listen(
      { host: "127.0.0.1", port, token },
      withUi((path, query, accept) => serving.answer(path, query, accept)),
    );
    const url = `http://127.0.0.1:${edge.port}/?token=${token}`;
    await io.out(`${url}\n`);
    const opened = !args.flag("no-open") && openBrowser(url);
    io.err(
      `memsnap ui: ${opened ? "opened" : "open"} ${url} ${
        opened ? "in the browser" : "in a browser"
      } (Ctrl-C stops)\n`,
    );
    if (sources.length === 0) await serving.done;
    else if (!stop.signal.aborted) {
      await new Promise<void>((resolve) => stop.signal.addEventListener("abort", () => resolve()));
    }
    await edge.close();
    return 0;
  } finally {
    release();
  }
}
