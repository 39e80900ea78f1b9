/**
 * A proxy on loopback that cuts one connection mid-way: a connection lost
 * mid-snapshot, injected by the test (never any other address).
 */

import { connect, createServer, type Server, type Socket } from "node:net";

/** A proxy listening on loopback. */
export interface CuttingProxy {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Requests seen that start with the request line's prefix. */
  requests(): number;
  close(): Promise<void>;
}

/**
 * Proxies to `target` on 127.0.0.1; the `cut`-th request whose request line
 * starts with `request` (`GET /api/v1/capture`, `POST /api/v1/push`) has its
 * connection destroyed, both ends, after `after` bytes of the `side` named:
 * its answer (a pull), or its request (a push).
 */
export function cuttingProxy(
  target: number,
  options: {
    readonly request: string;
    readonly cut: number;
    readonly after: number;
    readonly side: "answer" | "request";
  },
): Promise<CuttingProxy> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target, "127.0.0.1");
    sockets.add(client).add(upstream);
    let budget = Infinity;
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    /** Passes a chunk on while the budget lasts; at its end, the rest is dropped and both ends cut. */
    const pass = (to: Socket, chunk: Uint8Array) => {
      if (chunk.length < budget) {
        budget -= chunk.length;
        to.write(chunk);
        return;
      }
      to.write(chunk.subarray(0, budget), end);
      budget = 0;
    };
    client.on("data", (chunk: Uint8Array) => {
      const text = new TextDecoder().decode(chunk);
      const method = options.request.split(" ")[0]!;
      let counted = false;
      for (
        let at = text.indexOf(options.request);
        at !== -1;
        at = text.indexOf(`${method} `, at + 1)
      ) {
        if (text.startsWith(options.request, at) && ++requests === options.cut) counted = true;
      }
      if (counted) budget = options.after;
      if (options.side === "request" && budget !== Infinity) pass(upstream, chunk);
      else upstream.write(chunk);
    });
    upstream.on("data", (chunk: Uint8Array) => {
      if (options.side === "answer") pass(client, chunk);
      else client.write(chunk);
    });
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests: () => requests,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
