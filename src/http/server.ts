/**
 * serve's HTTP edge: node:http (or node:https with a certificate), GET and
 * HEAD only, bearer token compared in constant time, limits on header size,
 * request time and connections; every answer comes from `answer`, which
 * only reads what is held in memory.
 *
 * @module
 */

import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { MemsnapError } from "../errors/memsnap_error.ts";

/** What the edge answers with. */
export type Answerer = (
  path: string,
  query: URLSearchParams,
  accept: string | undefined,
) => Promise<
  { status: number; type: string; body: string; headers?: Readonly<Record<string, string>> }
>;

/** Where and how the edge listens. */
export interface EdgeOptions {
  readonly host: string;
  readonly port: number;
  /**
   * The token asked of every request: `Authorization: Bearer TOKEN`, or
   * `?token=TOKEN` in the URL (a browser opening the web UI's link, as
   * Jupyter's); undefined: none asked.
   */
  readonly token?: string;
  readonly tls?: { readonly cert: string; readonly key: string };
  /** The largest request head, bytes. */
  readonly maxHeaderBytes?: number;
  /** The longest a request may take to arrive, ms. */
  readonly requestTimeoutMs?: number;
  /** The most connections open at once. */
  readonly maxConnections?: number;
}

/** A listening edge. */
export interface Edge {
  /** The port bound (the one asked, or the one chosen for 0). */
  readonly port: number;
  close(): Promise<void>;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Starts listening; resolves once bound. */
export function listen(options: EdgeOptions, answer: Answerer): Promise<Edge> {
  const expected = options.token === undefined ? undefined : digest(options.token);
  const requestTimeout = options.requestTimeoutMs ?? 10_000;
  const serverOptions = {
    maxHeaderSize: options.maxHeaderBytes ?? 8192,
    requestTimeout,
    headersTimeout: requestTimeout,
    keepAliveTimeout: 5_000,
  };
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  };
  const server = options.tls
    ? https.createServer(
      { ...serverOptions, cert: options.tls.cert, key: options.tls.key },
      handler,
    )
    : http.createServer(serverOptions, handler);
  server.maxConnections = options.maxConnections ?? 64;
  // Every socket idle or slow beyond the request time is closed: a slow
  // client holds a connection, never the sampler (which does not wait on sockets).
  // A request must arrive whole within the request time of its connection
  // opening (or of the answer before, kept alive): enforced here, with a
  // timer per connection, as not every runtime's node:http enforces
  // headersTimeout (Deno's does not), and an idle timeout alone is reset by
  // each byte a slow client sends.
  // Over TLS a request's socket is not the connection's raw socket: each is
  // forgotten on its own close (a TLS socket's deadline, left pending, held
  // shutdown for the whole request time), and all are ended on close.
  const deadlines = new Map<Socket, ReturnType<typeof setTimeout>>();
  const arm = (socket: Socket) => {
    if (!deadlines.has(socket)) {
      socket.once("close", () => {
        clearTimeout(deadlines.get(socket));
        deadlines.delete(socket);
      });
    }
    clearTimeout(deadlines.get(socket));
    deadlines.set(socket, setTimeout(() => socket.destroy(), requestTimeout));
  };
  server.on("connection", arm);
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    clearTimeout(deadlines.get(socket));
    response.on("finish", () => {
      if (!socket.destroyed) arm(socket);
    });
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const send = (
      status: number,
      type: string,
      body: string,
      extra: Record<string, string> = {},
    ) => {
      response.writeHead(status, {
        "content-type": type,
        "content-length": Buffer.byteLength(body),
        "cache-control": "no-store",
        ...extra,
      });
      response.end(request.method === "HEAD" ? undefined : body);
    };
    if (request.method !== "GET" && request.method !== "HEAD") {
      request.resume();
      return send(405, "text/plain", "read-only: GET and HEAD only\n", { allow: "GET, HEAD" });
    }
    // A GET carries no body: one that says it does is refused unread.
    if (
      (request.headers["content-length"] ?? "0") !== "0" || request.headers["transfer-encoding"]
    ) {
      response.setHeader("connection", "close");
      return send(413, "text/plain", "a request body is not accepted\n");
    }
    const url = new URL(request.url ?? "/", "http://memsnap");
    if (
      expected !== undefined &&
      !authorized(request.headers.authorization, url.searchParams.get("token"), expected)
    ) {
      return send(401, "text/plain", "unauthorized\n", {
        "www-authenticate": 'Bearer realm="memsnap"',
      });
    }
    try {
      const answered = await answer(url.pathname, url.searchParams, request.headers.accept);
      send(answered.status, answered.type, answered.body, answered.headers);
    } catch (error) {
      // A bad view, column or filter: the CLI's message, as a 400.
      if (error instanceof MemsnapError) return send(400, "text/plain", `${error.message}\n`);
      throw error;
    }
  }

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : options.port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections?.();
            for (const [socket, deadline] of deadlines) {
              clearTimeout(deadline);
              socket.destroy();
            }
            deadlines.clear();
          }),
      });
    });
  });
}

/** `Bearer TOKEN` or `?token=TOKEN`, compared as fixed-length digests in constant time. */
function authorized(header: string | undefined, query: string | null, expected: Buffer): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? "")?.[1] ?? query;
  return given !== null && given !== "" && timingSafeEqual(digest(given), expected);
}
