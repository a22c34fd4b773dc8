/**
 * Eurostat's TSV dissemination format (here `crim_off_cat`, police-recorded
 * offences): the first column joins the key (`freq,iccs,unit,geo`), then one
 * column per year. `:` is missing (with or without a flag: `: c` is
 * confidential); a value may be followed by flags (`123 p`: provisional, `e`:
 * estimated, `b`: break in series, `u`: low reliability, `d`: definition
 * differs). Geo codes are ISO alpha-2 except EL (Greece), UK and XK (Kosovo),
 * mapped to alpha-3; the UK's NUTS 1 groups UKC-L, UKM and UKN are England and
 * Wales, Scotland and Northern Ireland (GBR_E_W, GBR_S, GBR_NI). Source
 * "EUROSTAT"; the dataset code is the source detail.
 */
import { basename } from "node:path";
import { areaFromEurostat } from "./geo.ts";
import { type ObservationInput, type ParsedFile, parseNumber, parseYear, type RowAccount } from "./types.ts";

export const EUROSTAT_SOURCE = "EUROSTAT";
const UNITS: Record<string, string> = { NR: "NR", P_HTHAB: "P_HTHAB" };
const FLAG_STATUS: Record<string, string> = { p: "P", e: "E", b: "B", u: "U", d: "A" };

export function parseEurostatTsv(text: string, file: string): ParsedFile {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const head = (lines[0] ?? "").split("\t");
  const [keyNames, timeName] = (head[0] ?? "").split("\\");
  const keys = (keyNames ?? "").split(",").map((k) => k.trim());
  if (!timeName?.startsWith("TIME_PERIOD") && timeName?.trim() !== "time")
    throw new Error("not a Eurostat TSV file: the first header cell must end with \\TIME_PERIOD");
  for (const need of ["unit", "geo"])
    if (!keys.includes(need)) throw new Error(`not a Eurostat TSV file: the key lacks ${need}`);
  const years = head.slice(1).map((y) => parseYear(y));
  const dataset = /crim_[a-z_]+/.exec(basename(file))?.[0] ?? null;
  const observations: ObservationInput[] = [];
  const rows: RowAccount[] = [];
  for (const [i, line] of lines.slice(1).entries()) {
    const row = i + 2;
    if (line.trim() === "") continue;
    const reject = (reason: string) => rows.push({ row, status: "rejected", observations: 0, reason });
    const cells = line.split("\t");
    if (cells.length !== head.length) {
      reject(`${cells.length} fields where the header has ${head.length}`);
      continue;
    }
    const key = Object.fromEntries((cells[0] ?? "").split(",").map((v, j) => [keys[j], v.trim()]));
    if (key.freq !== undefined && key.freq !== "A") {
      reject(`frequency ${key.freq} is not annual`);
      continue;
    }
    const unit = UNITS[key.unit ?? ""];
    if (!unit) {
      reject(`unit ${key.unit} is neither NR (number) nor P_HTHAB (per 100,000 inhabitants)`);
      continue;
    }
    const indicator = key.iccs ?? "ICCS020221";
    if (indicator !== "ICCS020221") {
      reject(`ICCS ${indicator} is not kidnapping (ICCS020221)`);
      continue;
    }
    const area = areaFromEurostat(key.geo ?? "");
    if ("error" in area) {
      reject(area.error);
      continue;
    }
    let n = 0;
    let missing = 0;
    const problems: string[] = [];
    cells.slice(1).forEach((cell, j) => {
      const year = years[j];
      const t = cell.trim();
      if (year === null || year === undefined) {
        problems.push(`column ${j + 2} has no year`);
        return;
      }
      if (t === "" || t.startsWith(":")) {
        missing++;
        return;
      }
      const m = /^(\S+)\s*([a-z]*)$/.exec(t);
      const value = parseNumber(m?.[1] ?? t);
      if (!m || "error" in value) {
        problems.push(`${year}: ${"error" in value ? value.error : `unreadable ${JSON.stringify(t)}`}`);
        return;
      }
      const flags = m[2] ?? "";
      const status = [...flags].map((f) => FLAG_STATUS[f]).find((s) => s && s !== "A") ?? "A";
      observations.push({
        source: EUROSTAT_SOURCE,
        sourceDetail: dataset,
        submissionId: "",
        revision: 0,
        refArea: area.refArea,
        country: area.country,
        areaLevel: area.level,
        areaName: area.name,
        region: null,
        subregion: null,
        timePeriod: year,
        indicator,
        measure: "OFFENCES",
        unitMeasure: unit,
        breakdown: "_T",
        value: value.value,
        obsStatus: status,
        obsFlags: flags || null,
        note: null,
        rowNumber: row,
      });
      n++;
    });
    const notes = [
      ...(missing > 0 ? [`${missing} year(s) marked missing (:)`] : []),
      ...(problems.length > 0 ? [`rejected cells: ${problems.join("; ")}`] : []),
    ];
    if (n === 0)
      rows.push({
        row,
        status: problems.length > 0 ? "rejected" : "missing",
        observations: 0,
        reason: notes.join("; ") || "no value",
      });
    else
      rows.push({
        row,
        status: "imported",
        observations: n,
        ...(notes.length ? { reason: notes.join("; ") } : {}),
      });
  }
  return { source: EUROSTAT_SOURCE, observations, rows };
}
