/**
 * The report's --help block that lists each view's columns, from the
 * registry.
 *
 * @module
 */

import { VIEWS } from "../../view/registry.ts";

/** Per view: its default columns, then the others. */
export function columnsHelp(): string {
  return `Columns (-c, -s), per view; defaults first, an unknown name lists all with
their descriptions:
${VIEWS.map(columnLine).join("\n")}`;
}

function columnLine(
  view: { id: string; columns: object; defaultColumns: readonly string[] },
): string {
  const others = Object.keys(view.columns).filter((id) => !view.defaultColumns.includes(id));
  const words = [...view.defaultColumns, "|", ...others];
  const lines: string[] = [];
  let line = `  ${view.id}:`.padEnd(16);
  for (const word of words) {
    if (line.length + word.length + 1 > 79) {
      lines.push(line);
      line = " ".repeat(16);
    }
    line += ` ${word}`;
  }
  return [...lines, line].join("\n");
}
