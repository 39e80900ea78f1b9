/**
 * Registers one test per fixture file of fixtures/proc/KIND/ (see
 * fixtures/proc/README.md): NAME.txt or NAME.bin parses to NAME.json, and
 * every invalid/NAME.txt is refused with the message in invalid/NAME.error.txt.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ParseError } from "../../src/parse/parse_error.ts";

const ROOT = new URL("../../fixtures/proc/", import.meta.url);

/** /proc files that exist once per system, not once per process. */
const SYSTEM_FILES: ReadonlySet<string> = new Set(["meminfo", "version"]);

/** A parser under test, with the file name its errors must carry. */
export type Parse = (text: string, file: string) => unknown;

/** Which fixtures to test, with which parser. */
export interface FixtureSet {
  /** The unit under test, as test names show it: `parseSmaps()`. */
  readonly unit: string;
  /** The folder under fixtures/proc/, named after the /proc file: `smaps`. */
  readonly kind: string;
  readonly parse: Parse;
}

/**
 * The file name a fixture stands for: `NAME/KIND` for a per-process file
 * (`odd-mappings/smaps`), `KIND` for a system-wide one (`meminfo`).
 */
export function fileName(kind: string, name: string): string {
  return SYSTEM_FILES.has(kind) ? kind : `${name}/${kind}`;
}

/** Reads a fixture's input as the sources do: its bytes decoded as UTF-8. */
export async function readInput(relative: string): Promise<string> {
  return new TextDecoder().decode(await Deno.readFile(new URL(relative, ROOT)));
}

/** Registers a test per input in fixtures/proc/KIND/ (not invalid/). */
export function testFixtures({ unit, kind, parse }: FixtureSet): void {
  for (const input of inputs(`${kind}/`, /\.(txt|bin)$/)) {
    const name = input.replace(/\.(txt|bin)$/, "");
    Deno.test(`${unit} reads ${kind}/${input} as ${name}.json`, async () => {
      const text = await readInput(`${kind}/${input}`);
      const expected: unknown = JSON.parse(
        await Deno.readTextFile(new URL(`${kind}/${name}.json`, ROOT)),
      );
      assert.deepStrictEqual(parse(text, fileName(kind, name)), expected);
    });
  }
}

/** Registers a test per input in fixtures/proc/KIND/invalid/. */
export function testInvalidFixtures({ unit, kind, parse }: FixtureSet): void {
  for (const input of inputs(`${kind}/invalid/`, /(?<!\.error)\.txt$/)) {
    const name = input.replace(/\.txt$/, "");
    Deno.test(`${unit} refuses ${kind}/invalid/${input}`, async () => {
      const text = await readInput(`${kind}/invalid/${input}`);
      const message = (await Deno.readTextFile(
        new URL(`${kind}/invalid/${name}.error.txt`, ROOT),
      )).replace(/\n$/, "");
      assert.throws(() => parse(text, fileName(kind, name)), (error: unknown) => {
        assert.ok(error instanceof ParseError, `not a ParseError: ${error}`);
        assert.equal(error.message, message);
        return true;
      });
    });
  }
}

function inputs(folder: string, pattern: RegExp): string[] {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(new URL(folder, ROOT))) {
    if (entry.isFile && pattern.test(entry.name)) names.push(entry.name);
  }
  assert.ok(names.length > 0, `no fixtures in fixtures/proc/${folder}`);
  return names.sort();
}
