/**
 * `memsnap serve`: a read-only HTTP server, a Prometheus exporter and a JSON
 * API over samples taken in the background (docs/serve.md).
 *
 * @module
 */

import { readFile, stat } from "node:fs/promises";
import { parseSize } from "../../units/size.ts";
import { UsageError } from "../../errors/memsnap_error.ts";
import type { ParsedArgs } from "../argv.ts";
import type { Command } from "../command.ts";
import type { Io } from "../io.ts";
import { HELP_OPTION, MAX_FILE_OPTION, SAMPLING_OPTIONS, SOURCE_OPTION } from "../option.ts";
import type { CostLimits } from "../../snapshot/walk_plan.ts";
import { costArg, durationArg, maxFileArg, wholeArg } from "../view_args.ts";

/**
 * The default port: Prometheus's list of default port allocations has
 * 9100-9999 taken in full; this one lies beyond it (docs/serve.md).
 */
export const DEFAULT_PORT = 10142;

/** Recent samples held besides the first: a held sample of 1000 processes is about 10 MiB. */
export const DEFAULT_KEEP = 4;

export const serveCommand: Command = {
  name: "serve",
  summary: "a read-only HTTP server: Prometheus metrics and a JSON API, from background samples",
  usage: ["serve [--listen ADDR:PORT] [--interval TIME] [options]"],
  description:
    `Samples the live system (or -S SOURCE) every --interval with the cost-aware collector and answers every request from the latest sample: a scrape never reads /proc. Endpoints: /metrics (Prometheus text 0.0.4, OpenMetrics 1.0 when asked), /api/v1/report?view=&columns=&sort=&reverse=&limit=&processfilter=&userfilter=&mapfilter= (the very JSON of --format json), &sample=N (a held sample; the latest by default), /api/v1/diff?from=N&to=M (two held samples, the first against the latest by default, as memsnap diff --format json), /api/v1/samples (those held: the first and the last --keep), /api/v1/capture?detail= (one snapshot read now, the tar.gz memsnap capture writes: what capture --from pulls), /api/v1/stream?interval=&count=&detail= (snapshots in the recording format as they are taken), /healthz, and the web UI at / (docs/ui.md); with --receive DIR, POST /api/v1/push (docs/remote.md). Listens on 127.0.0.1:${DEFAULT_PORT} by default; another address needs --token-file or --no-auth.`,
  groups: [{
    title: "Listening",
    options: [
      {
        long: "listen",
        value: "ADDR:PORT",
        help: `address and port (default 127.0.0.1:${DEFAULT_PORT}); [::1]:PORT for IPv6`,
      },
      {
        long: "token-file",
        value: "FILE",
        help: "require `Authorization: Bearer TOKEN`, TOKEN the file's first line",
      },
      { long: "no-auth", help: "listen on a non-loopback address without a token" },
      {
        long: "tls-cert",
        value: "FILE",
        help: "serve HTTPS with this PEM certificate (with --tls-key)",
      },
      { long: "tls-key", value: "FILE", help: "the certificate's PEM private key" },
      { long: "max-connections", value: "N", help: "connections open at once (default 64)" },
      {
        long: "receive",
        value: "DIR",
        help:
          "accept snapshots pushed by devices (POST /api/v1/push, needs --token-file): each host's appended to DIR/HOST.rec (docs/remote.md)",
      },
      {
        long: "receive-max",
        value: "SIZE",
        help: "the largest snapshot accepted by --receive, compressed (default 64M)",
      },
      {
        long: "request-timeout",
        value: "TIME",
        help: "the longest a request may take to arrive (default 10s)",
      },
    ],
  }, {
    title: "Sampling",
    options: [
      { long: "interval", short: "i", value: "TIME", help: "time between samples (default 15s)" },
      {
        long: "top",
        value: "N",
        help:
          "processes (and commands) with series of their own in /metrics; the rest as one `other` series (default 10)",
      },
      {
        long: "keep",
        value: "N",
        help:
          `recent samples held for /api/v1/report?sample= and /api/v1/diff?from=&to=, besides the first (default ${DEFAULT_KEEP})`,
      },
      ...SAMPLING_OPTIONS.map((option) =>
        option.long === "budget"
          ? { ...option, help: "walk page tables for at most TIME per sample (default 200ms)" }
          : option
      ),
      {
        long: "refresh",
        value: "TIME",
        help: "walk each process again at least every TIME (default 5 × interval; 0: every time)",
      },
      SOURCE_OPTION,
      MAX_FILE_OPTION,
      HELP_OPTION,
    ],
  }],
  examples: [
    ["memsnap serve", `metrics on http://127.0.0.1:${DEFAULT_PORT}/metrics, a sample every 15s`],
    [
      "memsnap serve --listen 0.0.0.0:10142 --token-file /etc/memsnap/token",
      "for a fleet's Prometheus",
    ],
    ["memsnap serve --listen 0.0.0.0:10142 --token-file T --tls-cert c.pem --tls-key k.pem"],
    [
      "memsnap serve --listen 0.0.0.0:10142 --token-file T --receive /srv/memsnap/inbox",
      "a collector for capture.sh --to",
    ],
    ["curl -s 'localhost:10142/api/v1/report?view=users&sort=pss&reverse=1'"],
    [
      "curl -s 'localhost:10142/api/v1/diff?view=users&from=0&to=12'",
      "sample 0 against sample 12 (see /api/v1/samples)",
    ],
    [
      "memsnap serve -S capture.tar.gz --listen 127.0.0.1:0",
      "serve a capture (port chosen, printed)",
    ],
  ],
  run: runServe,
};

/**
 * What sampling the live system may cost a server: a bounded walk each
 * sample (200 ms unless --budget), each process rewalked every 5 intervals
 * (unless --refresh).
 */
export function liveCost(args: ParsedArgs, intervalMs: number): CostLimits {
  const given = costArg(args).cost;
  const refresh = args.value("refresh");
  return {
    budgetMs: 200,
    ...given,
    refreshMs: refresh === undefined
      ? 5 * intervalMs
      : refresh.trim() === "0"
      ? 0
      : durationArg("--refresh", refresh),
  };
}

/** ADDR:PORT, [IPV6]:PORT. */
export function listenArg(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = match === null ? NaN : Number(match[3]);
  if (match === null || port > 65535) {
    throw new UsageError(
      `Option "--listen" takes ADDR:PORT (e.g. 127.0.0.1:${DEFAULT_PORT}), not "${text}"`,
    );
  }
  return { host: match[1] ?? match[2]!, port };
}

/** Loopback: reachable from this host only. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

async function runServe(args: ParsedArgs, io: Io): Promise<number> {
  if (args.positionals.length > 0) {
    throw new UsageError(`Unexpected argument "${args.positionals[0]}"`);
  }
  const { host, port } = listenArg(args.value("listen") ?? `127.0.0.1:${DEFAULT_PORT}`);
  const tokenFile = args.value("token-file");
  if (!isLoopback(host) && tokenFile === undefined && !args.flag("no-auth")) {
    throw new UsageError(
      `Listening on ${host}, beyond loopback, needs "--token-file FILE" (or "--no-auth" to serve anyone who can reach it)`,
    );
  }
  if (tokenFile !== undefined && args.flag("no-auth")) {
    throw new UsageError(
      `Options "--token-file" and "--no-auth" contradict each other: choose one`,
    );
  }
  const cert = args.value("tls-cert");
  const key = args.value("tls-key");
  if ((cert === undefined) !== (key === undefined)) {
    throw new UsageError(`Options "--tls-cert" and "--tls-key" go together`);
  }
  const intervalMs = durationArg("--interval", args.value("interval") ?? "15s");
  const topN = wholeArg("--top", args.value("top") ?? "10", 0, 10_000);
  const keep = wholeArg("--keep", args.value("keep") ?? String(DEFAULT_KEEP), 1, 1_000);
  const maxConnections = wholeArg(
    "--max-connections",
    args.value("max-connections") ?? "64",
    1,
    100_000,
  );
  const receiveDir = args.value("receive");
  if (receiveDir !== undefined && tokenFile === undefined) {
    throw new UsageError(
      `Option "--receive" needs "--token-file FILE": pushes are accepted only with the token`,
    );
  }
  const receiveMaxText = args.value("receive-max");
  const receiveMax = receiveMaxText === undefined ? 64 * 2 ** 20 : parseSize(receiveMaxText) * 1024;
  if (receiveDir !== undefined) {
    const info = await stat(receiveDir).catch(() => undefined);
    if (info === undefined || !info.isDirectory()) {
      throw new UsageError(`Option "--receive": "${receiveDir}" is not a directory`);
    }
  }
  const requestTimeoutMs = durationArg("--request-timeout", args.value("request-timeout") ?? "10s");
  const cost = args.given("source") ? undefined : liveCost(args, intervalMs);
  const read = async (what: string, file: string) => {
    try {
      return await readFile(file, "utf8");
    } catch (error) {
      throw new UsageError(`Cannot read ${what} "${file}": ${(error as Error).message}`);
    }
  };
  const token = tokenFile === undefined
    ? undefined
    : (await read("the token file", tokenFile)).split("\n")[0]!.trim();
  if (token !== undefined && token.length < 16) {
    throw new UsageError(`The token in "${tokenFile}" is shorter than 16 characters`);
  }
  const tls = cert !== undefined
    ? { cert: await read("the certificate", cert), key: await read("the key", key!) }
    : undefined;

  const { startServing } = await import("../../app/serve.ts");
  const { listen } = await import("../../http/server.ts");
  const { withUi } = await import("../../web/page.ts");
  const { onStopSignals } = await import("../signals.ts");
  const stop = new AbortController();
  const release = onStopSignals(() => stop.abort());
  try {
    const source = args.value("source");
    const serving = await startServing({
      intervalMs,
      topN,
      keep,
      signal: stop.signal,
      ...(source !== undefined && { source }),
      ...(cost !== undefined && { cost }),
      ...maxFileArg(args),
    });
    await serving.ready;
    const edge = await listen({
      host,
      port,
      maxConnections,
      requestTimeoutMs,
      ...(token !== undefined && { token }),
      ...(tls !== undefined && { tls }),
      ...(receiveDir !== undefined && {
        receive: {
          path: "/api/v1/push",
          maxBytes: receiveMax,
          accept: (await import("../../app/receive.ts")).receiver(receiveDir).accept,
        },
      }),
    }, withUi((path, query, accept) => serving.answer(path, query, accept)));
    const shown = host.includes(":") ? `[${host}]` : host;
    io.err(`memsnap serve: listening on ${tls ? "https" : "http"}://${shown}:${edge.port}/\n`);
    await serving.done;
    await edge.close();
    io.err("memsnap serve: stopped\n");
    return 0;
  } finally {
    release();
  }
}
