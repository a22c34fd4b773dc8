/**
 * The other records of a case (issue 3, DESIGN.md M2, M3): organised groups,
 * vehicles, selectors (phones, bank accounts, crypto wallets), attachments,
 * rescue operations and the prosecution (charges). Pure shapes shared by the
 * server (validation, OpenAPI) and the web app.
 */
import { z } from "zod";
import { countryCode, currencyCode, isoDate, isoDateTime, label, text } from "./schemas.ts";

const count = z.number().int("must be a whole number").min(0, "must not be negative").max(100_000);
const money = z.strictObject({
  value: z.number().nonnegative("must not be negative").max(1e15, "is implausibly large"),
  currency: currencyCode,
});

// ---- Organised groups ------------------------------------------------------------------------

export const groupInputSchema = z.strictObject({
  name: label(200, 1),
  aliases: z.array(label(200, 1)).max(20).default([]),
  /** Where the group operates. */
  countries: z.array(countryCode).max(20).default([]),
  description: text(5000).optional(),
});
export type GroupInput = z.output<typeof groupInputSchema>;

export const groupSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  aliases: z.array(z.string()),
  countries: z.array(z.string()),
  description: z.string().nullable(),
  createdAt: z.string(),
});
export type GroupView = z.infer<typeof groupSchema>;

// ---- Vehicles ------------------------------------------------------------------------------------

export const VEHICLE_USES = [
  "abduction",
  "captivity",
  "ransom_collection",
  "escape",
  "surveillance",
  "other",
] as const;

export const vehicleInputSchema = z
  .strictObject({
    /** As read; the server keeps a normalised form (upper case, no spaces or dashes) for search. */
    plate: text(20, 1).optional(),
    plateCountry: countryCode.optional(),
    make: text(100, 1).optional(),
    model: text(100, 1).optional(),
    colour: text(50, 1).optional(),
    use: z.enum(VEHICLE_USES).default("other"),
    description: text(2000).optional(),
  })
  .refine((v) => Boolean(v.plate || v.make || v.description), {
    message: "describe the vehicle: a plate, a make or a description",
    path: ["plate"],
  })
  .refine((v) => !v.plateCountry || v.plate, {
    message: "a plate country needs a plate",
    path: ["plateCountry"],
  });
export type VehicleInput = z.output<typeof vehicleInputSchema>;

export const vehicleSchema = z.object({
  id: z.uuid(),
  plate: z.string().nullable(),
  plateNormalised: z.string().nullable(),
  plateCountry: z.string().nullable(),
  make: z.string().nullable(),
  model: z.string().nullable(),
  colour: z.string().nullable(),
  use: z.enum(VEHICLE_USES),
  description: z.string().nullable(),
  createdAt: z.string(),
});
export type VehicleView = z.infer<typeof vehicleSchema>;

// ---- Selectors -------------------------------------------------------------------------------------

export const SELECTOR_KINDS = ["phone", "iban", "crypto_wallet"] as const;
export type SelectorKind = (typeof SELECTOR_KINDS)[number];
/** Assets whose addresses the node checks; `other` is kept as typed, after a character check. */
export const CRYPTO_ASSETS = ["BTC", "ETH", "USDT_ERC20", "other"] as const;

const selectorCommon = {
  /** The person of the case this selector belongs to, if known. */
  personId: z.uuid("must be a UUID").optional(),
  note: text(1000).optional(),
};

export const selectorInputSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("phone"),
    value: text(50, 1),
    /** ISO 3166-1 alpha-2 region for a number written in national form. */
    region: z
      .string()
      .regex(/^[A-Za-z]{2}$/, "must be an ISO 3166-1 alpha-2 code")
      .optional(),
    ...selectorCommon,
  }),
  z.strictObject({ kind: z.literal("iban"), value: text(50, 1), ...selectorCommon }),
  z.strictObject({
    kind: z.literal("crypto_wallet"),
    asset: z.enum(CRYPTO_ASSETS),
    value: text(120, 1),
    ...selectorCommon,
  }),
]);
export type SelectorInput = z.output<typeof selectorInputSchema>;

export const selectorSchema = z.object({
  id: z.uuid(),
  kind: z.enum(SELECTOR_KINDS),
  /** The normalised value: E.164, electronic IBAN, or the address (EIP-55 checksummed for Ethereum). */
  value: z.string(),
  asset: z.enum(CRYPTO_ASSETS).nullable(),
  personId: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type SelectorView = z.infer<typeof selectorSchema>;

// ---- Attachments ----------------------------------------------------------------------------------

export const attachmentQuerySchema = z.strictObject({
  filename: label(255, 1).refine(
    (s) => !/[/\\]/.test(s) && ![...s].some((ch) => ch.charCodeAt(0) < 0x20),
    "must be a file name without a path or control characters",
  ),
  description: text(2000).optional(),
});

export const attachmentSchema = z.object({
  id: z.uuid(),
  filename: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  /** Hex SHA-256 of the content, computed by the node on arrival. */
  sha256: z.string(),
  description: z.string().nullable(),
  /** Where the content is kept: in the node's own database, with its backups. */
  storage: z.literal("database"),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
export type AttachmentView = z.infer<typeof attachmentSchema>;

// ---- Rescue operations ------------------------------------------------------------------------------

export const RESCUE_RESULTS = ["victims_freed", "partial", "failed", "aborted"] as const;

export const rescueInputSchema = z
  .strictObject({
    startedAt: isoDateTime,
    endedAt: isoDateTime.optional(),
    /** The unit that carried it out. */
    unit: text(200, 1),
    place: text(500).optional(),
    result: z.enum(RESCUE_RESULTS),
    victimsFreed: count.default(0),
    suspectsArrested: count.default(0),
    casualties: z
      .strictObject({ victims: count.default(0), officers: count.default(0), suspects: count.default(0) })
      .default({ victims: 0, officers: 0, suspects: 0 }),
    summary: text(10_000, 1),
  })
  .refine((r) => !r.endedAt || new Date(r.endedAt) >= new Date(r.startedAt), {
    message: "must not be before startedAt",
    path: ["endedAt"],
  })
  .refine((r) => r.result !== "victims_freed" || r.victimsFreed > 0, {
    message: "a rescue that freed the victims frees at least one",
    path: ["victimsFreed"],
  });
export type RescueInput = z.output<typeof rescueInputSchema>;

export const rescueSchema = z.object({
  id: z.uuid(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  unit: z.string(),
  place: z.string().nullable(),
  result: z.enum(RESCUE_RESULTS),
  victimsFreed: z.number().int(),
  suspectsArrested: z.number().int(),
  casualties: z.object({ victims: z.number(), officers: z.number(), suspects: z.number() }),
  summary: z.string(),
  createdAt: z.string(),
});
export type RescueView = z.infer<typeof rescueSchema>;

// ---- Prosecution -------------------------------------------------------------------------------------

/** Where a charge stands in the proceedings. */
export const PROSECUTION_STAGES = ["charged", "indicted", "trial", "judgment", "appeal", "final"] as const;
export const VERDICTS = ["convicted", "acquitted", "dismissed", "other"] as const;
export const APPEALS = ["none", "lodged", "upheld", "overturned", "modified"] as const;
/** Stages at which a verdict exists. */
const JUDGED: ReadonlySet<string> = new Set(["judgment", "appeal", "final"]);

export const chargeInputSchema = z
  .strictObject({
    /** The accused: a person of the case (usually recorded as a suspect). */
    personId: z.uuid("must be a UUID").optional(),
    offence: text(500, 1),
    /** The legal provision, e.g. "Código Penal art. 169". */
    legalProvision: text(300, 1),
    court: text(300).optional(),
    courtCaseNumber: text(100).optional(),
    stage: z.enum(PROSECUTION_STAGES).default("charged"),
    verdict: z.enum(VERDICTS).optional(),
    verdictDate: isoDate.optional(),
    sentence: z
      .strictObject({
        custodialMonths: z.number().int("must be a whole number of months").min(0).max(1200).optional(),
        life: z.boolean().optional(),
        fine: money.optional(),
        text: text(1000).optional(),
      })
      .optional(),
    appeal: z.enum(APPEALS).default("none"),
  })
  .refine((c) => !c.verdict || JUDGED.has(c.stage), {
    message: "a verdict needs the stage judgment, appeal or final",
    path: ["verdict"],
  })
  .refine((c) => !(JUDGED.has(c.stage) && !c.verdict), {
    message: "is required once the charge has reached judgment",
    path: ["verdict"],
  })
  .refine((c) => !c.sentence || c.verdict === "convicted", {
    message: "only a conviction carries a sentence",
    path: ["sentence"],
  })
  .refine((c) => !c.verdictDate || c.verdict, { message: "needs a verdict", path: ["verdictDate"] })
  .refine((c) => c.appeal === "none" || c.verdict, {
    message: "an appeal follows a verdict",
    path: ["appeal"],
  })
  .refine((c) => !(c.sentence?.life && c.sentence.custodialMonths !== undefined), {
    message: "give a life sentence or a number of months, not both",
    path: ["sentence", "custodialMonths"],
  });
export type ChargeInput = z.output<typeof chargeInputSchema>;

export const chargeSchema = z.object({
  id: z.uuid(),
  personId: z.string().nullable(),
  offence: z.string(),
  legalProvision: z.string(),
  court: z.string().nullable(),
  courtCaseNumber: z.string().nullable(),
  stage: z.enum(PROSECUTION_STAGES),
  verdict: z.enum(VERDICTS).nullable(),
  verdictDate: z.string().nullable(),
  sentence: z
    .object({
      custodialMonths: z.number().optional(),
      life: z.boolean().optional(),
      fine: z.object({ value: z.number(), currency: z.string() }).optional(),
      text: z.string().optional(),
    })
    .nullable(),
  appeal: z.enum(APPEALS),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ChargeView = z.infer<typeof chargeSchema>;

/** A vehicle plate as a search key: letters and digits only, upper case. */
export function normalisePlate(raw: string): string {
  return raw
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
}
