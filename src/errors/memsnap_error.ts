/**
 * memsnap's one error model: every error a user can cause or meet is a
 * MemsnapError whose kind says what went wrong, and so how a front end
 * answers it (the CLI's exit code, the server's status).
 *
 * @module
 */

/** Exit codes: the design card's. */
export const EXIT = { ok: 0, failure: 1, usage: 2, threshold: 3 } as const;

/**
 * What kind of trouble: a request that cannot run as asked (`usage`), data
 * or a file that cannot be read or written (`input`).
 */
export type ErrorKind = "usage" | "input";

/** The exit code of each kind. */
export const EXIT_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  usage: EXIT.usage,
  input: EXIT.failure,
};

/** An error with a kind; its message is one line in memsnap's style. */
export class MemsnapError extends Error {
  override readonly name: string = "MemsnapError";

  /**
   * @param kind What kind of trouble (see ErrorKind).
   * @param details Lines shown after the message (e.g. the known columns).
   */
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

/**
 * A request memsnap cannot run as asked: an unknown column, option or
 * view, a bad value or regular expression. The CLI exits 2; a server
 * answers 400.
 */
export class UsageError extends MemsnapError {
  override readonly name: string = "UsageError";

  constructor(message: string, details: readonly string[] = []) {
    super("usage", message, details);
  }
}

/** Data memsnap cannot use, or a file it cannot read or write: exit 1. */
export class InputError extends MemsnapError {
  override readonly name: string = "InputError";

  constructor(message: string, details: readonly string[] = []) {
    super("input", message, details);
  }
}
