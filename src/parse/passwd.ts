/**
 * Names by numeric id from /etc/passwd or /etc/group text (`name:x:id:...`).
 * Comments and lines that do not have that shape (NIS `+` entries) are skipped:
 * a user name is a nicety, never a reason to refuse a report. The first
 * entry for an id wins, as getpwuid(3) returns it.
 */
export function parseIdNames(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const raw of text.split("\n")) {
    // Leading blanks are not part of a name; "#" starts a comment (glibc).
    const line = raw.trimStart();
    if (line.startsWith("#")) continue;
    const fields = line.split(":");
    const [name, , id] = fields;
    if (name === undefined || name === "" || id === undefined) continue;
    // An id is 32 bits: anything else names no one.
    if (!/^\d{1,10}$/.test(id) || Number(id) >= 2 ** 32 || fields.length < 4) continue;
    const number = Number(id);
    if (!names.has(number)) names.set(number, name);
  }
  return names;
}
