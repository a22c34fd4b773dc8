/**
 * The federation's shapes that cross the API (issue 4, DESIGN.md M5): peers and
 * their states. Pure; the cryptography lives in src/engines/federation.
 */
import { z } from "zod";
import { HANDLING, TLP } from "./cases.ts";
import { HIT_MESSAGE_TYPES } from "./hits.ts";
import { RETURN_MESSAGE_TYPES } from "./returns.ts";
import { countryCode, isoDate, isoDateTime, label, nodeIdSchema, text, usernameSchema } from "./schemas.ts";

export const PEER_STATUSES = ["pending", "active", "suspended"] as const;
export type PeerStatus = (typeof PEER_STATUSES)[number];

export { nodeIdSchema };

export const importPeerSchema = z.strictObject({
  /** The peer's signed descriptor (a compact JWS), as its administrator sent it. */
  descriptor: z.string().min(20, "is not a signed descriptor").max(20_000, "is too long for a descriptor"),
});

export const approvePeerSchema = z.strictObject({
  /** The peer's signing-key fingerprint as read out of band (spaces and case do not matter). */
  signingFingerprint: text(200, 1),
});

export const suspendPeerSchema = z.strictObject({ reason: text(1000, 1) });

export const peerSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  endpoint: z.string(),
  status: z.enum(PEER_STATUSES),
  statusReason: z.string().nullable(),
  fingerprints: z.object({ signing: z.string(), encryption: z.string() }),
  issuedAt: z.string(),
  importedAt: z.string(),
  approvedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type PeerView = z.infer<typeof peerSchema>;

// ---- Messages ---------------------------------------------------------------------------------------

const personSketch = z
  .strictObject({
    names: z
      .array(
        z
          .strictObject({
            given: label(200).optional(),
            family: label(200).optional(),
            script: text(20).optional(),
          })
          .refine((n) => Boolean(n.given?.trim() || n.family?.trim()), {
            message: "needs a given name or a family name",
          }),
      )
      .min(1, "must hold at least one name")
      .max(10),
    dateOfBirth: isoDate.optional(),
    ageRange: z
      .strictObject({ min: z.number().int().min(0).max(130), max: z.number().int().min(0).max(130) })
      .refine((r) => r.min <= r.max, { message: "min must not be above max", path: ["min"] })
      .optional(),
    sex: z.enum(["female", "male", "other", "unknown"]).optional(),
    nationalities: z.array(countryCode).max(10).default([]),
    description: text(2000).optional(),
  })
  .refine((p) => !(p.dateOfBirth && p.ageRange), {
    message: "give a date of birth or an age range, not both",
    path: ["ageRange"],
  });

/** The message types people compose (liaison officers): notices, information requests and replies. */
export const NOTICE_MESSAGE_TYPES = {
  "notice.abducted-person": {
    1: z.strictObject({
      summary: text(2000, 1),
      caseReference: label(100).optional(),
      victim: personSketch,
      circumstances: text(10_000).optional(),
      lastSeen: z.strictObject({ place: text(500, 1), at: isoDateTime.optional() }).optional(),
      request: z.enum(["locate", "information"]),
    }),
  },
  "notice.wanted-person": {
    1: z.strictObject({
      summary: text(2000, 1),
      caseReference: label(100).optional(),
      person: personSketch,
      request: z.enum(["locate", "information"]),
    }),
  },
  "notice.modus-operandi": {
    1: z.strictObject({
      summary: text(2000, 1),
      typology: text(100).optional(),
      indicators: z.array(text(1000, 1)).max(50).default([]),
    }),
  },
  "notice.ransom-watch": {
    1: z.strictObject({
      summary: text(2000, 1),
      banknotes: z
        .array(z.strictObject({ currency: text(3, 3), serialFrom: text(50, 1), serialTo: text(50, 1) }))
        .max(200)
        .default([]),
      accounts: z.array(text(50, 1)).max(200).default([]),
      wallets: z
        .array(z.strictObject({ asset: text(20, 1), address: text(120, 1) }))
        .max(200)
        .default([]),
      phones: z.array(text(20, 1)).max(200).default([]),
    }),
  },
  "info-request": {
    1: z.strictObject({
      question: text(10_000, 1),
      caseReference: label(100).optional(),
      urgency: z.enum(["routine", "urgent", "immediate"]).default("routine"),
    }),
  },
  "info-reply": {
    1: z.strictObject({ inReplyTo: z.uuid("must be a message id"), answer: text(20_000, 1) }),
  },
} as const;

/**
 * The message types nodes exchange, each versioned with its own body schema: the notices
 * people compose, and the node's own (hit/no-hit in hits.ts, annual returns in returns.ts).
 * Each capability registers the types it handles with the exchange (src/platform/exchange/registry.ts).
 */
export const MESSAGE_TYPES = {
  ...NOTICE_MESSAGE_TYPES,
  ...HIT_MESSAGE_TYPES,
  ...RETURN_MESSAGE_TYPES,
} as const;
export type MessageType = keyof typeof MESSAGE_TYPES;
export const MESSAGE_TYPE_NAMES = Object.keys(MESSAGE_TYPES) as MessageType[];
/** The types people compose (the node's own, hit/no-hit and returns, are sent and acted on by the node). */
export const COMPOSABLE_TYPES = Object.keys(NOTICE_MESSAGE_TYPES) as (keyof typeof NOTICE_MESSAGE_TYPES)[];

/** Notices about a person held or wanted, and requests marked urgent, call for attention now. */
export function isUrgent(type: string, body: unknown): boolean {
  const urgency = (body as { urgency?: unknown } | null)?.urgency;
  return type.startsWith("notice.") || urgency === "urgent" || urgency === "immediate";
}

/** The body schema of a type and version, if this node reads it. */
export function messageBodySchema(type: string, version: number): z.ZodType | undefined {
  const versions = (MESSAGE_TYPES as Record<string, Record<number, z.ZodType>>)[type];
  return versions?.[version];
}

/** The longest H3 restriction text, in characters. */
export const MAX_RESTRICTIONS = 2000;

/** What every composed message carries besides its type and body: recipients, marking, thread, case. */
const markingShape = {
  /** Recipients: peer node ids, or every active peer. */
  to: z.union([z.array(nodeIdSchema).min(1).max(200), z.literal("all")]),
  tlp: z.enum(TLP).default("amber"),
  handling: z.array(z.enum(HANDLING)).min(1).max(4).default(["H0"]),
  /** The thread a reply belongs to (its first message's id); a new thread otherwise. */
  thread: z.uuid("must be a message id").optional(),
  /** The local case this message is about (never sent: only the node knows its cases). */
  caseId: z.uuid("must be a UUID").optional(),
  /**
   * TLP:RED goes to named people only: their user names at the receiving node (from its
   * directory entry). Nobody else there sees the message.
   */
  namedRecipients: z.array(usernameSchema).min(1).max(20).optional(),
  /** H3: the other restrictions, in words the receiving officers will read beside the message. */
  restrictions: text(MAX_RESTRICTIONS, 1).optional(),
};

type NoticeType = keyof typeof NOTICE_MESSAGE_TYPES;

/** One composable type: its name, its version and its own body schema. */
function composed<T extends NoticeType>(type: T) {
  return z.strictObject({
    ...markingShape,
    type: z.literal(type),
    version: z.literal(1, `is not a version of ${type} this node sends`).default(1),
    body: NOTICE_MESSAGE_TYPES[type][1],
  });
}

const COMPOSED = [
  composed("notice.abducted-person"),
  composed("notice.wanted-person"),
  composed("notice.modus-operandi"),
  composed("notice.ransom-watch"),
  composed("info-request"),
  composed("info-reply"),
] as const;

/**
 * A message a person composes: a discriminated union on `type`, each with its own body
 * schema, so the OpenAPI document and the typed client describe every body.
 */
export const sendMessageSchema = z
  .discriminatedUnion("type", COMPOSED, {
    error: (iss) =>
      iss.code === "invalid_union"
        ? `must be a message type people compose: ${COMPOSABLE_TYPES.join(", ")}`
        : undefined,
  })
  .superRefine((m, ctx) => {
    const h3 = m.handling.includes("H3");
    if (h3 && !m.restrictions?.trim()) {
      ctx.addIssue({
        code: "custom",
        path: ["restrictions"],
        message: "H3 needs the restrictions, in words the receiving officers can follow",
      });
    }
    if (!h3 && m.restrictions !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["restrictions"],
        message: "only a message marked H3 carries other restrictions",
      });
    }
    if (m.tlp === "red" && !m.namedRecipients?.length) {
      ctx.addIssue({
        code: "custom",
        path: ["namedRecipients"],
        message: "TLP:RED needs the people it is for, by their user names at the receiving node",
      });
    }
    if (m.tlp !== "red" && m.namedRecipients?.length) {
      ctx.addIssue({
        code: "custom",
        path: ["namedRecipients"],
        message: "only a TLP:RED message names its recipients",
      });
    }
  });
export type SendMessageInput = z.output<typeof sendMessageSchema>;
/** A message the node queues: one a person composed, or one of its own (hit/no-hit, returns). */
export type QueuedMessageInput = z.output<z.ZodObject<typeof markingShape>> & {
  type: MessageType;
  version: number;
  body: unknown;
};

/** How many messages one batch send may queue. */
export const MAX_SEND_BATCH = 100;

export const sendMessagesSchema = z.strictObject({
  messages: z.array(sendMessageSchema).min(1).max(MAX_SEND_BATCH),
});

export const MESSAGE_STATUSES = ["queued", "processed", "rejected", "dead"] as const;

const contentOptions = Object.entries(MESSAGE_TYPES).flatMap(([type, versions]) =>
  Object.entries(versions).map(([version, body]) =>
    // Loose (as the fields below): each half of a message view's intersection leaves the other's keys
    // alone, so that the OpenAPI document's allOf admits the views the node sends.
    z.looseObject({ type: z.literal(type as MessageType), version: z.literal(Number(version)), body }),
  ),
);
if (new Set(contentOptions.map((o) => o.shape.type.value)).size !== contentOptions.length) {
  // A type read in two versions needs a union per type here (a discriminator value must be unique).
  throw new Error("MESSAGE_TYPES: a type with several versions needs messageContentSchema extended");
}

/** A message's type, version and body: one of the types nodes exchange, each with its own body schema. */
export const messageContentSchema = z.discriminatedUnion(
  "type",
  contentOptions as unknown as [(typeof contentOptions)[number], ...(typeof contentOptions)[number][]],
);
export type MessageContent = {
  [T in MessageType]: { type: T; version: number; body: MessageBody<T> };
}[MessageType];
/** The body of a message type, as its schema outputs it. */
export type MessageBody<T extends MessageType> = z.output<(typeof MESSAGE_TYPES)[T][1]>;

const outboxFields = z.looseObject({
  id: z.string(),
  recipient: z.string(),
  thread: z.string(),
  tlp: z.string(),
  handling: z.array(z.string()),
  caseId: z.string().nullable(),
  namedRecipients: z.array(z.string()),
  /** H3: the other restrictions, in the sender's words. */
  restrictions: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  attempts: z.number(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  doneAt: z.string().nullable(),
});
/** A message this node queued for one recipient, with its delivery state. */
export const outboxMessageSchema = z.intersection(outboxFields, messageContentSchema);
export type OutboxMessageView = z.infer<typeof outboxMessageSchema>;

const inboxFields = z.looseObject({
  id: z.string(),
  sender: z.string(),
  thread: z.string(),
  tlp: z.string(),
  handling: z.array(z.string()),
  namedRecipients: z.array(z.string()),
  /** H3: the sender's other restrictions, in their words: ask the sender before anything they do not allow. */
  restrictions: z.string().nullable(),
  sentAt: z.string(),
  receivedAt: z.string(),
  /** Whether this node may pass it on to a third node (TLP:CLEAR or GREEN, and no H2 or H3). */
  forwardable: z.boolean(),
  /** H1: not to be used in judicial proceedings without the sender's permission. */
  judicialUse: z.boolean(),
});
/** A message received from a peer. */
export const inboxMessageSchema = z.intersection(inboxFields, messageContentSchema);

/** A local case a received message is linked to (only cases the reader is on the team of). */
export const messageLinkSchema = z.object({
  caseId: z.string(),
  reference: z.string(),
  title: z.string(),
  linkedAt: z.string(),
  openedFromMessage: z.boolean(),
});

export const inboxMessageDetailSchema = z.intersection(
  inboxFields.extend({ links: z.array(messageLinkSchema) }),
  messageContentSchema,
);
export type InboxMessageDetail = z.infer<typeof inboxMessageDetailSchema>;

/** What the federation carried about one case: received messages linked to it, and what was sent about it. */
export const caseMessagesSchema = z.object({
  received: z.array(
    z.intersection(
      inboxFields.extend({ linkedAt: z.string(), openedFromMessage: z.boolean() }),
      messageContentSchema,
    ),
  ),
  sent: z.array(outboxMessageSchema),
});
export type CaseMessages = z.infer<typeof caseMessagesSchema>;

export const linkMessageSchema = z.strictObject({ caseId: z.uuid("must be a case id") });

/** What a liaison officer needs to address a message: the peers, without their keys or endpoints. */
export const partnerSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  status: z.enum(PEER_STATUSES),
});

export const forwardMessageSchema = z.strictObject({
  to: z.array(nodeIdSchema).min(1).max(200),
});

/**
 * May this user hear of a received message at all? TLP:RED is for the people it names,
 * by their user names at this node; any other marking for whoever may read the exchange.
 * The one statement of the rule: the inbox, the case's messages and the live stream use it
 * (in SQL through the messages capability's `markedForUser`).
 */
export function markedFor(m: { tlp: string; namedRecipients: readonly string[] }, username: string): boolean {
  return m.tlp !== "red" || m.namedRecipients.includes(username);
}

/**
 * May a received message go on to a third node? TLP 2.0: RED is for its named
 * recipients, AMBER and AMBER+STRICT stay within the receiving organisation;
 * handling codes: H2 forbids onward dissemination without the sender's
 * permission, H3 carries other restrictions the sender must be asked about.
 * The reason is null when it may.
 */
export function forwardRefusal(m: { tlp: string; handling: readonly string[] }): string | null {
  if (m.handling.includes("H2")) return "H2: no onward dissemination without the sender's permission";
  if (m.handling.includes("H3")) return "H3: the sender's other restrictions apply; ask the sender first";
  if (m.tlp === "red") return "TLP:RED is for its named recipients only";
  if (m.tlp === "amber" || m.tlp === "amber+strict")
    return `TLP:${m.tlp.toUpperCase()} stays within this organisation`;
  return null;
}
export type InboxMessageView = z.infer<typeof inboxMessageSchema>;
