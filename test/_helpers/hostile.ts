/**
 * Hostile names for tests: a live process named by the test (bash's
 * `exec -a`), and a capture whose command lines, user name, host and time
 * hold what a terminal, a spreadsheet or an XML parser would act on.
 *
 * @module
 */

import type { Header } from "tar-stream";
import { archiveMembers, makeArchive } from "./archive.ts";
import { ROOT } from "./memsnap.ts";

/**
 * ESC ] 0 ; … BEL retitles a terminal, ESC [ 2 J clears it, CR returns to
 * the line's start, U+009B is the C1 CSI, U+202E turns the text around,
 * DEL; the terminal escapes memsnap must print visibly.
 */
export const CONTROLS = "\x1b]0;pwned\x07\x1b[2J\rX\u009bY\u202eZ\x7f";

/** How memsnap shows CONTROLS on a terminal. */
export const CONTROLS_SHOWN = "\\x1b]0;pwned\\x07\\x1b[2J\\rX\\x9bY\\u202eZ\\x7f";

/** Any character a terminal acts on, but the line feed that ends memsnap's lines. */
export const RAW_CONTROL = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** A process that sleeps under the command line `name 600`; killed when disposed of. */
export interface NamedProcess extends AsyncDisposable {
  readonly pid: number;
}

/** Starts a process whose argv[0] is `name`, and waits until /proc shows it. */
export async function namedProcess(name: string, program = "sleep"): Promise<NamedProcess> {
  const child = new Deno.Command("bash", {
    args: ["-c", 'exec -a "$0" "$1" 600', name, program],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const expected = new TextEncoder().encode(name + "\0");
  for (let tries = 0; tries < 500; tries++) {
    const cmdline = await Deno.readFile(`/proc/${child.pid}/cmdline`).catch(() => undefined);
    if (cmdline && expected.every((byte, i) => cmdline[i] === byte)) {
      return {
        pid: child.pid,
        async [Symbol.asyncDispose]() {
          child.kill("SIGKILL");
          await child.status;
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  child.kill("SIGKILL");
  await child.status;
  throw new Error(`Process ${child.pid} never showed the name ${JSON.stringify(name)}`);
}

/** What the hostile capture changes in fixtures/archives/v1-capture.tar.gz. */
export interface Hostility {
  /** Command lines by pid (arguments joined by NUL, as /proc has them). */
  readonly cmdlines: Readonly<Record<number, string>>;
  /** User names replaced (`mema`, `memb`, `memc`), by the name replaced. */
  readonly users?: Readonly<Record<string, string>>;
  readonly hostname?: string;
  readonly takenAt?: string;
}

/** Writes a copy of the v1 capture (pids 18844 to 18851) with hostile text, and returns its path. */
export async function hostileCapture(dir: string, hostility: Hostility): Promise<string> {
  const original = await Deno.readFile(`${ROOT}fixtures/archives/v1-capture.tar.gz`);
  const members = (await archiveMembers(original)).map((member) => {
    const pid = Number(member.name.split("/")[0]);
    const uname = hostility.users?.[member.uname] ?? member.uname;
    if (member.name === "memsnap.json") {
      const meta = JSON.parse(new TextDecoder().decode(member.data));
      const data = JSON.stringify({
        ...meta,
        ...(hostility.hostname !== undefined && { hostname: hostility.hostname }),
        ...(hostility.takenAt !== undefined && { takenAt: hostility.takenAt }),
        users: Object.fromEntries(
          Object.entries<string>(meta.users).map((
            [uid, name],
          ) => [uid, hostility.users?.[name] ?? name]),
        ),
      });
      return { ...member, uname, data };
    }
    const cmdline = hostility.cmdlines[pid];
    if (member.name === `${pid}/cmdline` && cmdline !== undefined) {
      return { ...member, uname, data: cmdline + "\0" };
    }
    return { ...member, uname };
  });
  const path = `${dir}/hostile.tar.gz`;
  await Deno.writeFile(
    path,
    await makeArchive(
      members.map((member) => ({ ...member, type: member.type as Header["type"] })),
    ),
  );
  return path;
}
