/**
 * The capture script: a POSIX sh program that writes one single-snapshot
 * archive (docs/capture-script.md) on a device with only sh, tar and gzip.
 * Kept as a shell file, imported as text, so that it reads as what it is
 * and ships inside a compiled binary.
 *
 * @module
 */

import type { Detail } from "../snapshot/snapshot.ts";
import template from "./capture.sh" with { type: "text" };

/** What the printed script is made for. */
export interface CaptureScriptOptions {
  /** The detail it captures unless told otherwise (its -d option). */
  readonly detail: Detail;
  /** memsnap's version, recorded as the archive's producer. */
  readonly version: string;
}

/** The capture script's text, ready to save and run with `sh`. */
export function captureScript(options: CaptureScriptOptions): string {
  return template.replaceAll("@VERSION@", options.version).replaceAll(
    "@DETAIL@",
    options.detail,
  );
}
