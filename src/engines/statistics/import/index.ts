/**
 * Importing a statistics file: parse (every line accounted for), then store the
 * observations with their provenance. Re-importing the same figures changes
 * nothing (each observation is keyed by source, submission, revision, area,
 * year, indicator, measure, unit and breakdown; a changed figure is updated in
 * place and counted as such). The import itself is recorded in `stat_imports`.
 */
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { type Kysely, sql } from "kysely";
import { type StatisticsDb, type StatisticsTables, statisticsKysely } from "../db.ts";
import { parseEurostatTsv } from "./eurostat-tsv.ts";
import { parseSdmxCsv } from "./sdmx-csv.ts";
import type { ImportFormat, ObservationInput, ParsedFile, RowAccount } from "./types.ts";
import { parseUnodcCts } from "./unodc-cts.ts";

export { IMPORT_FORMATS, type ImportFormat } from "./types.ts";

export function parseFile(format: ImportFormat, text: string, file: string): ParsedFile {
  switch (format) {
    case "unodc-cts":
      return parseUnodcCts(text, file);
    case "eurostat-tsv":
      return parseEurostatTsv(text, file);
    case "sdmx-csv":
      return parseSdmxCsv(text, file);
  }
}

export interface ImportReport {
  importId: string;
  format: ImportFormat;
  file: string;
  sha256: string;
  source: string;
  /** Lines of data in the file (the header excluded). */
  rows: number;
  rowsImported: number;
  rowsRejected: number;
  rowsMissing: number;
  observations: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Every line: imported, rejected with its reason, or all its values missing. */
  accounts: RowAccount[];
  seconds: number;
}

const BATCH = 500;

/** Stores parsed observations; `onProgress(done, total)` after each batch. */
export async function storeObservations<DB extends StatisticsTables>(
  database: StatisticsDb<DB>,
  parsed: ParsedFile,
  meta: {
    format: ImportFormat;
    file: string;
    sha256: string;
    importedBy?: string;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<ImportReport> {
  const db = statisticsKysely(database);
  const started = performance.now();
  const importId = randomUUID();
  const now = new Date();
  const file = basename(meta.file);
  let inserted = 0;
  let updated = 0;
  // In the caller's transaction when there is one (a return stored with the message that carried it).
  const inTx = <T>(fn: (tx: Kysely<StatisticsTables>) => Promise<T>): Promise<T> =>
    db.isTransaction ? fn(db) : db.transaction().execute(fn);
  await inTx(async (tx) => {
    await tx
      .insertInto("stat_imports")
      .values({
        id: importId,
        source: parsed.source,
        format: meta.format,
        file_name: file,
        file_sha256: meta.sha256,
        started_at: now,
        imported_by: meta.importedBy ?? null,
      })
      .execute();
    const total = parsed.observations.length;
    for (let i = 0; i < total; i += BATCH) {
      const chunk = parsed.observations.slice(i, i + BATCH);
      const res = await tx
        .insertInto("stat_observations")
        .values(chunk.map((o) => row(o, file, importId, now)))
        .onConflict((oc) =>
          oc
            .constraint("stat_observations_key")
            .doUpdateSet((eb) => ({
              value: eb.ref("excluded.value"),
              obs_status: eb.ref("excluded.obs_status"),
              obs_flags: eb.ref("excluded.obs_flags"),
              note: eb.ref("excluded.note"),
              source_detail: eb.ref("excluded.source_detail"),
              area_name: eb.ref("excluded.area_name"),
              region: eb.ref("excluded.region"),
              subregion: eb.ref("excluded.subregion"),
              file: eb.ref("excluded.file"),
              row_number: eb.ref("excluded.row_number"),
              import_id: eb.ref("excluded.import_id"),
              imported_at: eb.ref("excluded.imported_at"),
            }))
            .where(
              sql<boolean>`(stat_observations.value, stat_observations.obs_status, stat_observations.obs_flags,
                stat_observations.note, stat_observations.source_detail, stat_observations.area_name,
                stat_observations.region, stat_observations.subregion)
                IS DISTINCT FROM (excluded.value, excluded.obs_status, excluded.obs_flags, excluded.note,
                excluded.source_detail, excluded.area_name, excluded.region, excluded.subregion)`,
            ),
        )
        .returning(sql<boolean>`(xmax = 0)`.as("inserted"))
        .execute();
      for (const r of res)
        if (r.inserted) inserted++;
        else updated++;
      meta.onProgress?.(Math.min(total, i + BATCH), total);
    }
    if (total === 0) meta.onProgress?.(0, 0);
  });
  const count = (s: RowAccount["status"]) => parsed.rows.filter((r) => r.status === s).length;
  const report: ImportReport = {
    importId,
    format: meta.format,
    file,
    sha256: meta.sha256,
    source: parsed.source,
    rows: parsed.rows.length,
    rowsImported: count("imported"),
    rowsRejected: count("rejected"),
    rowsMissing: count("missing"),
    observations: parsed.observations.length,
    inserted,
    updated,
    unchanged: parsed.observations.length - inserted - updated,
    accounts: parsed.rows,
    seconds: (performance.now() - started) / 1000,
  };
  await db
    .updateTable("stat_imports")
    .set({
      finished_at: new Date(),
      rows_total: report.rows,
      rows_inserted: inserted,
      rows_updated: updated,
      rows_unchanged: report.unchanged,
      rows_rejected: report.rowsRejected,
      report: JSON.stringify({
        rowsImported: report.rowsImported,
        rowsMissing: report.rowsMissing,
        rejected: parsed.rows.filter((r) => r.status === "rejected"),
        notes: parsed.rows.filter((r) => r.status !== "rejected" && r.reason),
      }),
    })
    .where("id", "=", importId)
    .execute();
  return report;
}

function row(o: ObservationInput, file: string, importId: string, now: Date) {
  return {
    source: o.source,
    source_detail: o.sourceDetail,
    submission_id: o.submissionId,
    revision: o.revision,
    ref_area: o.refArea,
    country: o.country,
    area_level: o.areaLevel,
    area_name: o.areaName,
    region: o.region,
    subregion: o.subregion,
    time_period: o.timePeriod,
    indicator: o.indicator,
    measure: o.measure,
    unit_measure: o.unitMeasure,
    breakdown: o.breakdown,
    value: o.value,
    obs_status: o.obsStatus,
    obs_flags: o.obsFlags,
    note: o.note,
    file,
    row_number: o.rowNumber,
    import_id: importId,
    imported_at: now,
  };
}

/** Reads, parses and stores one file. */
export async function importFile<DB extends StatisticsTables>(
  db: StatisticsDb<DB>,
  format: ImportFormat,
  path: string,
  opts: { importedBy?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<ImportReport> {
  const bytes = readFileSync(path);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const parsed = parseFile(format, bytes.toString("utf8"), path);
  return storeObservations(db, parsed, { format, file: path, sha256, ...opts });
}
