/** A self-signed certificate for 127.0.0.1, made with openssl for a test. */

import assert from "node:assert/strict";

/** Writes `DIR/cert.pem` and `DIR/key.pem`; returns their paths. */
export async function selfSignedCertificate(dir: string): Promise<{ cert: string; key: string }> {
  const cert = `${dir}/cert.pem`;
  const key = `${dir}/key.pem`;
  const made = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    stdout: "null",
    stderr: "null",
  }).output();
  assert.equal(made.code, 0, "openssl could not make a certificate");
  return { cert, key };
}
