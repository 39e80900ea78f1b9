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

/** A body written as it is made (a capture): backpressure is the socket's. */
export interface Streamed {
  readonly status: number;
  readonly type: string;
  /** Suggested file name (content-disposition). */
  readonly name?: string;
  /** Writes the body; a write fails once the client has gone. */
  readonly stream: (write: (chunk: Uint8Array) => Promise<void>) => Promise<unknown>;
}

/** What the edge answers with. */
export type Answerer = (
  path: string,
  query: URLSearchParams,
  accept: string | undefined,
) => Promise<
  | { status: number; type: string; body: string; headers?: Readonly<Record<string, string>> }
  | Streamed
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
  /**
   * The one place a body is accepted (serve --receive): a POST to `path`,
   * with the token (required), of at most `maxBytes`, read whole before
   * `accept` sees it.
   */
  readonly receive?: {
    readonly path: string;
    readonly maxBytes: number;
    readonly accept: (body: Uint8Array) => Promise<{ status: number; type: string; body: string }>;
  };
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
    // A body (a push) must arrive whole within the request time too: its
    // deadline runs on until it has (received()).
    if (request.method !== "POST") clearTimeout(deadlines.get(socket));
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
    const receive = options.receive;
    if (
      receive !== undefined && request.method === "POST" &&
      new URL(request.url ?? "/", "http://memsnap").pathname === receive.path
    ) {
      const arrived = () => clearTimeout(deadlines.get(request.socket));
      return await received(request, response, { ...receive, expected, arrived }, send);
    }
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
      if ("stream" in answered) return await streamed(request, response, answered);
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

/**
 * A pushed body: refused unread without the token or when it says it is too
 * large (the connection then closed, so that the rest is never read); read
 * to at most `maxBytes` (beyond, 413 and the connection closed), within the
 * connection's request time (beyond, the connection is destroyed); only a
 * body that arrived whole is accepted.
 */
async function received(
  request: IncomingMessage,
  response: ServerResponse,
  receive: NonNullable<EdgeOptions["receive"]> & {
    readonly expected: Buffer | undefined;
    /** The body has arrived: the connection's deadline is lifted. */
    readonly arrived: () => void;
  },
  send: (status: number, type: string, body: string, extra?: Record<string, string>) => void,
): Promise<void> {
  const { expected } = receive;
  const refuse = (status: number, text: string, extra: Record<string, string> = {}) => {
    response.setHeader("connection", "close");
    send(status, "text/plain", `${text}\n`, extra);
    // Nothing more of the body is read.
    response.once("finish", () => request.destroy());
  };
  if (expected === undefined || !authorized(request.headers.authorization, null, expected)) {
    return refuse(401, "unauthorized", { "www-authenticate": 'Bearer realm="memsnap"' });
  }
  const declared = Number(request.headers["content-length"] ?? "NaN");
  if (declared > receive.maxBytes) {
    return refuse(413, `a snapshot of at most ${receive.maxBytes} bytes is accepted`);
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of request) {
    bytes += (chunk as Uint8Array).length;
    if (bytes > receive.maxBytes) {
      return refuse(413, `a snapshot of at most ${receive.maxBytes} bytes is accepted`);
    }
    chunks.push(chunk as Uint8Array);
  }
  // Cut short (the deadline, the client gone): nothing is accepted of it.
  if (!request.complete) return void request.destroy();
  receive.arrived();
  const answered = await receive.accept(Buffer.concat(chunks));
  send(answered.status, answered.type, answered.body);
}

/**
 * Writes a streamed body, chunked. A failure half-way destroys the
 * connection: the client sees a body cut short (never a complete-looking one).
 */
async function streamed(
  request: IncomingMessage,
  response: ServerResponse,
  answered: Streamed,
): Promise<void> {
  response.writeHead(answered.status, {
    "content-type": answered.type,
    "cache-control": "no-store",
    ...(answered.name !== undefined &&
      { "content-disposition": `attachment; filename="${answered.name}"` }),
  });
  if (request.method === "HEAD") return void response.end();
  let gone = false;
  response.once("close", () => gone = true);
  try {
    await answered.stream(async (chunk) => {
      if (gone) throw new Error("the client has gone");
      if (!response.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            response.off("drain", done);
            response.off("close", done);
            resolve();
          };
          response.on("drain", done);
          response.on("close", done);
        });
      }
    });
    response.end();
  } catch {
    response.destroy();
  }
}

/** `Bearer TOKEN` or `?token=TOKEN`, compared as fixed-length digests in constant time. */
function authorized(header: string | undefined, query: string | null, expected: Buffer): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? "")?.[1] ?? query;
  return given !== null && given !== "" && timingSafeEqual(digest(given), expected);
}
