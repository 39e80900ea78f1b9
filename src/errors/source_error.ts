import { InputError } from "./memsnap_error.ts";

/** A source that cannot be opened or read: missing, unreadable, corrupt. */
export class SourceError extends InputError {
  override readonly name: string = "SourceError";
}

/** An errno code from a node: fs error, if there is one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const { code } = error;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

/** Codes that mean "not there": gone, or never was. */
export const MISSING_CODES: ReadonlySet<string> = new Set([
  "ENOENT",
  "ESRCH",
  "ENOTDIR",
]);

/** Codes that mean "there, but not for you". */
export const DENIED_CODES: ReadonlySet<string> = new Set(["EACCES", "EPERM"]);

/** Describes an fs error for a one-line message: "no such file or directory". */
export function describeFsError(error: unknown): string {
  switch (errorCode(error)) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "not a directory";
    case "EISDIR":
      return "is a directory";
    case "ENAMETOOLONG":
      return "file name too long";
    case "ENOSPC":
      return "no space left on device";
    case "EDQUOT":
      return "disk quota exceeded";
    case "EROFS":
      return "read-only file system";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * A failed read or listing as the trouble memsnap expects of /proc (the file
 * is gone, or not for this user), or a SourceError for anything else.
 *
 * @param what Begins the error's message: `Cannot read "1/smaps" in live /proc`.
 * @throws {SourceError} When the error is neither missing nor denied.
 */
export function expectedFsFailure(
  error: unknown,
  what: string,
): { readonly status: "missing" } | { readonly status: "denied" } {
  const code = errorCode(error) ?? "";
  if (MISSING_CODES.has(code)) return { status: "missing" };
  if (DENIED_CODES.has(code)) return { status: "denied" };
  throw new SourceError(`${what}: ${describeFsError(error)}`);
}
