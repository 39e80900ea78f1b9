/** Exit codes: the design card's. */
export const EXIT = { ok: 0, failure: 1, usage: 2, threshold: 3 } as const;

/** A command line memsnap cannot run: exits 2 with the message. */
export class UsageError extends Error {
  override readonly name = "UsageError";

  /**
   * @param details Lines printed after the message (e.g. known columns).
   * @param command The command whose --help explains it (`diff`); none: memsnap's.
   */
  constructor(
    message: string,
    readonly details: readonly string[] = [],
    readonly command?: string,
  ) {
    super(message);
  }
}
