/**
 * Kidnapping cases: the shapes that cross the API (issue 3, DESIGN.md M2).
 * Pure; the server validates with these schemas and the web app can too.
 */
import { z } from "zod";
import { CASE_STATUSES, OUTCOMES } from "./case-lifecycle.ts";
import { CASE_ABILITIES, CASE_ROLES } from "./case-roles.ts";
import { incidentElementsSchema, OPERATIONAL_TYPES } from "./definition.ts";
import {
  countryCode,
  currencyCode,
  isoDate,
  isoDateTime,
  label,
  securityNoticeSchema,
  text,
} from "./schemas.ts";

export { CASE_ROLES, type CaseRole } from "./case-roles.ts";

/** TLP 2.0 and the handling codes of DESIGN.md §4. */
export const TLP = ["clear", "green", "amber", "amber+strict", "red"] as const;
export const HANDLING = ["H0", "H1", "H2", "H3"] as const;

export const placeSchema = z.strictObject({
  country: countryCode,
  /** First-level administrative region, as the node names it. */
  region: text(200).optional(),
  latitude: z
    .number()
    .min(-90, "must be between -90 and 90")
    .max(90, "must be between -90 and 90")
    .optional(),
  longitude: z
    .number()
    .min(-180, "must be between -180 and 180")
    .max(180, "must be between -180 and 180")
    .optional(),
});

export const createCaseSchema = z.strictObject({
  title: label(200, 1),
  occurredAt: isoDateTime.optional(),
  reportedAt: isoDateTime.optional(),
  place: placeSchema,
  elements: incidentElementsSchema,
  tlp: z.enum(TLP).default("amber"),
  handling: z.array(z.enum(HANDLING)).min(1).max(4).default(["H0"]),
});
export type CreateCaseInput = z.output<typeof createCaseSchema>;

export const caseSchema = z.object({
  id: z.uuid(),
  reference: z.string(),
  title: z.string(),
  status: z.enum(CASE_STATUSES),
  outcome: z.enum(OUTCOMES).nullable(),
  occurredAt: z.string().nullable(),
  reportedAt: z.string(),
  place: z.object({
    country: z.string(),
    region: z.string().nullable(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
  }),
  elements: z.record(z.string(), z.unknown()),
  classification: z.object({
    iccs: z.string().nullable(),
    kidnapping: z.boolean(),
    type: z.enum(OPERATIONAL_TYPES),
    reasons: z.array(z.string()),
  }),
  tlp: z.enum(TLP),
  handling: z.array(z.enum(HANDLING)),
  myRole: z.enum(CASE_ROLES),
  /** What the caller may do on this case (the case-role table): the web app shows, it never decides. */
  abilities: z.array(z.enum(CASE_ABILITIES)),
  /** For the lead, on the one case: recent resets, grants and tokens made to team members' accounts by others. */
  securityNotices: z.array(securityNoticeSchema).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CaseView = z.infer<typeof caseSchema>;

/** Filters on a case's own fields, for the case list and search. */
export const caseFiltersShape = {
  status: z.enum(CASE_STATUSES).optional(),
  type: z.enum(OPERATIONAL_TYPES).optional(),
  iccs: z.enum(["020221", "020222", "02021"]).optional(),
  country: countryCode.optional(),
  region: text(200, 1).optional(),
  /** Reported on or after this day (UTC). */
  from: isoDate.optional(),
  /** Reported on or before this day (UTC). */
  to: isoDate.optional(),
};
export const fromNotAfterTo: [
  (f: { from?: string | undefined; to?: string | undefined }) => boolean,
  { message: string; path: string[] },
] = [(f) => !f.from || !f.to || f.from <= f.to, { message: "must not be after to", path: ["from"] }];

export const transitionSchema = z.strictObject({
  to: z.enum(CASE_STATUSES),
  outcome: z.enum(OUTCOMES).optional(),
  reason: text(2000).optional(),
});

export const teamMemberSchema = z.object({
  userId: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  caseRole: z.enum(CASE_ROLES),
  addedAt: z.string(),
});

export const setTeamMemberSchema = z.strictObject({ caseRole: z.enum(CASE_ROLES) });

/** The crisis log: what happened while a person was held, in the order it was recorded. */
export const CRISIS_LOG_KINDS = [
  "contact",
  "demand",
  "proof_of_life",
  "decision",
  "intelligence",
  "action",
  "note",
] as const;

export const CONTACT_CHANNELS = ["phone", "message", "email", "in_person", "social_media", "other"] as const;
export const CONTACT_DIRECTIONS = ["incoming", "outgoing"] as const;

const summary = text(10_000, 1);
export const crisisLogContentSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("contact"),
    channel: z.enum(CONTACT_CHANNELS),
    direction: z.enum(CONTACT_DIRECTIONS),
    summary,
  }),
  z.strictObject({
    kind: z.literal("demand"),
    summary,
    amount: z
      .strictObject({
        value: z.number().nonnegative("must not be negative"),
        currency: currencyCode,
      })
      .optional(),
  }),
  z.strictObject({ kind: z.literal("proof_of_life"), summary, verified: z.boolean() }),
  z.strictObject({
    kind: z.literal("decision"),
    decision: summary,
    rationale: text(10_000, 1),
    /** Who took the decision (may differ from who records it). */
    decidedBy: text(200, 1),
  }),
  z.strictObject({ kind: z.literal("intelligence"), summary, source: text(500).optional() }),
  z.strictObject({ kind: z.literal("action"), summary }),
  z.strictObject({ kind: z.literal("note"), summary }),
]);

export const appendCrisisLogSchema = z.strictObject({
  /** When it happened (default: now). */
  occurredAt: isoDateTime.optional(),
  entry: crisisLogContentSchema,
  /** The entry this one corrects: entries are never edited, a correction is a new entry. */
  corrects: z.number().int().positive().optional(),
});

export const crisisLogEntrySchema = z.object({
  id: z.number().int(),
  seq: z.number().int(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  authorId: z.string(),
  authorLabel: z.string(),
  entry: z.record(z.string(), z.unknown()),
  corrects: z.number().int().nullable(),
  hash: z.string(),
});

/** The people of a case. Names keep every variant and script they were recorded in. */
export const PERSON_ROLES = ["victim", "suspect", "family_contact", "witness", "negotiator"] as const;
export const SCRIPTS = ["latin", "arabic", "cyrillic", "han", "other"] as const;

export const personInputSchema = z
  .strictObject({
    role: z.enum(PERSON_ROLES),
    names: z
      .array(
        z
          .strictObject({
            given: label(200).optional(),
            family: label(200).optional(),
            script: z.enum(SCRIPTS).default("latin"),
          })
          .refine((n) => Boolean(n.given?.trim() || n.family?.trim()), "needs a given or a family name"),
      )
      .min(1, "must hold at least one name")
      .max(20),
    dateOfBirth: isoDate.optional(),
    ageRange: z
      .strictObject({ min: z.number().int().min(0).max(130), max: z.number().int().min(0).max(130) })
      .refine((a) => a.min <= a.max, "min must not exceed max")
      .optional(),
    sex: z.enum(["female", "male", "other", "unknown"]).default("unknown"),
    nationalities: z.array(countryCode).max(10).default([]),
    documents: z
      .array(
        z.strictObject({
          type: z.enum(["passport", "national_id", "driving_licence", "residence_permit", "other"]),
          country: countryCode,
          number: label(50, 1),
        }),
      )
      .max(20)
      .default([]),
    /** Normalised to E.164 by the server; a national number needs its ISO 3166-1 alpha-2 region. */
    phones: z
      .array(
        z.strictObject({
          number: text(50, 1),
          region: z
            .string()
            .regex(/^[A-Za-z]{2}$/, "must be an ISO 3166-1 alpha-2 code")
            .optional(),
        }),
      )
      .max(20)
      .default([]),
    /** Checked and normalised by the server. */
    ibans: z.array(text(50, 1)).max(20).default([]),
    addresses: z.array(text(500, 1)).max(10).default([]),
  })
  .refine((p) => !(p.dateOfBirth && p.ageRange), {
    message: "give a date of birth or an age range, not both",
    path: ["ageRange"],
  });
export type PersonInput = z.output<typeof personInputSchema>;

export const personSchema = z.object({
  id: z.uuid(),
  role: z.enum(PERSON_ROLES),
  displayName: z.string(),
  names: z.array(
    z.object({ given: z.string().optional(), family: z.string().optional(), script: z.enum(SCRIPTS) }),
  ),
  dateOfBirth: z.string().nullable(),
  ageRange: z.object({ min: z.number(), max: z.number() }).nullable(),
  sex: z.string(),
  nationalities: z.array(z.string()),
  documents: z.array(z.object({ type: z.string(), country: z.string(), number: z.string() })),
  phones: z.array(z.string()),
  ibans: z.array(z.string()),
  addresses: z.array(z.string()),
  createdAt: z.string(),
});
export type PersonView = z.infer<typeof personSchema>;
