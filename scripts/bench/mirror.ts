/**
 * Makes a large directory mirror of /proc (DIR/proc/PID/...) from a
 * capture in fixtures/: its processes repeated under new pids until there
 * are as many as asked, for the benchmark's scale run. The files are hard
 * links to one unpacked copy, so 10 000 processes cost one capture's disk;
 * each PID directory is owned like the process it repeats.
 *
 *     deno run -A scripts/bench/mirror.ts 10000 /tmp/mirror    → /tmp/mirror/proc
 *
 * @module
 */

const CAPTURE = new URL("../../fixtures/captures/n60.tar.gz", import.meta.url).pathname;

/**
 * Writes DIR/proc with `processes` processes (pids 100000 up).
 *
 * @returns DIR.
 */
export async function makeScaleMirror(processes: number, dir: string): Promise<string> {
  const template = `${dir}/template`;
  const proc = `${dir}/proc`;
  await Deno.mkdir(template, { recursive: true });
  await Deno.mkdir(proc);
  const { success, stderr } = await new Deno.Command("tar", {
    args: ["-xzf", CAPTURE, "-C", template],
    stderr: "piped",
  }).output();
  if (!success) throw new Error(`tar failed: ${new TextDecoder().decode(stderr)}`);
  const sources: { dir: string; uid: number; gid: number; files: string[] }[] = [];
  for await (const entry of Deno.readDir(template)) {
    if (!/^\d+$/.test(entry.name)) {
      if (entry.isFile) await Deno.link(`${template}/${entry.name}`, `${proc}/${entry.name}`);
      continue;
    }
    const path = `${template}/${entry.name}`;
    const info = await Deno.stat(path);
    const files = [];
    for await (const file of Deno.readDir(path)) files.push(file.name);
    sources.push({ dir: path, uid: info.uid ?? 0, gid: info.gid ?? 0, files });
  }
  sources.sort((a, b) => a.dir.localeCompare(b.dir));
  for (let i = 0; i < processes; i++) {
    const source = sources[i % sources.length]!;
    const target = `${proc}/${100000 + i}`;
    await Deno.mkdir(target);
    for (const file of source.files) await Deno.link(`${source.dir}/${file}`, `${target}/${file}`);
    if (Deno.uid() === 0) await Deno.chown(target, source.uid, source.gid);
  }
  return dir;
}

if (import.meta.main) {
  const [count, dir] = Deno.args;
  if (count === undefined || dir === undefined || !/^\d+$/.test(count)) {
    console.error("Usage: deno run -A scripts/bench/mirror.ts PROCESSES DIR");
    Deno.exit(2);
  }
  await makeScaleMirror(Number(count), dir);
  console.log(`${dir}/proc: ${count} processes`);
}
