/** What every statistics importer produces: observations with provenance, and an account of every row. */

export const IMPORT_FORMATS = ["unodc-cts", "eurostat-tsv", "sdmx-csv"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** One figure, as stored in `stat_observations`. */
export interface ObservationInput {
  source: string;
  sourceDetail: string | null;
  submissionId: string;
  revision: number;
  refArea: string;
  country: string;
  areaLevel: "country" | "subnational";
  areaName: string | null;
  region: string | null;
  subregion: string | null;
  timePeriod: number;
  indicator: string;
  measure: string;
  unitMeasure: string;
  breakdown: string;
  /** As published, in decimal notation (kept exact in a numeric column). */
  value: string;
  obsStatus: string;
  obsFlags: string | null;
  note: string | null;
  /** The line of the file (1 is the header). */
  rowNumber: number;
}

/** Every line of a file, accounted for. */
export interface RowAccount {
  row: number;
  status: "imported" | "rejected" | "missing";
  /** Observations the row gave (a Eurostat line holds one per year). */
  observations: number;
  /** Why it was rejected, or what was noted (non-integer count, cells marked missing). */
  reason?: string;
}

export interface ParsedFile {
  source: string;
  observations: ObservationInput[];
  rows: RowAccount[];
}

/** A decimal string for a published number, or an error. */
export function parseNumber(raw: string): { value: string; number: number } | { error: string } {
  const t = raw.trim();
  if (t === "") return { error: "the value is empty" };
  if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t))
    return { error: `the value ${JSON.stringify(raw)} is not a number` };
  const n = Number(t);
  if (!Number.isFinite(n)) return { error: `the value ${JSON.stringify(raw)} is not a finite number` };
  if (n < 0) return { error: `the value ${t} is negative` };
  return { value: /e/i.test(t) ? String(n) : t, number: n };
}

export function parseYear(raw: string): number | null {
  const t = raw.trim();
  if (!/^\d{4}$/.test(t)) return null;
  const y = Number(t);
  return y >= 1900 && y <= 2200 ? y : null;
}
