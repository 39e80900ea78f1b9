/**
 * argv → the snapshot commands (capture, record, list), or a UsageError.
 * Pure: no I/O.
 *
 * @module
 */

import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { parseDuration } from "../units/duration.ts";
import type { Detail } from "../snapshot/snapshot.ts";
import { UsageError } from "./errors.ts";

/** `memsnap capture`. */
export interface CaptureRequest {
  /** The archive to write; `-` for standard output; undefined: the default name. */
  readonly output?: string;
  readonly detail: Detail;
  readonly force: boolean;
  /** Where to read /proc from (tests, copies); undefined: the live /proc. */
  readonly source?: string;
}

/** `memsnap record`. */
export interface RecordRequest {
  readonly output: string;
  readonly intervalMs: number;
  readonly count?: number;
  readonly durationMs?: number;
  readonly detail: Detail;
  /** Keep only the workload's process tree. */
  readonly tree: boolean;
  /** The workload, after `--`; null without one. */
  readonly command: readonly string[] | null;
  readonly force: boolean;
  readonly quiet: boolean;
  readonly source?: string;
}

/** The formats `memsnap list` writes. */
export const LIST_FORMATS = ["table", "json", "csv"] as const;
export type ListFormat = typeof LIST_FORMATS[number];

/** `memsnap list`. */
export interface ListRequest {
  readonly file: string;
  readonly format: ListFormat;
}

/** The snapshot commands, each with its request, or its help. */
export type SnapCommand =
  | { readonly kind: "capture"; readonly request: CaptureRequest }
  | { readonly kind: "record"; readonly request: RecordRequest }
  | { readonly kind: "list"; readonly request: ListRequest }
  | { readonly kind: "snap-help"; readonly command: SnapCommandName };

/** The names that start a snapshot command. */
export const SNAP_COMMANDS = ["capture", "record", "list"] as const;
export type SnapCommandName = typeof SNAP_COMMANDS[number];

/** Is argv[0] a snapshot command's name? */
export function isSnapCommand(name: string | undefined): name is SnapCommandName {
  return (SNAP_COMMANDS as readonly (string | undefined)[]).includes(name);
}

const COMMON = {
  help: { type: "boolean", short: "h" },
  output: { type: "string", short: "o" },
  detail: { type: "string" },
  force: { type: "boolean" },
  source: { type: "string", short: "S" },
} as const;

const RECORD = {
  ...COMMON,
  interval: { type: "string", short: "i" },
  count: { type: "string", short: "n" },
  duration: { type: "string", short: "d" },
  tree: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
} as const;

const LIST = { help: { type: "boolean", short: "h" }, format: { type: "string" } } as const;

/**
 * Parses `capture|record|list ARGS`.
 *
 * @throws {UsageError} For unknown options, bad values, missing operands.
 */
export function parseSnapCommand(name: SnapCommandName, args: readonly string[]): SnapCommand {
  switch (name) {
    case "capture": {
      const { values, positionals } = parse(name, args, COMMON);
      if (values.help) return { kind: "snap-help", command: name };
      noPositionals(name, positionals);
      return {
        kind: "capture",
        request: {
          ...(values.output !== undefined && { output: values.output }),
          detail: detail(values.detail ?? "full"),
          force: values.force ?? false,
          ...(values.source !== undefined && { source: values.source }),
        },
      };
    }
    case "record": {
      const dash = args.indexOf("--");
      const own = dash === -1 ? args : args.slice(0, dash);
      const command = dash === -1 ? null : args.slice(dash + 1);
      const { values, positionals } = parse(name, own, RECORD);
      if (values.help) return { kind: "snap-help", command: name };
      noPositionals(name, positionals);
      if (values.output === undefined || values.output === "-") {
        throw new UsageError(`record needs -o FILE (a recording is written to a file)`);
      }
      if (command !== null && command.length === 0) {
        throw new UsageError(`record: "--" must be followed by a command`);
      }
      if (values.tree && command === null) {
        throw new UsageError(`record --tree needs a workload: record --tree -o FILE -- COMMAND`);
      }
      const count = values.count === undefined ? undefined : positive("--count", values.count);
      const durationMs = values.duration === undefined
        ? undefined
        : duration("--duration", values.duration);
      return {
        kind: "record",
        request: {
          output: values.output,
          intervalMs: duration("--interval", values.interval ?? "1s"),
          ...(count !== undefined && { count }),
          ...(durationMs !== undefined && { durationMs }),
          detail: detail(values.detail ?? "rollup"),
          tree: values.tree ?? false,
          command,
          force: values.force ?? false,
          quiet: values.quiet ?? false,
          ...(values.source !== undefined && { source: values.source }),
        },
      };
    }
    case "list": {
      const { values, positionals } = parse(name, args, LIST);
      if (values.help) return { kind: "snap-help", command: name };
      if (positionals.length !== 1) {
        throw new UsageError(`list needs one FILE: memsnap list FILE [--format table|json|csv]`);
      }
      const format = values.format ?? "table";
      if (!(LIST_FORMATS as readonly string[]).includes(format)) {
        throw new UsageError(
          `Unknown format "${format}" for list: expected ${
            LIST_FORMATS.map((f) => `"${f}"`).join(", ")
          }`,
        );
      }
      return { kind: "list", request: { file: positionals[0]!, format: format as ListFormat } };
    }
  }
}

function parse<O extends ParseArgsOptionsConfig>(
  name: string,
  args: readonly string[],
  options: O,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    const option = /'([^']+)'/.exec(message)?.[1];
    throw new UsageError(
      option === undefined
        ? `${name}: ${message}`
        : /argument missing/.test(message)
        ? `${name}: option "${option.replace(/ <value>$/, "")}" needs a value`
        : /Unknown option/.test(message)
        ? `${name}: unknown option "${option}"`
        : `${name}: ${message}`,
    );
  }
}

function noPositionals(name: string, positionals: readonly string[]): void {
  if (positionals.length > 0) {
    throw new UsageError(`${name}: unexpected argument "${positionals[0]}"`);
  }
}

function detail(text: string): Detail {
  if (text === "full" || text === "rollup") return text;
  throw new UsageError(`Unknown detail "${text}": expected "full" or "rollup"`);
}

function duration(option: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new UsageError(
      `Invalid duration "${text}" for ${option}: expected a number and a unit, e.g. 500ms, 1s, 10m, 1h`,
    );
  }
  return ms;
}

function positive(option: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UsageError(`Invalid number "${text}" for ${option}: expected a positive integer`);
  }
  return Number(text);
}
