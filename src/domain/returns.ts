/**
 * The national annual return (issue 6, DESIGN.md M10): the statistics focal
 * point opens a year, the node computes the tables from its cases (the counting
 * rules in ./counting.ts), the focal point reviews them, adds notes, answers the
 * questionnaire on legislation and domestic measures, and submits; the return
 * travels to the Secretariat over the federation as SDMX-CSV, signed, and the
 * Secretariat acknowledges. A later submission of the same year is a revision
 * that supersedes the earlier one. No I/O here.
 */
import { z } from "zod";
import { text } from "./schemas.ts";

/** The questionnaire's version: a new version is a new schema, old answers stay readable. */
export const QUESTIONNAIRE_VERSION = 1;

const yesNo = z.enum(["yes", "no", "partly", "unknown"]);

/** ECOSOC 2002/16 §5, 2003/28 §4–6: the legal situation and domestic measures. */
export const questionnaireSchema = z.strictObject({
  /** Kidnapping is a criminal offence covering the minimum elements of the common definition (2002/16 §1). */
  criminalised: yesNo,
  /** The elements the offence covers. */
  elementsCovered: z
    .array(z.enum(["unlawful_detention", "taking_away", "against_will", "ransom_or_gain", "compel_act"]))
    .max(5)
    .default([]),
  legalProvision: text(500).optional(),
  /** Maximum penalty in years of imprisonment (four or more: a serious crime under UNTOC art. 2(b)); 99 for life. */
  maxPenaltyYears: z.number().int().min(0).max(99).nullable().default(null),
  aggravatingCircumstances: z
    .array(
      z.enum([
        "minor_victim",
        "death_or_injury",
        "public_official",
        "organised_group",
        "ransom_paid",
        "other",
      ]),
    )
    .max(6)
    .default([]),
  specialisedUnits: yesNo,
  victimAssistance: yesNo,
  familySupport: yesNo,
  /** Anti-money-laundering measures against ransom proceeds (2004/20 §5). */
  antiMoneyLaunderingRansom: yesNo,
  untocParty: z.enum(["party", "signatory", "no", "unknown"]),
  mlaArrangements: yesNo,
  extraditionArrangements: yesNo,
  comments: text(5000).optional(),
});
export type Questionnaire = z.infer<typeof questionnaireSchema>;

/** UNTOC art. 2(b): a serious crime carries a maximum of at least four years. */
export function isSeriousCrime(q: Pick<Questionnaire, "maxPenaltyYears">): boolean | null {
  return q.maxPenaltyYears === null ? null : q.maxPenaltyYears >= 4;
}

export const RETURN_STATUSES = ["draft", "submitted", "acknowledged", "rejected"] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const openReturnSchema = z.strictObject({
  year: z.number().int().min(1990).max(2200),
});

/** Notes by issue (`<table>|<key…>`) and one for the whole return. */
export const returnNotesSchema = z.strictObject({
  general: text(5000).optional(),
  issues: z.record(text(300, 1), text(2000, 1)).default({}),
});

export const submitReturnSchema = z.strictObject({
  /** Withhold counts below this in what is published (1: none withheld). */
  minCell: z.number().int().min(1).max(100).default(1),
  /** The node's population, for rates and the plausibility check (optional). */
  population: z.number().int().min(1).max(2_000_000_000).optional(),
});

const cellSchema = z.object({ key: z.array(z.string()), value: z.number().nullable() });
export const statTableSchema = z.object({
  id: z.string(),
  title: z.string(),
  measure: z.string(),
  dims: z.array(z.string()),
  total: z.number(),
  cells: z.array(cellSchema),
});

export const validationIssueSchema = z.object({
  /** The note key: `<table>|<key…>`. */
  id: z.string(),
  kind: z.enum(["sum_mismatch", "implausible", "large_change"]),
  table: z.string(),
  key: z.array(z.string()),
  message: z.string(),
  needsNote: z.boolean(),
  severity: z.enum(["error", "warning"]),
  noted: z.boolean(),
});

export const returnSchema = z.object({
  id: z.string(),
  year: z.number(),
  revision: z.number(),
  status: z.enum(RETURN_STATUSES),
  openedAt: z.string(),
  computedAt: z.string(),
  submittedAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgement: z.string().nullable(),
  tables: z.array(statTableSchema),
  issues: z.array(validationIssueSchema),
  notes: z.object({ general: z.string().nullable(), issues: z.record(z.string(), z.string()) }),
  questionnaire: questionnaireSchema.nullable(),
  questionnaireVersion: z.number(),
  minCell: z.number().nullable(),
  /** What keeps it from being submitted now (errors, issues without a note, no questionnaire, no Secretariat peer). */
  blockers: z.array(z.string()),
});
export type ReturnView = z.infer<typeof returnSchema>;

export const issueId = (i: { table: string; key: readonly string[] }) => [i.table, ...i.key].join("|");

/** The messages of a return between a node and the Secretariat. */
export const RETURN_MESSAGE_TYPES = {
  "stats-return": {
    1: z.strictObject({
      returnId: z.uuid(),
      year: z.number().int().min(1990).max(2200),
      revision: z.number().int().min(0),
      /** SDMX-CSV 2.0 of the return's observations (docs/sdmx-dsd.md). */
      sdmxCsv: z.string().min(1).max(2_000_000),
      questionnaireVersion: z.number().int().min(1),
      questionnaire: questionnaireSchema,
      notes: z.object({ general: z.string().max(5000).nullable(), issues: z.record(z.string(), z.string()) }),
    }),
  },
  "stats-ack": {
    1: z.strictObject({
      returnId: z.uuid(),
      revision: z.number().int().min(0),
      status: z.enum(["accepted", "rejected"]),
      observations: z.number().int().min(0),
      reason: text(1000).optional(),
    }),
  },
} as const;

/** The global report as the API gives it (src/engines/statistics/report.ts builds it). */
const rate = z.number().nullable();
/** A region's or subregion's figures by year, with the countries it counts. */
const areaAggregateSchema = z.object({
  name: z.string(),
  region: z.string().optional(),
  countries: z.array(z.string()),
  years: z.array(
    z.object({
      year: z.number(),
      reporting: z.number(),
      expected: z.number(),
      coverage: z.number(),
      totalCount: z.number(),
      medianRate: rate,
      aggregateRate: rate,
    }),
  ),
});
export const globalReportSchema = z.object({
  period: z.object({ from: z.number(), to: z.number() }),
  generatedAt: z.string(),
  years: z.array(
    z.object({
      year: z.number(),
      reportingCountries: z.number(),
      totalCount: z.number(),
      medianRate: rate,
      q1Rate: rate,
      q3Rate: rate,
      iqrRate: rate,
      countriesWithRate: z.number(),
      aggregateRate: rate,
      countriesInAggregateRate: z.number(),
    }),
  ),
  countries: z.array(
    z.object({
      area: z.string(),
      name: z.string(),
      region: z.string(),
      subregion: z.string(),
      series: z.array(
        z.object({
          year: z.number(),
          count: z.number(),
          rate,
          source: z.string(),
          sourceDetail: z.string().nullable(),
          status: z.string(),
          note: z.string().nullable(),
        }),
      ),
    }),
  ),
  regions: z.array(areaAggregateSchema),
  subregions: z.array(areaAggregateSchema),
  disagreements: z.array(
    z.object({
      area: z.string(),
      year: z.number(),
      unit: z.enum(["NR", "P_HTHAB"]),
      values: z.array(z.object({ source: z.string(), value: z.number() })),
      relativeDifference: z.number(),
    }),
  ),
  sources: z.array(z.object({ source: z.string(), observations: z.number(), attribution: z.string() })),
  method: z.array(z.string()),
  breakdowns: z
    .array(
      z.object({
        measure: z.enum(["INCIDENTS", "VICTIMS"]),
        dimension: z.string(),
        year: z.number(),
        categories: z.array(z.object({ category: z.string(), count: z.number() })),
        countries: z.array(z.string()),
      }),
    )
    .default([]),
  legal: z
    .array(
      z.object({
        country: z.string(),
        year: z.number(),
        revision: z.number(),
        criminalised: z.string(),
        maxPenaltyYears: z.number().nullable(),
        seriousCrime: z.boolean().nullable(),
        untocParty: z.string(),
        specialisedUnits: z.string(),
        victimAssistance: z.string(),
        antiMoneyLaunderingRansom: z.string(),
      }),
    )
    .default([]),
});

export const reportQuerySchema = z
  .strictObject({
    from: z.coerce.number().int().min(1990).max(2200),
    to: z.coerce.number().int().min(1990).max(2200),
  })
  .refine((q) => q.from <= q.to, { path: ["from"], message: "must not be after to" });

/** A return received by the Secretariat: its provenance, and the questionnaire (the legal situation). */
export const receivedReturnSchema = z.object({
  messageId: z.string(),
  sender: z.string(),
  returnId: z.string(),
  year: z.number(),
  revision: z.number(),
  receivedAt: z.string(),
  status: z.enum(["accepted", "rejected"]),
  reason: z.string().nullable(),
  observations: z.number(),
  questionnaireVersion: z.number(),
  questionnaire: questionnaireSchema,
  /** UNTOC art. 2(b), from the maximum penalty (null when not given). */
  seriousCrime: z.boolean().nullable(),
});

/** The world choropleth of a year (src/engines/statistics/map.ts): SVG path data per country, its rate and class. */
export const worldMapSchema = z.object({
  year: z.number(),
  width: z.number(),
  height: z.number(),
  breaks: z.array(z.number()),
  areas: z.array(
    z.object({
      area: z.string(),
      name: z.string(),
      d: z.string(),
      rate: z.number().nullable(),
      rateClass: z.number().nullable(),
    }),
  ),
});
