/**
 * Cross-border hit/no-hit (issue 5), the shared definitions: what an
 * investigator asks (items of a case, the peers, the stated purpose and legal
 * basis), the messages that carry only pseudonyms and encodings, the answers
 * (no-hit, or hits as references and scores), and the follow-up a user of the
 * answering node approves or refuses. No I/O.
 */
import { z } from "zod";
import { nodeIdSchema, text } from "./schemas.ts";

/** What a query may carry: exact selectors by type, and persons. */
export const HIT_SELECTOR_TYPES = ["phone", "iban", "bic", "wallet", "document", "plate", "email"] as const;
export type HitSelectorType = (typeof HIT_SELECTOR_TYPES)[number];
export const HIT_ITEM_TYPES = [...HIT_SELECTOR_TYPES, "person"] as const;
export type HitItemType = (typeof HIT_ITEM_TYPES)[number];

/** Most items one query carries, and most persons among them. */
export const MAX_HIT_ITEMS = 50;
export const MAX_HIT_PERSONS = 20;

/** The investigator's question: items of the case (by key, see `askableItems`), the peers, why and under which law. */
export const createHitQuerySchema = z.strictObject({
  items: z.array(text(200, 1)).min(1).max(MAX_HIT_ITEMS),
  peers: z.union([z.array(nodeIdSchema).min(1).max(200), z.literal("all")]),
  purpose: text(500, 1),
  legalBasis: text(500, 1),
});
export type CreateHitQueryInput = z.infer<typeof createHitQuerySchema>;

/** An item of a case that can be asked about, as its team sees it (the label never leaves the node). */
export const askableItemSchema = z.object({
  key: z.string(),
  type: z.enum(HIT_ITEM_TYPES),
  label: z.string(),
  /** The role in the case of the person it is, or belongs to (victim, suspect…). */
  role: z.string().nullable(),
  /** Why it cannot be asked about (a person too thinly described), or null. */
  refusal: z.string().nullable(),
});
export type AskableItem = z.infer<typeof askableItemSchema>;

/**
 * A person is asked about only with enough to tell them apart: a given name and a
 * family name, or one name and a full date of birth — never a bare surname.
 */
export function personQueryRefusal(p: {
  given: string[];
  family: string[];
  dateOfBirth: string | null;
}): string | null {
  const given = p.given.some((g) => g.trim());
  const family = p.family.some((f) => f.trim());
  if (given && family) return null;
  if ((given || family) && p.dateOfBirth) return null;
  return "a person is asked about with a given name and a family name, or a name and a date of birth";
}

const ref = z
  .number()
  .int()
  .min(0)
  .max(MAX_HIT_ITEMS - 1);
const b64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, "must be base64url");

/** The messages of the protocol, by type and version (registered with the other message types). */
export const HIT_MESSAGE_TYPES = {
  "hit-query": {
    1: z.strictObject({
      queryRef: z.uuid(),
      caseReference: text(100).optional(),
      purpose: text(500, 1),
      legalBasis: text(500, 1),
      /** HMAC-SHA-256 of the normalised value under the pair's key for its type (43 base64url characters). */
      selectors: z
        .array(z.strictObject({ ref, type: z.enum(HIT_SELECTOR_TYPES), pseudonym: b64url(43, 43) }))
        .max(MAX_HIT_ITEMS),
      /** A 1024-bit CLK (171 base64url characters) and its keyed blocking keys. */
      persons: z
        .array(
          z.strictObject({
            ref,
            schema: z.literal("clk1"),
            clk: b64url(171, 171),
            blocks: z.array(z.number().int().min(0).max(0xffffffff)).max(64),
          }),
        )
        .max(MAX_HIT_PERSONS),
    }),
  },
  "hit-reply": {
    1: z.strictObject({
      inReplyTo: z.uuid(),
      queryRef: z.uuid(),
      outcome: z.enum(["answered", "refused"]),
      reason: text(500).optional(),
      results: z
        .array(
          z.strictObject({
            ref,
            /** False when this node does not answer this type of item for the asking peer. */
            answered: z.boolean(),
            /** Each hit: a follow-up reference at the answering node and a score (1 for an exact selector). */
            hits: z.array(z.strictObject({ reference: z.uuid(), score: z.number().min(0).max(1) })).max(20),
          }),
        )
        .max(MAX_HIT_ITEMS),
    }),
  },
  "hit-disclosure": {
    1: z.strictObject({
      queryRef: z.uuid(),
      reference: z.uuid(),
      decision: z.enum(["approved", "refused"]),
      information: text(20_000).optional(),
      reason: text(1000).optional(),
    }),
  },
} as const;

export const HIT_ANSWER_STATUSES = ["pending", "answered", "refused"] as const;
export const FOLLOWUP_STATUSES = ["pending", "approved", "refused"] as const;

/** One peer's answer to a query, as the asking team sees it. */
export const hitAnswerSchema = z.object({
  peer: z.string(),
  status: z.enum(HIT_ANSWER_STATUSES),
  reason: z.string().nullable(),
  answeredAt: z.string().nullable(),
  results: z.array(
    z.object({
      item: z.string(),
      answered: z.boolean(),
      hits: z.array(
        z.object({
          reference: z.string(),
          score: z.number(),
          disclosure: z
            .object({
              decision: z.enum(["approved", "refused"]),
              information: z.string().nullable(),
              reason: z.string().nullable(),
              receivedAt: z.string(),
            })
            .nullable(),
        }),
      ),
    }),
  ),
});

export const hitQuerySchema = z.object({
  id: z.string(),
  caseId: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  purpose: z.string(),
  legalBasis: z.string(),
  items: z.array(z.object({ key: z.string(), type: z.enum(HIT_ITEM_TYPES), label: z.string() })),
  answers: z.array(hitAnswerSchema),
});
export type HitQueryView = z.infer<typeof hitQuerySchema>;

/** A follow-up at the answering node: a hit a member of the matched case's team discloses or not. */
export const followupSchema = z.object({
  id: z.string(),
  peer: z.string(),
  createdAt: z.string(),
  purpose: z.string(),
  legalBasis: z.string(),
  askerCaseReference: z.string().nullable(),
  itemType: z.enum(HIT_ITEM_TYPES),
  score: z.number(),
  caseId: z.string(),
  caseReference: z.string(),
  /** What matched, as this node holds it (never sent unless approved). */
  matched: z.string(),
  status: z.enum(FOLLOWUP_STATUSES),
  decidedAt: z.string().nullable(),
  information: z.string().nullable(),
  reason: z.string().nullable(),
  /** Whether the caller may decide it (the case's lead or crisis team, while pending). */
  mayDecide: z.boolean(),
});
export type FollowupView = z.infer<typeof followupSchema>;

export const decideFollowupSchema = z
  .strictObject({
    decision: z.enum(["approved", "refused"]),
    /** What is disclosed to the asking node (approved). */
    information: text(20_000).optional(),
    /** Why not (refused). */
    reason: text(1000).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.decision === "approved" && !d.information?.trim())
      ctx.addIssue({
        code: "custom",
        path: ["information"],
        message: "say what is disclosed to the asking node",
      });
    if (d.decision === "refused" && !d.reason?.trim())
      ctx.addIssue({ code: "custom", path: ["reason"], message: "say why the follow-up is refused" });
  });
