/** The fixed lists the interface offers (the server's policy table is the authority on what they mean). */
import { AUDIT_EVENTS } from "../../src/domain/audit-events.ts";
import { allowedNext, CASE_STATUSES, needsReason, OUTCOMES } from "../../src/domain/case-lifecycle.ts";
import {
  CASE_ROLES,
  CRISIS_LOG_KINDS,
  CONTACT_CHANNELS as DOMAIN_CHANNELS,
  CONTACT_DIRECTIONS as DOMAIN_DIRECTIONS,
  HANDLING,
  TLP,
} from "../../src/domain/cases.ts";
import { CONTEXTS, OPERATIONAL_TYPES, PURPOSES } from "../../src/domain/definition.ts";
import { ROLES } from "../../src/domain/roles.ts";
import type {
  AuditEvent,
  CaseOutcome,
  CaseRole,
  CaseStatus,
  CaseView,
  CrisisEntryContent,
  HandlingCode,
  Role,
  Tlp,
} from "./api.ts";

export const ALL_ROLES: readonly Role[] = ROLES;
export const ALL_AUDIT_EVENTS: readonly AuditEvent[] = AUDIT_EVENTS;

// ---- Cases -----------------------------------------------------------------------------------

export const ALL_CASE_STATUSES: readonly CaseStatus[] = CASE_STATUSES;
export const ALL_OUTCOMES: readonly CaseOutcome[] = OUTCOMES;
export const ALL_CASE_ROLES: readonly CaseRole[] = CASE_ROLES;
export const ALL_TLP: readonly Tlp[] = TLP;
export const ALL_HANDLING: readonly HandlingCode[] = HANDLING;
export { CONTEXTS, OPERATIONAL_TYPES, PURPOSES };

/** The statuses a case may move to next (the server refuses any other). */
export function nextStatuses(status: CaseStatus): readonly CaseStatus[] {
  return allowedNext(status);
}

/** Going back to investigation must give a reason (the lifecycle's own rule). */
export function transitionNeedsReason(from: CaseStatus, to: CaseStatus): boolean {
  return needsReason(from, to);
}

/** What the signed-in user may do on a case: the server computed it (the case-role table); the page only shows. */
export function may(kase: { abilities: readonly string[] }, ability: CaseView["abilities"][number]): boolean {
  return kase.abilities.includes(ability);
}

export type CrisisKind = CrisisEntryContent["kind"];
export const CRISIS_KINDS: readonly CrisisKind[] = CRISIS_LOG_KINDS;

type ContactEntry = Extract<CrisisEntryContent, { kind: "contact" }>;
export type ContactChannel = ContactEntry["channel"];
export type ContactDirection = ContactEntry["direction"];
export const CONTACT_CHANNELS: readonly ContactChannel[] = DOMAIN_CHANNELS;
export const CONTACT_DIRECTIONS: readonly ContactDirection[] = DOMAIN_DIRECTIONS;

// ---- People and records of a case ------------------------------------------------------------

export {
  APPEALS,
  CRYPTO_ASSETS,
  PROSECUTION_STAGES,
  RESCUE_RESULTS,
  SELECTOR_KINDS,
  VEHICLE_USES,
  VERDICTS,
} from "../../src/domain/case-records.ts";
export { PERSON_ROLES, SCRIPTS } from "../../src/domain/cases.ts";

export const SEXES = ["female", "male", "other", "unknown"] as const;
export const DOCUMENT_TYPES = [
  "passport",
  "national_id",
  "driving_licence",
  "residence_permit",
  "other",
] as const;

/** The ICCS codes a case can carry (filters of the case list and search). */
export const ICCS_CODES = ["020221", "020222", "02021"] as const;

/** Stages of a prosecution at which a verdict exists (the server's rule, shown in the form). */
export const JUDGED_STAGES: ReadonlySet<string> = new Set(["judgment", "appeal", "final"]);

/** What a case search matched on. */
export const MATCHED_ON = ["reference", "person", "phone", "iban", "wallet", "plate"] as const;

// ---- Federation ------------------------------------------------------------------------------

export type { MessageType } from "../../src/domain/federation.ts";
export { MESSAGE_STATUSES, MESSAGE_TYPE_NAMES, PEER_STATUSES } from "../../src/domain/federation.ts";

/** The message types a liaison officer composes (a reply is written from the message it answers). */
export const COMPOSE_TYPES = [
  "notice.abducted-person",
  "notice.wanted-person",
  "notice.modus-operandi",
  "notice.ransom-watch",
  "info-request",
] as const;
export type ComposeType = (typeof COMPOSE_TYPES)[number];

/** Translation keys of the message types (their names hold dots, which i18next reads as nesting). */
export const MESSAGE_TYPE_KEYS: Readonly<Record<string, string>> = {
  "notice.abducted-person": "abductedPerson",
  "notice.wanted-person": "wantedPerson",
  "notice.modus-operandi": "modusOperandi",
  "notice.ransom-watch": "ransomWatch",
  "info-request": "infoRequest",
  "info-reply": "infoReply",
};

export const NOTICE_REQUESTS = ["locate", "information"] as const;
export const URGENCIES = ["routine", "urgent", "immediate"] as const;

/** The server's rule for an alert (notices, and requests marked urgent or immediate), for showing it. */
export function isUrgent(type: string, body: unknown): boolean {
  if (type.startsWith("notice.")) return true;
  const urgency = body && typeof body === "object" ? (body as { urgency?: unknown }).urgency : undefined;
  return urgency === "urgent" || urgency === "immediate";
}
