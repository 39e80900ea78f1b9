/**
 * Runs the capture script the way a small device would: Debian's busybox
 * sh, with a PATH holding nothing but busybox applets.
 */

import { Buffer } from "node:buffer";
import { gunzipSync } from "node:zlib";
import { extract } from "tar-stream";
import { memsnapProcess, type Outcome } from "./memsnap.ts";

const BUSYBOX = "/usr/bin/busybox";

/** The applets the script may use; getconf is not one (the script copes). */
const APPLETS = ["sh", "tar", "gzip", "cat", "mkdir", "chown", "rm", "mv", "ls", "date", "mktemp"];

/** Fails with a clear message where busybox is not installed. */
async function requireBusybox(): Promise<void> {
  try {
    await Deno.stat(BUSYBOX);
  } catch {
    throw new Error(
      `${BUSYBOX} is missing: the capture script's tests run Debian's busybox (sh scripts/ensure-test-tools.sh installs it)`,
    );
  }
}

/**
 * Makes a directory of symlinks to busybox, one per applet: a PATH with
 * nothing else in it.
 *
 * @param change.replace Applets to replace with a shell script of that body.
 * @param change.omit Applets to leave out.
 * @param change.add Applets to add.
 */
export async function busyboxPath(
  change: {
    replace?: Record<string, string>;
    omit?: readonly string[];
    /** Applets besides the script's own (push mode's sleep and nc). */
    add?: readonly string[];
  } = {},
): Promise<string> {
  await requireBusybox();
  const dir = await Deno.makeTempDir({ prefix: "memsnap-busybox-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
  await Deno.chmod(dir, 0o755); // Other users run the applets too.
  const replace = change.replace ?? {};
  for (const applet of [...APPLETS, ...(change.add ?? [])]) {
    if (change.omit?.includes(applet)) continue;
    if (applet in replace) {
      await Deno.writeTextFile(`${dir}/${applet}`, `#!${BUSYBOX} sh\n${replace[applet]}\n`, {
        mode: 0o755,
      });
    } else await Deno.symlink(BUSYBOX, `${dir}/${applet}`);
  }
  return dir;
}

/** The capture script as `memsnap capture-script ARGS` prints it (the program, run). */
export async function printedScript(args: readonly string[] = []): Promise<string> {
  const printed = await memsnapProcess(["capture-script", ...args]);
  if (printed.code !== 0) throw new Error(`memsnap capture-script failed: ${printed.stderr}`);
  return printed.stdout;
}

/** How to run the script: its arguments and environment. */
export interface ScriptRun {
  readonly args?: readonly string[];
  /** PATH: a busybox-only directory. */
  readonly path: string;
  /** The script's PROC, ETC and TMPDIR. */
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

/** Runs SCRIPT with busybox sh, in an environment holding only what RUN gives. */
export async function runScript(
  script: string,
  run: ScriptRun,
): Promise<Outcome & { readonly bytes: Uint8Array }> {
  const file = await Deno.makeTempFile({ prefix: "memsnap-capture-", suffix: ".sh" });
  await Deno.writeTextFile(file, script);
  try {
    const { code, stdout, stderr } = await new Deno.Command(`${run.path}/sh`, {
      args: [file, ...(run.args ?? [])],
      clearEnv: true,
      env: { PATH: run.path, ...run.env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      ...(run.cwd && { cwd: run.cwd }),
    }).output();
    const text = new TextDecoder();
    return { code, stdout: text.decode(stdout), stderr: text.decode(stderr), bytes: stdout };
  } finally {
    await Deno.remove(file);
  }
}

/** One tar member as the archive holds it. */
export interface Member {
  readonly name: string;
  readonly type: string;
  readonly uid: number;
  readonly gid: number;
  readonly uname: string;
  readonly data: Uint8Array;
}

/** The members of a tar.gz, in order (read with tar-stream, not with memsnap). */
export async function members(archive: Uint8Array): Promise<Member[]> {
  const reader = extract();
  reader.end(gunzipSync(archive));
  const found: Member[] = [];
  for await (const entry of reader) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of entry) chunks.push(chunk as Uint8Array);
    const { name, type, uid, gid, uname } = entry.header;
    found.push({
      name,
      type: type ?? "file",
      uid: uid ?? -1,
      gid: gid ?? -1,
      uname: uname ?? "",
      data: new Uint8Array(Buffer.concat(chunks)),
    });
  }
  return found;
}
