/**
 * One process of a snapshot, from the files read of it: parsed into the
 * model, or why it is left out. The loader's one pass and the costed
 * sampling's two passes (costed_pass.ts) build processes here.
 *
 * @module
 */

import { memoryCgroupOf, parseCgroup } from "../parse/cgroup.ts";
import { parseCmdline } from "../parse/cmdline.ts";
import { ROLLUP_ONLY_KEYS } from "../parse/counters.ts";
import { parseSmapsRollup } from "../parse/smaps.ts";
import { parseStat, type ProcStat } from "../parse/stat.ts";
import { parseStatus, statusMemory } from "../parse/status.ts";
import type { ProcSource } from "../source/proc_source.ts";
import type { TwoPassHandlers } from "./costed_pass.ts";
import { summariseSmaps } from "./mapping_groups.ts";
import { type ExtrasWanted, readExtras } from "./process_extras.ts";
import { EXACT, type Provenance, rssOnlyCounters } from "./provenance.ts";
import {
  identify,
  type ProcessFiles,
  type ProcessRead,
  readIdentity,
  type ReadPlan,
  readProcess,
  type SkipReason,
  type UnreadableFiles,
} from "./read_process.ts";
import type { Process, UnreadableProcess } from "./snapshot.ts";

/** What the loader makes of one process. */
export type Outcome =
  | { readonly kind: "process"; readonly process: Process }
  | { readonly kind: "unreadable"; readonly process: UnreadableProcess }
  | { readonly kind: Exclude<SkipReason, "unreadable"> };

/** What every process of a snapshot is read and built with. */
export interface ReadContext {
  readonly plan: ReadPlan;
  /** Mapping names are kept (the mapping view, -M). */
  readonly mappings: boolean;
  readonly cgroups?: boolean;
  readonly extras?: ExtrasWanted;
  /** Processes whose memory maps cannot be read become rows with their RSS (rss-only). */
  readonly rssOnly?: boolean;
  /** One string per mapping name for the whole snapshot. */
  readonly intern: (name: string) => string;
}

/** A process's memory, as one walk of its memory files gives it. */
export type Memory = Pick<Process, "totals" | "mapCount" | "mappingGroups">;

/**
 * What a process read is in the snapshot: a process with its memory from
 * the files read (or `memory` given: carried from an earlier walk), or why
 * it is left out.
 */
export async function outcomeOf(
  source: ProcSource,
  pid: number,
  read: ProcessRead,
  context: ReadContext,
  given?: { readonly memory?: Memory; readonly provenance: Provenance },
): Promise<Outcome> {
  if (read.kind === "unreadable") {
    const rssOnly = context.rssOnly ? rssOnlyMemory(pid, read) : undefined;
    if (rssOnly === undefined) return { kind: "unreadable", process: identify(pid, read) };
    return await processOf(
      source,
      pid,
      { ...read, kind: "process", pid, owner: read.owner! },
      context,
      {
        memory: rssOnly,
        provenance: { kind: "rss-only", reason: "unreadable" },
      },
    );
  }
  if (read.kind !== "process") return read;
  return await processOf(source, pid, read, context, given);
}

/**
 * A process read in one pass, with the provenance its writer stored (a
 * recording's process not walked: carried, or rss-only without a memory
 * file).
 */
export async function loadProcess(
  source: ProcSource,
  pid: number,
  context: ReadContext,
): Promise<Outcome> {
  const stored = source.recorded?.provenance?.[pid];
  if (stored?.kind !== "rss-only") {
    const read = await readProcess(source, pid, context.plan);
    return await outcomeOf(source, pid, read, context, stored && { provenance: stored });
  }
  const also = context.plan.also.includes("status")
    ? context.plan.also
    : [...context.plan.also, "status"];
  const read = await readIdentity(source, pid, { also });
  if (read.kind !== "process") return await outcomeOf(source, pid, read, context);
  const memory = rssOnlyMemory(pid, read);
  if (memory === undefined) return { kind: "vanished" };
  return await outcomeOf(source, pid, read, context, { memory, provenance: stored });
}

/**
 * How the loader samples in two passes (costed_pass.ts): a walked process
 * is parsed as in one pass and keeps its memory, to be carried; one not
 * walked gets its carried memory, or its status's counters.
 */
export function loaderHandlers(
  source: ProcSource,
  context: ReadContext,
): TwoPassHandlers<Memory, Outcome> {
  return {
    async walked(pid, read) {
      const result = await outcomeOf(source, pid, read, context);
      if (result.kind !== "process" || result.process.provenance !== undefined) return { result };
      const { totals, mapCount, mappingGroups } = result.process;
      return {
        result,
        keep: { totals, mapCount, ...(mappingGroups !== undefined && { mappingGroups }) },
      };
    },
    instead: (read, { provenance, memory, carried }) =>
      outcomeOf(source, read.pid, read, context, {
        memory: carried ?? { totals: rssOnlyCounters(memory), mapCount: null },
        provenance,
      }),
  };
}

/**
 * A process's memory from its status alone: RSS, swap and VSS (PSS and USS
 * unknown); undefined without a status that has them.
 */
export function rssOnlyMemory(
  pid: number,
  read: Pick<UnreadableFiles, "files" | "owner">,
): Memory | undefined {
  const bytes = read.files.get("status");
  if (bytes === undefined || read.owner === undefined) return undefined;
  const memory = statusMemory(parseStatus(decoder.decode(bytes), `${pid}/status`));
  return memory === null ? undefined : { totals: rssOnlyCounters(memory), mapCount: null };
}

async function processOf(
  source: ProcSource,
  pid: number,
  read: ProcessFiles,
  options: ReadContext,
  given: { readonly memory?: Memory; readonly provenance: Provenance } | undefined,
): Promise<Outcome> {
  const { files } = read;
  const text = (name: string) => {
    const bytes = files.get(name);
    return bytes === undefined ? undefined : decoder.decode(bytes);
  };
  const gone = { kind: "vanished" } as const;
  const memory = given?.memory ?? memoryOf(pid, text, options);
  if (memory === undefined) return gone;
  const provenance = given?.provenance ?? EXACT;

  const cmdlineText = text("cmdline");
  const statText = text("stat");
  const stat: ProcStat | undefined = statText === undefined
    ? undefined
    : parseStat(statText, `${pid}/stat`);
  const cgroup = options.cgroups ? await cgroupOf(source, pid, text("cgroup")) : undefined;
  if (cgroup === "vanished") return gone;
  const extras = options.extras === undefined
    ? {}
    : await readExtras(source, pid, { wanted: options.extras, stat });

  return {
    kind: "process",
    process: {
      pid,
      ppid: stat?.ppid ?? null,
      uid: read.owner.uid,
      gid: read.owner.gid,
      name: stat?.name ?? "?",
      cmdline: cmdlineText === undefined ? null : parseCmdline(cmdlineText),
      startTime: stat?.startTime ?? null,
      ...(cgroup !== undefined && { cgroup }),
      ...extras,
      ...memory,
      ...(provenance.kind !== "exact" && { provenance }),
    },
  };
}

/**
 * A process's memory cgroup; null when the file is not there (older
 * captures, a kernel without cgroups). Live, a file missing or empty while
 * the process's stat is gone too means it exited while read: it is left
 * out whole, not shown in no cgroup.
 */
async function cgroupOf(
  source: ProcSource,
  pid: number,
  text: string | undefined,
): Promise<Process["cgroup"] | "vanished"> {
  if (text !== undefined && text !== "") {
    return memoryCgroupOf(parseCgroup(text, `${pid}/cgroup`));
  }
  if (source.live && (await source.read(`${pid}/stat`)).status === "missing") return "vanished";
  return null;
}

/**
 * The process's counters from the memory files read: smaps summed as smem
 * sums it (with the rollup's own counters merged when both were read), or
 * smaps_rollup. Undefined for a process without memory (a zombie's empty
 * files): nothing to count, left out as one that exited.
 */
function memoryOf(
  pid: number,
  text: (name: string) => string | undefined,
  options: ReadContext,
): Memory | undefined {
  const rollupFile = `${pid}/smaps_rollup`;
  const rollupText = text("smaps_rollup");
  const rollup = rollupText === undefined
    ? undefined
    : parseSmapsRollup(rollupText, rollupFile) ?? undefined;
  const smapsText = text("smaps");
  if (smapsText === undefined) {
    return rollup === undefined ? undefined : { totals: rollup, mapCount: null };
  }
  // One pass: sums, and names only for the reports that use them; never
  // every mapping.
  const summary = summariseSmaps(smapsText, `${pid}/smaps`, { groups: options.mappings });
  if (summary.mapCount === 0) return undefined;
  const summed = summary.totals;
  const totals = rollup === undefined ? summed : {
    ...summed,
    ...Object.fromEntries(ROLLUP_ONLY_KEYS.flatMap((key) => {
      const value = rollup[key];
      return value === undefined ? [] : [[key, value]];
    })),
  };
  return {
    totals,
    mapCount: summary.mapCount,
    ...(summary.groups !== undefined && {
      mappingGroups: summary.groups.map((group) => ({
        ...group,
        name: options.intern(group.name),
      })),
    }),
  };
}

const decoder = new TextDecoder();

/**
 * One string per mapping name for the whole snapshot. A name cut from a
 * file's text keeps that whole text alive (engines share the characters of
 * a substring): a copy made once per name lets every smaps text go
 * (measured: -m at N = 1000 peaked at 176 MiB without it).
 */
export function interner(): (name: string) => string {
  const names = new Map<string, string>();
  return (name) => {
    let shared = names.get(name);
    if (shared === undefined) {
      shared = [...name].join("");
      names.set(shared, shared);
    }
    return shared;
  };
}
