/**
 * How much of an archive or a copy memsnap reads, in a module of its own:
 * the sources that read no archive (live /proc, a mirror) need the limits
 * without the tar reader and its dependencies loaded.
 *
 * @module
 */

/** The largest member memsnap reads (uncompressed). */
export const MEMBER_LIMIT = 64 * 2 ** 20;
/** The option that raises MEMBER_LIMIT (and a mirror's file cap), for messages. */
export const MEMBER_LIMIT_OPTION = "--max-file-size";
/** The largest snapshot memsnap reads (uncompressed, all its members). */
export const SNAPSHOT_LIMIT = 1024 * 2 ** 20;

/** Formats a byte count for messages: "64 MiB", "40 kB". */
export function mib(bytes: number): string {
  return bytes < 2 ** 20 ? `${Math.round(bytes / 1024)} kB` : `${Math.round(bytes / 2 ** 20)} MiB`;
}
