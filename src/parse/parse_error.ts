import { InputError } from "../errors/memsnap_error.ts";

/**
 * Why text that ends inside a line is refused: the kernel ends every line
 * of smaps and meminfo with a newline, so the copy was cut short.
 */
export const CUT_SHORT = "cut short: the line has no newline at its end";

/** Raised by the parsers when /proc text is not what the kernel writes. */
export class ParseError extends InputError {
  override readonly name: string = "ParseError";

  /**
   * @param file The /proc-relative file, e.g. `1234/smaps`.
   * @param line 1-based line number, or 0 when the whole file is wrong.
   * @param detail What was wrong.
   */
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(
      line > 0
        ? `Cannot parse "${file}": line ${line}: ${detail}`
        : `Cannot parse "${file}": ${detail}`,
    );
  }
}
