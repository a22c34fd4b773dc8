/**
 * The UNODC Crime Trends Survey export (dataUNODC), kidnapping rows: one
 * observation per line (a count or a rate per 100,000 for one geography and
 * year). Source "UNODC-CTS"; the file's Source column (CTS, CTS/NGO, CTS/MoI…)
 * is kept as the source detail. Region and Subregion are the UN M49 names the
 * file gives. Sub-national units (GBR_E_W, GBR_NI, GBR_S, IRQ_C) keep their own
 * codes, with their State. A count that is not a whole number is kept exactly
 * as published, marked estimated (OBS_STATUS E) with a note: it is an estimate,
 * not a tally, and rounding it would invent precision the other way.
 */
import { parse } from "csv-parse/sync";
import { areaFromAlpha3 } from "./geo.ts";
import { type ObservationInput, type ParsedFile, parseNumber, parseYear, type RowAccount } from "./types.ts";

export const UNODC_SOURCE = "UNODC-CTS";
const REQUIRED = [
  "Iso3_code",
  "Country",
  "Region",
  "Subregion",
  "Category",
  "Sex",
  "Age",
  "Year",
  "Unit of measurement",
  "VALUE",
  "Source",
];
const UNITS: Record<string, string> = { Counts: "NR", "Rate per 100,000 population": "P_HTHAB" };
const SEX: Record<string, string> = { Total: "_T", Female: "F", Male: "M" };

function slug(s: string): string {
  return (
    s
      .trim()
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, "_") || "_U"
  );
}

export function parseUnodcCts(text: string, _file: string): ParsedFile {
  const records = parse(text, {
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  const header = records[0]?.record.map((h) => h.trim()) ?? [];
  const missing = REQUIRED.filter((h) => !header.includes(h));
  if (missing.length > 0) throw new Error(`not a UNODC CTS file: the header lacks ${missing.join(", ")}`);
  const col = Object.fromEntries(header.map((h, i) => [h, i]));
  const observations: ObservationInput[] = [];
  const rows: RowAccount[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records.slice(1)) {
    const row = info.lines;
    const reject = (reason: string) => rows.push({ row, status: "rejected", observations: 0, reason });
    if (record.length !== header.length) {
      reject(`${record.length} fields where the header has ${header.length}`);
      continue;
    }
    const get = (name: string) => (record[col[name] as number] ?? "").trim();
    const area = areaFromAlpha3(get("Iso3_code"));
    if (!area) {
      reject(
        `area code ${JSON.stringify(get("Iso3_code"))} is neither ISO 3166-1 alpha-3 nor a known sub-national unit`,
      );
      continue;
    }
    if (get("Category") !== "Kidnapping") {
      reject(`category ${JSON.stringify(get("Category"))} is not kidnapping`);
      continue;
    }
    const year = parseYear(get("Year"));
    if (year === null) {
      reject(`year ${JSON.stringify(get("Year"))} is not a year`);
      continue;
    }
    const unit = UNITS[get("Unit of measurement")];
    if (!unit) {
      reject(
        `unit ${JSON.stringify(get("Unit of measurement"))} is neither Counts nor Rate per 100,000 population`,
      );
      continue;
    }
    const value = parseNumber(get("VALUE"));
    if ("error" in value) {
      reject(value.error);
      continue;
    }
    const parts: string[] = [];
    if (get("Age") !== "Total") parts.push(`AGE=${slug(get("Age"))}`);
    if (get("Sex") !== "Total") parts.push(`SEX=${SEX[get("Sex")] ?? slug(get("Sex"))}`);
    const breakdown = parts.length > 0 ? parts.join(";") : "_T";
    const key = [area.refArea, year, unit, breakdown].join("|");
    const dup = seen.get(key);
    if (dup !== undefined) {
      reject(`duplicate of line ${dup} (same area, year, unit and breakdown)`);
      continue;
    }
    seen.set(key, row);
    const nonInteger = unit === "NR" && !Number.isInteger(value.number);
    const note = nonInteger
      ? `non-integer count ${value.value} kept as published and marked estimated (E)`
      : undefined;
    observations.push({
      source: UNODC_SOURCE,
      sourceDetail: get("Source") || null,
      submissionId: "",
      revision: 0,
      refArea: area.refArea,
      country: area.country,
      areaLevel: area.level,
      areaName: get("Country") || area.name,
      region: get("Region") || null,
      subregion: get("Subregion") || null,
      timePeriod: year,
      indicator: "ICCS020221",
      measure: "OFFENCES",
      unitMeasure: unit,
      breakdown,
      value: value.value,
      obsStatus: nonInteger ? "E" : "A",
      obsFlags: null,
      note: note ?? null,
      rowNumber: row,
    });
    rows.push({ row, status: "imported", observations: 1, ...(note ? { reason: note } : {}) });
  }
  return { source: UNODC_SOURCE, observations, rows };
}
