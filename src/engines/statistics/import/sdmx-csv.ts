/**
 * SDMX-CSV 2.0 files of the Ariadne DSD (docs/sdmx-dsd.md), such as national
 * returns, or any SDMX-CSV with REF_AREA, TIME_PERIOD and OBS_VALUE (the other
 * dimensions then default to `_T`). The SOURCE, SUBMISSION_ID and REVISION
 * attributes give the provenance; without SOURCE the file name does.
 */
import { basename } from "node:path";
import { DIMENSIONS, readSdmxCsv, TOTAL } from "../sdmx.ts";
import { areaFromAlpha3 } from "./geo.ts";
import { type ObservationInput, type ParsedFile, parseYear, type RowAccount } from "./types.ts";

const BREAKDOWN_DIMS = DIMENSIONS.slice(5);

export function parseSdmxCsv(text: string, file: string): ParsedFile {
  const fallbackSource = `SDMX:${basename(file)}`;
  const observations: ObservationInput[] = [];
  const rows: RowAccount[] = [];
  const seen = new Map<string, number>();
  for (const r of readSdmxCsv(text)) {
    const row = r.line;
    const reject = (reason: string) => rows.push({ row, status: "rejected", observations: 0, reason });
    const o = r.observation;
    if (!o) {
      reject(r.error ?? "unreadable");
      continue;
    }
    const area = areaFromAlpha3(o.dims.REF_AREA);
    if (!area) {
      reject(`REF_AREA ${o.dims.REF_AREA} is neither ISO 3166-1 alpha-3 nor a known sub-national unit`);
      continue;
    }
    const year = parseYear(o.dims.TIME_PERIOD);
    if (year === null) {
      reject(`TIME_PERIOD ${o.dims.TIME_PERIOD} is not a year (annual data only)`);
      continue;
    }
    if (o.value === null) {
      rows.push({
        row,
        status: "missing",
        observations: 0,
        reason: o.attrs.CONF_STATUS === "C" ? "withheld (confidential)" : "no value",
      });
      continue;
    }
    if (o.value < 0) {
      reject(`OBS_VALUE ${o.value} is negative`);
      continue;
    }
    const revision = o.attrs.REVISION ? Number(o.attrs.REVISION) : 0;
    if (!Number.isInteger(revision) || revision < 0) {
      reject(`REVISION ${o.attrs.REVISION} is not a whole number`);
      continue;
    }
    const parts = BREAKDOWN_DIMS.filter((d) => o.dims[d] !== TOTAL).map((d) => `${d}=${o.dims[d]}`);
    const indicator = o.dims.ICCS === TOTAL ? TOTAL : `ICCS${o.dims.ICCS}`;
    const ob: ObservationInput = {
      source: o.attrs.SOURCE ?? fallbackSource,
      sourceDetail: null,
      submissionId: o.attrs.SUBMISSION_ID ?? "",
      revision,
      refArea: area.refArea,
      country: area.country,
      areaLevel: area.level,
      areaName: area.name,
      region: null,
      subregion: null,
      timePeriod: year,
      indicator,
      measure: o.dims.MEASURE === TOTAL ? "OFFENCES" : o.dims.MEASURE,
      unitMeasure: o.dims.UNIT_MEASURE,
      breakdown: parts.length > 0 ? parts.join(";") : "_T",
      value: String(o.value),
      obsStatus: o.attrs.OBS_STATUS ?? "A",
      obsFlags: null,
      note: o.attrs.COMMENT ?? null,
      rowNumber: row,
    };
    const key = [
      ob.source,
      ob.submissionId,
      ob.revision,
      ob.refArea,
      year,
      indicator,
      ob.measure,
      ob.unitMeasure,
      ob.breakdown,
    ].join("|");
    const dup = seen.get(key);
    if (dup !== undefined) {
      reject(`duplicate of line ${dup}`);
      continue;
    }
    seen.set(key, row);
    observations.push(ob);
    rows.push({ row, status: "imported", observations: 1 });
  }
  return { source: fallbackSource, observations, rows };
}
