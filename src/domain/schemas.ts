/**
 * Isomorphic schemas shared by the server (validation, OpenAPI), the web app
 * and the CLI. No I/O here.
 */
import countries from "i18n-iso-countries";
import { z } from "zod";
import { AUDIT_EVENTS } from "./audit-events.ts";
import { PERMISSIONS, ROLES } from "./roles.ts";

/** Text that PostgreSQL can store and a browser can render: well-formed Unicode, no NUL, bounded. */
export function text(max: number, min = 0) {
  return z
    .string()
    .min(min, min === 1 ? "must not be empty" : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((s) => s.isWellFormed(), "must be well-formed Unicode (no lone surrogates)")
    .refine((s) => !s.includes("\u0000"), "must not contain NUL characters");
}

/**
 * Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069). In a
 * name, a title, an identifier or a file name they make a stored string display as another
 * ("\u202etxt.exe" shows as "exe.txt"), so those fields refuse them.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/** A name, title, identifier or file name: text without bidirectional control characters. */
export function label(max: number, min = 0) {
  return text(max, min).refine(
    (s) => !BIDI_CONTROLS.test(s),
    "must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)",
  );
}

export const LANGUAGES = ["en", "fr", "es", "ar", "zh", "ru"] as const;
export type Language = (typeof LANGUAGES)[number];

export const roleSchema = z.enum(ROLES);
export const permissionSchema = z.enum(PERMISSIONS);
export const languageSchema = z.enum(LANGUAGES);
export const auditEventSchema = z.enum(AUDIT_EVENTS);
export const uuidSchema = z.uuid("must be a UUID");

export const usernameSchema = z
  .string()
  .min(3, "must be at least 3 characters")
  .max(64, "must be at most 64 characters")
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "may contain only lower-case letters, digits, '.', '_' and '-'");

export const PASSWORD_MIN = 12;
export const passwordSchema = text(256).refine(
  (s) => [...s].length >= PASSWORD_MIN,
  `must be at least ${PASSWORD_MIN} characters`,
);

export const totpCodeSchema = z.string().regex(/^\d{6}$/, "must be six digits");

export const userStatusSchema = z.enum(["active", "disabled"]);

export const userSchema = z.object({
  id: uuidSchema,
  username: z.string(),
  displayName: z.string(),
  roles: z.array(roleSchema),
  status: userStatusSchema,
  mfaEnrolled: z.boolean(),
  locked: z.boolean(),
  language: languageSchema,
  createdAt: z.iso.datetime(),
  lastLoginAt: z.iso.datetime().nullable(),
});
export type UserView = z.infer<typeof userSchema>;

export const sessionViewSchema = z.object({
  user: userSchema,
  permissions: z.array(permissionSchema),
  csrfToken: z.string(),
  nodeId: z.string(),
  sandbox: z.boolean(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

export const auditEntrySchema = z.object({
  /** Order of writing. */
  id: z.number().int(),
  /** Place in the hash chain; null for a moment, until the sealer has chained the entry. */
  seq: z.number().int().nullable(),
  at: z.iso.datetime(),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  event: auditEventSchema,
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  purpose: z.string().nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string().nullable(),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

export const tokenSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  scopes: z.array(permissionSchema),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type TokenView = z.infer<typeof tokenSchema>;

/**
 * Four eyes (issue "Trust"): what lets one person act as another waits for a second
 * administrator. A reset of the password or second factor of an account on a case team,
 * a grant of a role with case work (when an account is created or its roles change), and
 * an API token for another account. The payload never holds a secret.
 */
export const APPROVAL_KINDS = [
  "password_reset",
  "mfa_reset",
  "roles_grant",
  "user_create",
  "token_create",
] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];
/** How a request ended: a second administrator's decision, its expiry, or the operator's break-glass. */
export const APPROVAL_DECISIONS = ["approved", "refused", "expired", "break_glass"] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

export const approvalSchema = z.object({
  id: uuidSchema,
  kind: z.enum(APPROVAL_KINDS),
  /** The account the change is about (null for an account still to be created). */
  targetUserId: uuidSchema.nullable(),
  targetUsername: z.string(),
  /** What will be done: roles before and after, the new account's name and roles, a token's name, scopes and lifetime. */
  payload: z.record(z.string(), z.unknown()),
  requestedBy: uuidSchema.nullable(),
  requestedByLabel: z.string(),
  requestedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  /** null while it waits. */
  decision: z.enum(APPROVAL_DECISIONS).nullable(),
  decidedBy: uuidSchema.nullable(),
  decidedByLabel: z.string().nullable(),
  decidedAt: z.iso.datetime().nullable(),
  reason: z.string().nullable(),
});
export type ApprovalView = z.infer<typeof approvalSchema>;

/** A change made to an account by someone else, shown to its holder and to the leads of their cases. */
export const securityNoticeSchema = z.object({
  id: uuidSchema,
  userId: uuidSchema,
  username: z.string(),
  kind: z.enum(APPROVAL_KINDS),
  approvalId: uuidSchema.nullable(),
  requestedByLabel: z.string(),
  approvedByLabel: z.string().nullable(),
  at: z.iso.datetime(),
  /** Executed by the operator without a second administrator. */
  breakGlass: z.boolean(),
  reason: z.string().nullable(),
  acknowledgedAt: z.iso.datetime().nullable(),
});
export type SecurityNoticeView = z.infer<typeof securityNoticeSchema>;

/** User-assigned codes in international use that ISO 3166-1 itself does not list (Kosovo). */
const EXTRA_ALPHA3: Readonly<Record<string, string>> = { XKX: "XK" };

/** The ISO 3166-1 alpha-2 code of an alpha-3 code, if the code exists. */
export function alpha2Of(alpha3: string): string | undefined {
  return countries.alpha3ToAlpha2(alpha3) ?? EXTRA_ALPHA3[alpha3];
}

/** An ISO 3166-1 alpha-3 country code that exists (i18n-iso-countries). */
export const countryCode = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be an ISO 3166-1 alpha-3 code, e.g. COL")
  .refine((c) => alpha2Of(c) !== undefined, "is not an ISO 3166-1 country code");

const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("currency"));
/** An ISO 4217 currency code in use (the platform's ICU list). */
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code, e.g. USD")
  .refine((c) => CURRENCIES.has(c), "is not an ISO 4217 currency code");

export const isoDateTime = z.iso.datetime({
  offset: true,
  message: "must be an ISO 8601 date-time with a time zone",
});
export const isoDate = z.iso.date("must be a date, YYYY-MM-DD");

/** A node of the federation: a State (ISO 3166-1 alpha-3) or the Secretariat. */
export const nodeIdSchema = z
  .string()
  .regex(/^([A-Z]{3}|UNODC)$/, "must be an ISO 3166-1 alpha-3 code or UNODC");
