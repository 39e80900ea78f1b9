/**
 * One GET for a pull: fetch() against the system's certificate authorities,
 * or node:https with the certificates of a `--ca-file` (a device's own, as
 * `curl --cacert`): fetch takes no CA in both runtimes memsnap is built
 * with, node:https does.
 *
 * @module
 */

import { request } from "node:https";
import type { IncomingMessage } from "node:http";

/** An answer whose body is read as it comes. */
export interface Got {
  readonly status: number;
  readonly body: AsyncIterable<Uint8Array>;
  /** Stops reading the body (the connection is dropped). */
  cancel(): void;
}

/**
 * GETs `url`, resolving once the answer's head has come.
 *
 * @param options.ca PEM certificates to trust instead of the system's (https only).
 * @throws {Error} When the server cannot be reached, or the signal aborts first.
 */
export function httpGet(
  url: string,
  options: {
    readonly headers: Readonly<Record<string, string>>;
    readonly signal: AbortSignal;
    readonly ca?: string;
  },
): Promise<Got> {
  if (options.ca === undefined) {
    return fetch(url, { headers: { ...options.headers }, signal: options.signal }).then(
      (response) => ({
        status: response.status,
        body: response.body ?? (async function* () {})(),
        cancel: () => void response.body?.cancel().catch(() => {}),
      }),
    );
  }
  const { ca, signal } = options;
  return new Promise((resolve, reject) => {
    const sent = request(
      url,
      { headers: { ...options.headers }, ca },
      (answer: IncomingMessage) => {
        resolve({
          status: answer.statusCode ?? 0,
          body: answer,
          cancel: () => answer.destroy(),
        });
      },
    );
    // The deadline covers the whole pull, body included: the answer dies with the request.
    const abort = () => sent.destroy(new Error(`timed out (${String(signal.reason ?? "")})`));
    if (signal.aborted) abort();
    else signal.addEventListener("abort", abort, { once: true });
    sent.on("error", reject);
    sent.on("close", () => signal.removeEventListener("abort", abort));
    sent.end();
  });
}
