/**
 * The JSON API's answers over held snapshots, shared by `memsnap serve`
 * (samples of a source) and `memsnap ui` (a capture, a recording, two
 * sources): a report is the very document `--format json` prints, a diff
 * the very document `memsnap diff --format json` prints.
 *
 * @module
 */

import { compileSelection, type Selection } from "../select/select.ts";
import { render } from "../render/formats.ts";
import type { Process } from "../snapshot/snapshot.ts";
import { programNames } from "../view/commands.ts";
import { type HeldSnapshot, reportOn } from "./report.ts";
import { viewNamed, viewQuery } from "./view_query.ts";

/** An answer to a request: a status, a content type, a body (and headers of its own). */
export interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export const JSON_TYPE = "application/json; charset=utf-8";
export const TEXT_TYPE = "text/plain; charset=utf-8";

/** A plain-text answer (an error's). */
export function textAnswer(status: number, body: string): Answer {
  return { status, type: TEXT_TYPE, body: body.endsWith("\n") ? body : `${body}\n` };
}

/** A view request's query parameters, as the CLI's options name them. */
export function viewRequest(query: URLSearchParams) {
  const selection: Selection = {
    ...(query.get("processfilter") !== null && { process: query.get("processfilter")! }),
    ...(query.get("userfilter") !== null && { user: query.get("userfilter")! }),
    ...(query.get("mapfilter") !== null && { mapping: query.get("mapfilter")! }),
  };
  return {
    view: viewNamed(query.get("view") ?? "processes"),
    columns: query.get("columns")?.split(/[\s,]+/).filter((c) => c !== ""),
    sort: query.get("sort") ?? undefined,
    reverse: query.get("reverse") === "1" || query.get("reverse") === "true",
    selection,
  };
}

/**
 * The processes a drill-down keeps, besides the CLI's filters: `pid=N` (one
 * process: its mappings), `program=NAME` (the commands view's key: the
 * program's name), `cgroup=PATH` (the cgroups view's key). The web UI asks
 * for them; each is an exact match, never a pattern.
 */
function restriction(
  query: URLSearchParams,
  all: readonly Process[],
): ((p: Process) => boolean) | undefined {
  const pid = query.get("pid");
  const program = query.get("program");
  const cgroup = query.get("cgroup");
  if (pid === null && program === null && cgroup === null) return undefined;
  const programs = program === null ? undefined : programNames(all);
  return (p) =>
    (pid === null || String(p.pid) === pid) &&
    (program === null || (programs!.get(p.pid) ?? p.name) === program) &&
    (cgroup === null || (p.cgroup?.path ?? "?") === cgroup);
}

/** The held snapshot with only the processes the request's restriction keeps. */
function restricted(held: HeldSnapshot, query: URLSearchParams): HeldSnapshot {
  const keep = restriction(query, held.snapshot.processes);
  if (keep === undefined) return held;
  return {
    ...held,
    snapshot: { ...held.snapshot, processes: held.snapshot.processes.filter(keep) },
  };
}

/** A held snapshot in a view: the JSON `memsnap --format json` prints. */
export async function reportAnswer(held: HeldSnapshot, query: URLSearchParams): Promise<Answer> {
  const { view, columns, sort, reverse, selection } = viewRequest(query);
  const limitText = query.get("limit");
  const limit = limitText === null ? undefined : Number(limitText);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) {
    return textAnswer(400, "limit must be a whole number ≥ 1");
  }
  const report = await reportOn(restricted(held, query), {
    view: viewQuery({
      view,
      ...(columns !== undefined && { columns }),
      ...(sort !== undefined && { sort }),
      reverse,
      ...(limit !== undefined && { limit }),
      data: true,
    }),
    selection,
    numeric: false,
    alwaysProvenance: true,
  }, await compileSelection(selection));
  const body = await render("report", "json", report, {
    header: true,
    totals: false,
    abbreviate: false,
    percent: false,
  });
  return { status: 200, type: JSON_TYPE, body };
}

/** Two held snapshots in a view: the JSON `memsnap diff --format json` prints. */
export async function diffAnswer(
  a: { readonly label: string; readonly held: HeldSnapshot },
  b: { readonly label: string; readonly held: HeldSnapshot },
  query: URLSearchParams,
): Promise<Answer> {
  const { diffHeld, diffViewQuery } = await import("./diff.ts");
  const request = viewRequest(query);
  const result = await diffHeld(
    { label: a.label, snapshot: restricted(a.held, query).snapshot },
    { label: b.label, snapshot: restricted(b.held, query).snapshot },
    {
      view: diffViewQuery({
        view: request.view,
        ...(request.columns !== undefined && { columns: request.columns }),
        ...(request.sort !== undefined && { sort: request.sort }),
        reverse: request.reverse,
      }),
      selection: request.selection,
      numeric: false,
    },
  );
  const body = await render("diff", "json", result, {
    header: true,
    totals: false,
    abbreviate: false,
    percent: false,
  });
  return { status: 200, type: JSON_TYPE, body };
}

/** The index a query parameter names, undefined when absent; an Answer when malformed. */
export function indexParam(query: URLSearchParams, name: string): number | undefined | Answer {
  const text = query.get(name);
  if (text === null) return undefined;
  if (!/^\d{1,15}$/.test(text)) {
    return textAnswer(400, `${name} must be a sample's index (a whole number)`);
  }
  return Number(text);
}
