/**
 * Parses /proc/PID/cmdline: arguments separated by NUL bytes, the last one
 * usually NUL-terminated. Empty for kernel threads and zombies.
 *
 * A process that rewrote its command line (`sshd: user@pts/0`) may leave
 * out the final NUL: then the last argument is kept whole. (smem drops the
 * last character whatever it is.)
 *
 * @returns The arguments; empty for an empty file.
 */
export function parseCmdline(text: string): string[] {
  if (text === "") return [];
  const body = text.endsWith("\0") ? text.slice(0, -1) : text;
  return body.split("\0");
}
