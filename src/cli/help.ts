/**
 * --help, generated from a command's declaration: summary, usage,
 * description, options by group, notes, examples.
 *
 * @module
 */

import { type Command, invocation } from "./command.ts";
import type { OptionSpec } from "./option.ts";

/** Where help's options column ends and their help begins. */
const OPTION_WIDTH = 30;
/** Where an example's comment begins. */
const EXAMPLE_WIDTH = 34;

/**
 * The help text of a command.
 *
 * @param more.commands A section after the description (memsnap's list of commands).
 */
export function helpText(command: Command, more: { readonly commands?: string } = {}): string {
  const name = invocation(command);
  const usage = command.usage.map((line, i) => `${i === 0 ? "Usage: " : "       "}memsnap ${line}`);
  const groups = command.groups.map((group) =>
    `${group.title}:\n${group.options.map(optionLine).join("\n")}`
  );
  const examples = command.examples.map(([line, comment]) =>
    comment === undefined ? `  ${line}` : `  ${line.padEnd(EXAMPLE_WIDTH - 3)} ${comment}`
  );
  return [
    `${name}: ${command.summary}`,
    usage.join("\n"),
    command.description,
    ...(more.commands === undefined ? [] : [more.commands]),
    ...groups,
    ...(command.notes === undefined ? [] : [command.notes]),
    `Examples:\n${examples.join("\n")}`,
    "Documentation: README.md and docs/ in memsnap's repository.",
  ].filter((part) => part !== "").join("\n\n") + "\n";
}

/** `  -c, --columns COLUMNS      columns to show`, wrapped under its column. */
function optionLine(option: OptionSpec): string {
  const flags = `${option.short === undefined ? "    " : `-${option.short}, `}--${option.long}${
    option.value === undefined
      ? ""
      : option.optionalValue
      ? `[=${option.value}]`
      : ` ${option.value}`
  }`;
  const lines = wrap(option.help, 79 - OPTION_WIDTH - 1);
  const first = `  ${flags}`;
  const pad = " ".repeat(OPTION_WIDTH + 1);
  return [
    first.length > OPTION_WIDTH
      ? `${first}\n${pad}${lines[0]}`
      : `${first.padEnd(OPTION_WIDTH)} ${lines[0]}`,
    ...lines.slice(1).map((line) => pad + line),
  ].join("\n");
}

/** Words into lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return [...lines, line];
}
