/** Presenters: allow-list the fields that leave the server. Nothing else is ever serialised. */
import type { Selectable } from "kysely";
import type { CaseRole, CaseView } from "../domain/cases.ts";
import type { Permission, Role } from "../domain/roles.ts";
import type { AuditEntryView, Language, TokenView, UserView } from "../domain/schemas.ts";
import type { ApiTokensTable, AuditLogTable, CasesTable, CrisisLogTable, UsersTable } from "./db/schema.ts";

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d == null ? null : iso(d));

export function presentUser(u: Selectable<UsersTable>, now = Date.now()): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    roles: u.roles as Role[],
    status: u.status,
    mfaEnrolled: u.mfa_secret_enc !== null,
    locked: u.locked_until !== null && new Date(u.locked_until).getTime() > now,
    language: u.language as Language,
    createdAt: iso(u.created_at),
    lastLoginAt: isoOrNull(u.last_login_at),
  };
}

export function presentToken(t: Selectable<ApiTokensTable>): TokenView {
  return {
    id: t.id,
    name: t.name,
    scopes: t.scopes as Permission[],
    createdAt: iso(t.created_at),
    expiresAt: iso(t.expires_at),
    revokedAt: isoOrNull(t.revoked_at),
    lastUsedAt: isoOrNull(t.last_used_at),
  };
}

export function presentAuditEntry(e: Selectable<AuditLogTable>): AuditEntryView {
  return {
    id: e.id,
    seq: e.seq,
    at: iso(e.at),
    actorId: e.actor_id,
    actorLabel: e.actor_label,
    event: e.event as AuditEntryView["event"],
    targetType: e.target_type,
    targetId: e.target_id,
    purpose: e.purpose,
    requestId: e.request_id,
    ip: e.ip,
    details: e.details,
    hash: e.hash ? Buffer.from(e.hash).toString("hex") : null,
  };
}

export function presentCase(c: Selectable<CasesTable>, myRole: CaseRole): CaseView {
  return {
    id: c.id,
    reference: c.reference,
    title: c.title,
    status: c.status as CaseView["status"],
    outcome: c.outcome as CaseView["outcome"],
    occurredAt: c.occurred_at ? iso(c.occurred_at) : null,
    reportedAt: iso(c.reported_at),
    place: { country: c.country, region: c.region, latitude: c.latitude, longitude: c.longitude },
    elements: c.elements,
    classification: {
      iccs: c.iccs,
      kidnapping: c.kidnapping,
      type: c.op_type as CaseView["classification"]["type"],
      reasons: c.classification_reasons,
    },
    tlp: c.tlp as CaseView["tlp"],
    handling: c.handling as CaseView["handling"],
    myRole,
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
}

export function presentCrisisEntry(e: Selectable<CrisisLogTable>) {
  return {
    id: e.id,
    seq: e.seq,
    occurredAt: iso(e.occurred_at),
    recordedAt: iso(e.recorded_at),
    authorId: e.author_id,
    authorLabel: e.author_label,
    entry: e.content,
    corrects: e.corrects_id,
    hash: Buffer.from(e.hash).toString("hex"),
  };
}
