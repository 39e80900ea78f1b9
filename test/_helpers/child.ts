/**
 * Processes a live test starts and controls: waiting, boundedly, for a
 * shell's child to reach the state the test needs.
 */

/**
 * The pid of `parent`'s only child once `ready` holds of its /proc/PID/stat
 * (e.g. a name after exec, a zombie's state); undefined after 2 s.
 */
export async function childWhen(
  parent: number,
  ready: (stat: string) => boolean,
): Promise<number | undefined> {
  for (let tries = 0; tries < 200; tries++) {
    const children = await Deno.readTextFile(`/proc/${parent}/task/${parent}/children`)
      .catch(() => "");
    const pid = Number(children.trim());
    const stat = pid > 0 ? await Deno.readTextFile(`/proc/${pid}/stat`).catch(() => "") : "";
    if (stat !== "" && ready(stat)) return pid;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return undefined;
}
