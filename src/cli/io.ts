/**
 * The CLI's only contact with the terminal: output streams and the
 * terminal's width, injected so that tests capture them.
 *
 * @module
 */

import process from "node:process";
import { describeFsError, errorCode, SourceError } from "../errors/source_error.ts";

export interface Io {
  /** Writes report data to standard output. */
  readonly out: (text: string) => Promise<void>;
  /** Writes a diagnostic line (or lines) to standard error. */
  readonly err: (text: string) => void;
  /** The terminal's width in columns, when there is a terminal. */
  readonly terminalColumns: () => number | undefined;
  /** Writes binary data (an archive) to standard output. */
  readonly outBytes: (bytes: Uint8Array) => Promise<void>;
  /** Standard error is a terminal: progress lines go there. */
  readonly errIsTerminal: () => boolean;
}

/**
 * The process's own streams. A closed pipe (`memsnap | head`) ends quietly;
 * any other failure to write standard output (`> /dev/full`) fails the
 * command with one line, before it can say it succeeded.
 */
export function processIo(): Io {
  const failed = (error: Error | null | undefined): Error | undefined => {
    if (error === null || error === undefined) return undefined;
    if (errorCode(error) === "EPIPE") process.exit(0);
    return new SourceError(`Cannot write standard output: ${describeFsError(error)}`);
  };
  // The write's callback reports the error; a listener keeps the stream's
  // "error" event from ending the program with a stack trace.
  process.stdout.on("error", (error: Error) => void failed(error));
  // Deno throws a failed write at once; Node and bun give it to the callback.
  const write = (data: string | Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      try {
        process.stdout.write(data, (error) => {
          const problem = failed(error);
          if (problem === undefined) resolve();
          else reject(problem);
        });
      } catch (error) {
        reject(failed(error as Error) ?? error);
      }
    });
  return {
    out: write,
    err: (text) => {
      process.stderr.write(text);
    },
    terminalColumns: () =>
      columnsFromEnvironment(process.env.COLUMNS) ??
        // smem asks `stty size`; where output is piped, stderr may still be a tty.
        [process.stdout, process.stderr].find((s) => s.isTTY)?.columns,
    outBytes: write,
    errIsTerminal: () => process.stderr.isTTY === true,
  };
}

/**
 * $COLUMNS as ps reads it: a width the user set wins over the terminal's,
 * and is the only one when output is piped; anything but a whole number
 * from 1 to 10000 is ignored.
 */
export function columnsFromEnvironment(value: string | undefined): number | undefined {
  if (value === undefined || !/^[0-9]{1,5}$/.test(value)) return undefined;
  const columns = Number(value);
  return columns >= 1 && columns <= 10000 ? columns : undefined;
}

/** An Io that keeps what is written, for tests. */
export function memoryIo(terminalColumns?: number): Io & {
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly stdoutBytes: () => Uint8Array;
} {
  let stdout = "";
  let stderr = "";
  let bytes = new Uint8Array(0);
  return {
    out: (text) => {
      stdout += text;
      return Promise.resolve();
    },
    err: (text) => {
      stderr += text;
    },
    terminalColumns: () => terminalColumns,
    outBytes: (more) => {
      const joined = new Uint8Array(bytes.length + more.length);
      joined.set(bytes);
      joined.set(more, bytes.length);
      bytes = joined;
      return Promise.resolve();
    },
    errIsTerminal: () => false,
    stdoutBytes: () => bytes,
    stdout: () => stdout,
    stderr: () => stderr,
  };
}
