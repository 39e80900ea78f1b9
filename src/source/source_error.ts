/** A source that cannot be opened or read: missing, unreadable, corrupt. */
export class SourceError extends Error {
  override readonly name = "SourceError";
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
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
