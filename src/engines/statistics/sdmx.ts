/**
 * SDMX for kidnapping statistics (issue 6): writer and reader of SDMX-CSV 2.0
 * and of the SDMX-JSON 2.0 data message, for the data structure definition
 * documented in docs/sdmx-dsd.md (UNODC:DSD_KIDNAPPING(1.0), dataflow
 * UNODC:DF_KIDNAPPING(1.0)). No SDMX library: the messages are flat
 * observation lists (all dimensions at the observation level).
 */
import { parse } from "csv-parse/sync";
import {
  type AgeGroup,
  compareKeys,
  type Dim,
  type NationalReturn,
  type StatTable,
  TABLE_SPECS,
} from "../../domain/counting.ts";
import type { GlobalReport } from "./report.ts";

export const AGENCY = "UNODC";
export const DATAFLOW = "UNODC:DF_KIDNAPPING(1.0)";
export const DSD_URN = "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=UNODC:DSD_KIDNAPPING(1.0)";

/** The dimensions, in key order. TIME_PERIOD is the time dimension. */
export const DIMENSIONS = [
  "REF_AREA",
  "TIME_PERIOD",
  "MEASURE",
  "UNIT_MEASURE",
  "ICCS",
  "TYPE",
  "OUTCOME",
  "SEX",
  "AGE",
  "CITIZENSHIP",
  "REGION",
] as const;
export type SdmxDimension = (typeof DIMENSIONS)[number];
/** The attributes, all at the observation level. */
export const ATTRIBUTES = [
  "OBS_STATUS",
  "CONF_STATUS",
  "SOURCE",
  "SUBMISSION_ID",
  "REVISION",
  "REGION_NAME",
  "COMMENT",
] as const;
export type SdmxAttribute = (typeof ATTRIBUTES)[number];

export interface SdmxObservation {
  dims: Record<SdmxDimension, string>;
  /** Null when withheld (CONF_STATUS C) or missing. */
  value: number | null;
  attrs: Partial<Record<SdmxAttribute, string>>;
}

export const TOTAL = "_T";

// ---- Code lists ---------------------------------------------------------------------------------

const AGE_CODES: Record<AgeGroup, string> = {
  "0-14": "Y0T14",
  "15-17": "Y15T17",
  "18-29": "Y18T29",
  "30-44": "Y30T44",
  "45-59": "Y45T59",
  "60+": "Y_GE60",
  unknown: "_U",
};
const SEX_CODES: Record<string, string> = { female: "F", male: "M", other: "O", unknown: "_U" };
const CITIZENSHIP_CODES: Record<string, string> = { national: "NAT", foreign: "FOR", unknown: "_U" };
const invert = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k]));
const AGE_BACK = invert(AGE_CODES);
const SEX_BACK = invert(SEX_CODES);
const CITIZENSHIP_BACK = invert(CITIZENSHIP_CODES);

/** An SDMX id for a first-level region name: ASCII upper case, anything else `_`. */
export function regionId(name: string): string {
  if (name === "unknown") return "_U";
  if (name === "abroad") return "_X";
  return (
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "") || "_U"
  );
}

const DIM_OF: Record<Exclude<Dim, "RANSOM" | "CURRENCY" | "STAGE">, SdmxDimension> = {
  ICCS: "ICCS",
  TYPE: "TYPE",
  OUTCOME: "OUTCOME",
  REGION: "REGION",
  SEX: "SEX",
  AGE: "AGE",
  CITIZENSHIP: "CITIZENSHIP",
};

function encode(dim: Dim, value: string): string {
  switch (dim) {
    case "ICCS":
      return value === "none" ? "_Z" : value;
    case "TYPE":
    case "OUTCOME":
      return value.toUpperCase();
    case "SEX":
      return SEX_CODES[value] ?? "_U";
    case "AGE":
      return AGE_CODES[value as AgeGroup] ?? "_U";
    case "CITIZENSHIP":
      return CITIZENSHIP_CODES[value] ?? "_U";
    case "REGION":
      return regionId(value);
    default:
      return value;
  }
}

function decode(dim: Dim, code: string, obs: SdmxObservation): string {
  switch (dim) {
    case "ICCS":
      return code === "_Z" ? "none" : code;
    case "TYPE":
    case "OUTCOME":
      return code.toLowerCase();
    case "SEX":
      return SEX_BACK[code] ?? "unknown";
    case "AGE":
      return AGE_BACK[code] ?? "unknown";
    case "CITIZENSHIP":
      return CITIZENSHIP_BACK[code] ?? "unknown";
    case "REGION":
      return code === "_U" ? "unknown" : code === "_X" ? "abroad" : (obs.attrs.REGION_NAME ?? code);
    default:
      return code;
  }
}

const MEASURE_OF: Record<string, string> = { incidents: "INCIDENTS", victims: "VICTIMS" };
const STAGE_MEASURE: Record<string, string> = {
  arrested: "PERSONS_ARRESTED",
  prosecuted: "PERSONS_PROSECUTED",
  convicted: "PERSONS_CONVICTED",
};
const RANSOM_MEASURE: Record<string, string> = {
  demanded: "INCIDENTS_RANSOM_DEMANDED",
  paid: "INCIDENTS_RANSOM_PAID",
};

function blankDims(area: string, year: number): Record<SdmxDimension, string> {
  return {
    REF_AREA: area,
    TIME_PERIOD: String(year),
    MEASURE: TOTAL,
    UNIT_MEASURE: "NR",
    ICCS: TOTAL,
    TYPE: TOTAL,
    OUTCOME: TOTAL,
    SEX: TOTAL,
    AGE: TOTAL,
    CITIZENSHIP: TOTAL,
    REGION: TOTAL,
  };
}

// ---- The global report as observations ------------------------------------------------------------

/**
 * The figures the global report chose, one country and year at a time: the count of
 * kidnapping offences (ICCS 020221) and, where there is one, the rate per 100,000, with
 * the source, the status and the note. Re-importable as SDMX-CSV.
 */
export function reportToObservations(r: GlobalReport): SdmxObservation[] {
  const out: SdmxObservation[] = [];
  for (const c of r.countries) {
    for (const y of c.series) {
      const attrs: Partial<Record<SdmxAttribute, string>> = {
        OBS_STATUS: y.status || "A",
        SOURCE: y.source,
        ...(y.note ? { COMMENT: y.note } : {}),
      };
      const dims = { ...blankDims(c.area, y.year), MEASURE: "OFFENCES", ICCS: "020221" };
      out.push({ dims, value: y.count, attrs });
      if (y.rate !== null) out.push({ dims: { ...dims, UNIT_MEASURE: "P_HTHAB" }, value: y.rate, attrs });
    }
  }
  return out;
}

// ---- A national return as observations, and back ------------------------------------------------

export interface Provenance {
  source?: string;
  submissionId?: string;
  revision?: number;
}

/** One observation per cell of the return, plus the totals of incidents and victims. */
export function returnToObservations(r: NationalReturn, p: Provenance = {}): SdmxObservation[] {
  const base: Partial<Record<SdmxAttribute, string>> = {
    ...(p.source ? { SOURCE: p.source } : {}),
    ...(p.submissionId ? { SUBMISSION_ID: p.submissionId } : {}),
    ...(p.revision !== undefined ? { REVISION: String(p.revision) } : {}),
  };
  const out: SdmxObservation[] = [];
  const push = (dims: Record<SdmxDimension, string>, value: number | null, extra = {}) =>
    out.push({
      dims,
      value,
      attrs: {
        OBS_STATUS: value === null ? "M" : "A",
        CONF_STATUS: value === null ? "C" : "F",
        ...base,
        ...extra,
      },
    });
  for (const measure of ["incidents", "victims"] as const) {
    const t = r.tables.find((x) => x.measure === measure);
    if (t) push({ ...blankDims(r.country, r.year), MEASURE: MEASURE_OF[measure] ?? "" }, t.total);
  }
  for (const t of r.tables) {
    for (const c of t.cells) {
      const dims = blankDims(r.country, r.year);
      const extra: Partial<Record<SdmxAttribute, string>> = {};
      if (t.id === "incidents_by_ransom") dims.MEASURE = RANSOM_MEASURE[c.key[0] ?? ""] ?? "";
      else if (t.id === "persons_by_stage") dims.MEASURE = STAGE_MEASURE[c.key[0] ?? ""] ?? "";
      else if (t.id === "ransom_amount_demanded") {
        dims.MEASURE = "RANSOM_DEMANDED";
        dims.UNIT_MEASURE = c.key[0] ?? "";
      } else {
        dims.MEASURE = MEASURE_OF[t.measure] ?? "";
        t.dims.forEach((d, i) => {
          const value = c.key[i] ?? "";
          dims[DIM_OF[d as keyof typeof DIM_OF]] = encode(d, value);
          if (d === "REGION" && value !== "unknown" && value !== "abroad") extra.REGION_NAME = value;
        });
      }
      push(dims, c.value, extra);
    }
  }
  return out;
}

/** Rebuilds the return's tables from its observations (the inverse of `returnToObservations`). */
export function observationsToReturn(obs: readonly SdmxObservation[]): NationalReturn {
  const first = obs[0];
  if (!first) throw new Error("no observations");
  const country = first.dims.REF_AREA;
  const year = Number(first.dims.TIME_PERIOD);
  const totalOf = (measure: string) =>
    obs.find(
      (o) =>
        o.dims.MEASURE === measure &&
        DIMENSIONS.slice(4).every((d) => o.dims[d] === TOTAL) &&
        o.dims.UNIT_MEASURE === "NR",
    )?.value ?? 0;
  const tables: StatTable[] = TABLE_SPECS.map((s) => {
    let cells: StatTable["cells"] = [];
    if (s.id === "incidents_by_ransom")
      cells = Object.entries(RANSOM_MEASURE).flatMap(([k, m]) =>
        obs.filter((o) => o.dims.MEASURE === m).map((o) => ({ key: [k], value: o.value })),
      );
    else if (s.id === "persons_by_stage")
      cells = Object.entries(STAGE_MEASURE).flatMap(([k, m]) =>
        obs.filter((o) => o.dims.MEASURE === m).map((o) => ({ key: [k], value: o.value })),
      );
    else if (s.id === "ransom_amount_demanded")
      cells = obs
        .filter((o) => o.dims.MEASURE === "RANSOM_DEMANDED")
        .map((o) => ({ key: [o.dims.UNIT_MEASURE], value: o.value }));
    else {
      const wanted = new Set(s.dims.map((d) => DIM_OF[d as keyof typeof DIM_OF]));
      cells = obs
        .filter(
          (o) =>
            o.dims.MEASURE === MEASURE_OF[s.measure] &&
            o.dims.UNIT_MEASURE === "NR" &&
            DIMENSIONS.slice(4).every((d) => wanted.has(d) === (o.dims[d] !== TOTAL)),
        )
        .map((o) => ({
          key: s.dims.map((d) => decode(d, o.dims[DIM_OF[d as keyof typeof DIM_OF]], o)),
          value: o.value,
        }));
    }
    cells.sort((a, b) => compareKeys(a.key, b.key));
    const sum = cells.reduce((a, c) => a + (c.value ?? 0), 0);
    const total =
      s.measure === "incidents" || s.id === "incidents_by_ransom"
        ? totalOf("INCIDENTS")
        : s.measure === "victims"
          ? totalOf("VICTIMS")
          : sum;
    return { ...s, dims: [...s.dims], total, cells };
  });
  return { country, year, tables };
}

// ---- SDMX-CSV 2.0 --------------------------------------------------------------------------------

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const formatValue = (v: number | null) => (v === null ? "" : String(v));

/** SDMX-CSV 2.0: one header line, then one line per observation (ACTION I: information). */
export function writeSdmxCsv(obs: readonly SdmxObservation[]): string {
  const header = ["STRUCTURE", "STRUCTURE_ID", "ACTION", ...DIMENSIONS, "OBS_VALUE", ...ATTRIBUTES];
  const lines = [header.join(",")];
  for (const o of obs)
    lines.push(
      [
        "dataflow",
        DATAFLOW,
        "I",
        ...DIMENSIONS.map((d) => o.dims[d]),
        formatValue(o.value),
        ...ATTRIBUTES.map((a) => o.attrs[a] ?? ""),
      ]
        .map(csvField)
        .join(","),
    );
  return `${lines.join("\n")}\n`;
}

export interface SdmxCsvRow {
  /** The line in the file (1 is the header). */
  line: number;
  observation?: SdmxObservation;
  error?: string;
}

/**
 * Reads SDMX-CSV 2.0 (and 1.0, whose first column is DATAFLOW). Dimensions
 * missing from the file default to `_T`; columns that are neither dimensions,
 * OBS_VALUE nor known attributes are ignored. A line that cannot be read is
 * returned with its error, not thrown.
 */
export function readSdmxCsv(text: string): SdmxCsvRow[] {
  const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  const header = (records[0] ?? []).map((h) => h.trim().split(":")[0]?.trim() ?? "");
  if (!header.includes("OBS_VALUE") || !header.includes("REF_AREA") || !header.includes("TIME_PERIOD"))
    throw new Error("not SDMX-CSV: the header needs REF_AREA, TIME_PERIOD and OBS_VALUE");
  const col = (name: string) => header.indexOf(name);
  const out: SdmxCsvRow[] = [];
  records.slice(1).forEach((rec, i) => {
    const line = i + 2;
    if (rec.length !== header.length) {
      out.push({ line, error: `${rec.length} fields where the header has ${header.length}` });
      return;
    }
    const get = (name: string) => {
      const c = col(name);
      // "ID: label" (SDMX-CSV labels=both): keep the id.
      return c < 0 ? undefined : (rec[c] ?? "").split(": ")[0]?.trim();
    };
    const action = get("ACTION");
    if (action && action !== "I" && action !== "A" && action !== "R") {
      out.push({ line, error: `action ${action} is not imported (only I, A and R)` });
      return;
    }
    const dims = blankDims("", 0);
    for (const d of DIMENSIONS) {
      const v = get(d);
      if (v !== undefined && v !== "") dims[d] = v;
      else if (d === "REF_AREA" || d === "TIME_PERIOD") {
        out.push({ line, error: `${d} is empty` });
        return;
      }
    }
    const raw = get("OBS_VALUE") ?? "";
    const value = raw === "" || raw === "NaN" ? null : Number(raw);
    if (value !== null && !Number.isFinite(value)) {
      out.push({ line, error: `OBS_VALUE ${JSON.stringify(raw)} is not a number` });
      return;
    }
    const attrs: SdmxObservation["attrs"] = {};
    for (const a of ATTRIBUTES) {
      const c = col(a);
      const v = c < 0 ? "" : (rec[c] ?? "");
      if (v !== "") attrs[a] = v;
    }
    out.push({ line, observation: { dims, value, attrs } });
  });
  return out;
}

// ---- SDMX-JSON 2.0 (data message) -----------------------------------------------------------

export interface SdmxJsonMessage {
  meta: Record<string, unknown>;
  data: {
    structures: {
      structure: string;
      dimensions: {
        dataSet: unknown[];
        series: unknown[];
        observation: { id: string; keyPosition: number; values: { id: string }[] }[];
      };
      attributes: {
        dataSet: unknown[];
        series: unknown[];
        observation: { id: string; values: { id: string }[] }[];
      };
      measures: { observation: { id: string }[] };
    }[];
    dataSets: { structure: number; action: string; observations: Record<string, (number | null)[]> }[];
  };
}

/** An SDMX-JSON 2.0 data message with every dimension at the observation level. */
export function writeSdmxJson(
  obs: readonly SdmxObservation[],
  meta: { id?: string; sender?: string; prepared?: string } = {},
): SdmxJsonMessage {
  const dimValues = DIMENSIONS.map(() => [] as string[]);
  const attrValues = ATTRIBUTES.map(() => [] as string[]);
  const indexOf = (list: string[], v: string) => {
    let i = list.indexOf(v);
    if (i < 0) i = list.push(v) - 1;
    return i;
  };
  const observations: Record<string, (number | null)[]> = {};
  for (const o of obs) {
    const key = DIMENSIONS.map((d, i) => indexOf(dimValues[i] as string[], o.dims[d])).join(":");
    const attrs = ATTRIBUTES.map((a, i) => {
      const v = o.attrs[a];
      return v === undefined ? null : indexOf(attrValues[i] as string[], v);
    });
    observations[key] = [o.value, ...attrs];
  }
  return {
    meta: {
      schema:
        "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/2.0.0/sdmx-json-data-schema.json",
      id: meta.id ?? `ARIADNE-${Date.now()}`,
      test: false,
      prepared: meta.prepared ?? new Date().toISOString(),
      contentLanguages: ["en"],
      sender: { id: meta.sender ?? AGENCY },
    },
    data: {
      structures: [
        {
          structure: DSD_URN,
          dimensions: {
            dataSet: [],
            series: [],
            observation: DIMENSIONS.map((id, keyPosition) => ({
              id,
              keyPosition,
              ...(id === "TIME_PERIOD" ? { roles: ["TIME_PERIOD"] } : {}),
              values: (dimValues[keyPosition] as string[]).map((v) => ({ id: v })),
            })),
          },
          attributes: {
            dataSet: [],
            series: [],
            observation: ATTRIBUTES.map((id, i) => ({
              id,
              values: (attrValues[i] as string[]).map((v) => ({ id: v })),
            })),
          },
          measures: { observation: [{ id: "OBS_VALUE" }] },
        },
      ],
      dataSets: [{ structure: 0, action: "Information", observations }],
    },
  };
}

/** Reads an SDMX-JSON 2.0 data message written with every dimension at the observation level. */
export function readSdmxJson(message: unknown): SdmxObservation[] {
  const m = message as SdmxJsonMessage;
  const structure = m?.data?.structures?.[0];
  const dataSet = m?.data?.dataSets?.[0];
  if (!structure || !dataSet) throw new Error("not an SDMX-JSON data message: no structure or data set");
  const dims = [...structure.dimensions.observation].sort((a, b) => a.keyPosition - b.keyPosition);
  const attrs = structure.attributes.observation;
  const out: SdmxObservation[] = [];
  for (const [key, values] of Object.entries(dataSet.observations)) {
    const idx = key.split(":").map(Number);
    const d = blankDims("", 0);
    dims.forEach((dim, i) => {
      const v = dim.values[idx[i] ?? -1]?.id;
      if (v === undefined) throw new Error(`observation ${key}: no value ${idx[i]} for ${dim.id}`);
      if ((DIMENSIONS as readonly string[]).includes(dim.id)) d[dim.id as SdmxDimension] = v;
    });
    const a: SdmxObservation["attrs"] = {};
    attrs.forEach((attr, i) => {
      const vi = values[i + 1];
      if (vi !== null && vi !== undefined && (ATTRIBUTES as readonly string[]).includes(attr.id)) {
        const v = attr.values[vi]?.id;
        if (v !== undefined) a[attr.id as SdmxAttribute] = v;
      }
    });
    const v = values[0];
    out.push({ dims: d, value: v === null || v === undefined ? null : Number(v), attrs: a });
  }
  return out;
}
