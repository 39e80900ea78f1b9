/**
 * `memsnap diff REC --each`: how each row moved over a recording. The
 * recording is read once, front to back; each snapshot is reduced to its
 * side of the view as soon as it is complete and folded into the trend, so
 * a long recording needs no more memory than one snapshot and the trend.
 *
 * @module
 */

import { diffColumns, sideOf } from "../diff/diff_view.ts";
import { addSide, finishTrend, startTrend, type TrendTable } from "../diff/trend.ts";
import { sortTrend, trendStyle, trendTable } from "../diff/trend_table.ts";
import { amountStyle, renderText } from "../render/table_text.ts";
import { renderTrendJson, type TrendMeta } from "../render/trend_json.ts";
import { renderTrendMarkdown } from "../render/trend_markdown.ts";
import { loadSnapshot } from "../snapshot/load_snapshot.ts";
import { membersSource } from "../source/archive_source.ts";
import { scanArchiveFile } from "../archive/scan_file.ts";
import { SourceError } from "../errors/source_error.ts";
import type { DiffRequest } from "./diff_args.ts";
import { EXIT } from "./errors.ts";
import type { Io } from "./io.ts";
import { loadOptionsFor } from "./report.ts";

/** What the last snapshot tells beside its rows: the host, and what -p takes shares of. */
interface LastSeen {
  hostname: string | null;
  memTotal: number;
  swapTotal: number;
}

/** Prints the trend of a recording (the request's one source); returns the exit code. */
export async function runTrend(request: DiffRequest, io: Io): Promise<number> {
  const file = request.sources[0]!;
  const label = `"${file}"`;
  const trend = startTrend(diffColumns(request.view));
  const options = loadOptionsFor({
    view: { ...request.view, sort: request.sort },
    selection: request.selection,
  });
  const side = {
    selection: request.selection,
    numeric: request.numeric,
    ...(request.realMemKb !== undefined && { realMemKb: request.realMemKb }),
  };
  const last: LastSeen = { hostname: null, memTotal: 0, swapTotal: 0 };
  const result = await scanArchiveFile(file, {
    wants: () => true,
    async complete({ index, meta, members }) {
      const snapshot = await loadSnapshot(
        membersSource(members ?? new Map(), { label, meta }),
        options,
      );
      if (snapshot.takenAt === null) {
        throw new SourceError(
          `Cannot follow ${label}: snapshot ${index} has no time (not a memsnap recording?)`,
        );
      }
      addSide(trend, sideOf(snapshot, request.view, side), snapshot.takenAt);
      last.hostname = snapshot.host.hostname;
      last.memTotal = request.realMemKb ?? snapshot.meminfo.MemTotal ?? 0;
      last.swapTotal = snapshot.meminfo.SwapTotal ?? 0;
      return true;
    },
  });
  if (result.warning !== null) io.err(`memsnap: ${result.warning}\n`);
  const table = sortTrend(finishTrend(trend), request);
  if (table.snapshots < 2) {
    throw new SourceError(
      `Cannot follow ${label}: a trend needs a recording of 2 snapshots or more (it has ${table.snapshots})`,
    );
  }
  const meta: TrendMeta = {
    view: request.view.view,
    recording: file,
    hostname: result.recording?.hostname ?? last.hostname,
    memTotal: last.memTotal,
    swapTotal: last.swapTotal,
  };
  await io.out(await render(table, request, meta));
  return EXIT.ok;
}

async function render(trend: TrendTable, request: DiffRequest, meta: TrendMeta): Promise<string> {
  switch (request.format) {
    case "json":
      return renderTrendJson(trend, meta);
    case "csv": {
      // The CSV writer loads only when CSV is asked for.
      const { renderCsv } = await import("../render/report_csv.ts");
      // Rates per hour: a column's unit does not depend on the recording's span.
      const table = trendTable(trend, { rateUnit: "h" });
      return renderCsv(table, { header: request.header, totals: request.totals });
    }
    case "markdown":
      return renderTrendMarkdown(trend, {
        recording: meta.recording,
        totals: request.totals,
        amounts: amountStyle(request, meta),
      });
    case "table":
      return renderText(trendTable(trend, trendStyle(trend, request.view, request.sort)), {
        header: request.header,
        totals: request.totals,
        amounts: amountStyle(request, meta),
      });
  }
}
