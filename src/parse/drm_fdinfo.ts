import { tooLarge } from "./kernel_number.ts";
import { ParseError } from "./parse_error.ts";

/**
 * What a DRM file descriptor's fdinfo says of its client's memory (the
 * kernel's Documentation/gpu/drm-usage-stats.rst), in bytes.
 */
export interface DrmClient {
  /** `drm-driver`. */
  readonly driver: string;
  /** `drm-client-id`: one client may be open through several descriptors. */
  readonly clientId: string;
  /** `drm-pdev`, when given. */
  readonly pdev: string | null;
  /**
   * Resident memory by region (`drm-resident-<region>`, or the older
   * `drm-memory-<region>`, its alias), bytes.
   */
  readonly resident: Readonly<Record<string, number>>;
}

const UNITS: Readonly<Record<string, number>> = {
  "": 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};
const MEMORY = /^drm-(resident|memory)-(\S+)$/;

/**
 * Parses /proc/PID/fdinfo/FD. Returns null for a descriptor that is not a
 * DRM client (no `drm-driver` key): most of them.
 *
 * @throws {ParseError} When a DRM file has a line that is not `key: value`,
 *   a memory value that is not `N [KiB|MiB|GiB]`, or lacks `drm-client-id`.
 */
export function parseDrmFdinfo(text: string, file: string): DrmClient | null {
  const lines = text.split("\n");
  if (!lines.some((line) => line.startsWith("drm-driver:"))) return null;
  let driver = "";
  let clientId: string | null = null;
  let pdev: string | null = null;
  const resident: Record<string, number> = {};
  lines.forEach((line, index) => {
    if (line === "") return;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new ParseError(file, index + 1, 'expected "key: value"');
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (key === "drm-driver") driver = value;
    else if (key === "drm-client-id") clientId = value;
    else if (key === "drm-pdev") pdev = value;
    const memory = MEMORY.exec(key);
    if (memory === null) return;
    const amount = /^(\d+)(?: (KiB|MiB|GiB))?$/.exec(value);
    if (amount === null) {
      throw new ParseError(file, index + 1, `expected "N [KiB|MiB|GiB]" for ${key}`);
    }
    const bytes = Number(amount[1]) * UNITS[amount[2] ?? ""]!;
    if (!Number.isSafeInteger(bytes)) {
      throw new ParseError(file, index + 1, tooLarge(key, value));
    }
    resident[memory[2]!] = bytes;
  });
  if (clientId === null) throw new ParseError(file, 0, 'expected a "drm-client-id" line');
  return { driver, clientId, pdev, resident };
}

/**
 * A process's GPU memory, kB (rounded up): the resident memory of each
 * distinct client it holds open, every region summed. Null when it holds
 * no DRM client that reports memory: unknown, not zero.
 */
export function gpuMemoryKb(clients: readonly DrmClient[]): number | null {
  // A client that reports no memory (engine use only) says nothing of it.
  const reporting = clients.filter((c) => Object.keys(c.resident).length > 0);
  if (reporting.length === 0) return null;
  const distinct = new Map(
    reporting.map((c) => [`${c.driver}\u0000${c.pdev ?? ""}\u0000${c.clientId}`, c]),
  );
  let bytes = 0;
  for (const client of distinct.values()) {
    for (const value of Object.values(client.resident)) bytes += value;
  }
  return Math.ceil(bytes / 1024);
}
