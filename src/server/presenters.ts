/** Presenters: allow-list the fields that leave the server. Nothing else is ever serialised. */
import type { Selectable } from "kysely";
import type {
  AttachmentView,
  ChargeView,
  GroupView,
  RescueView,
  SelectorView,
  VehicleView,
} from "../domain/case-records.ts";
import type { CaseRole, CaseView } from "../domain/cases.ts";
import type { Permission, Role } from "../domain/roles.ts";
import type { AuditEntryView, Language, TokenView, UserView } from "../domain/schemas.ts";
import type {
  ApiTokensTable,
  AuditLogTable,
  CaseAttachmentsTable,
  CaseChargesTable,
  CaseGroupsTable,
  CaseSelectorsTable,
  CasesTable,
  CaseVehiclesTable,
  CrisisLogTable,
  RescueOperationsTable,
  UsersTable,
} from "./db/schema.ts";

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

// ---- The other records of a case ----------------------------------------------------------------

export function presentGroup(g: Selectable<CaseGroupsTable>): GroupView {
  return {
    id: g.id,
    name: g.name,
    aliases: g.aliases,
    countries: g.countries,
    description: g.description,
    createdAt: iso(g.created_at),
  };
}

export function presentVehicle(v: Selectable<CaseVehiclesTable>): VehicleView {
  return {
    id: v.id,
    plate: v.plate,
    plateNormalised: v.plate_normalised,
    plateCountry: v.plate_country,
    make: v.make,
    model: v.model,
    colour: v.colour,
    use: v.use as VehicleView["use"],
    description: v.description,
    createdAt: iso(v.created_at),
  };
}

export function presentSelector(s: Selectable<CaseSelectorsTable>): SelectorView {
  return {
    id: s.id,
    kind: s.kind as SelectorView["kind"],
    value: s.value,
    asset: s.asset as SelectorView["asset"],
    personId: s.person_id,
    note: s.note,
    createdAt: iso(s.created_at),
  };
}

export function presentAttachment(a: Omit<Selectable<CaseAttachmentsTable>, "case_id">): AttachmentView {
  return {
    id: a.id,
    filename: a.filename,
    mediaType: a.media_type,
    size: Number(a.size),
    sha256: Buffer.from(a.sha256).toString("hex"),
    description: a.description,
    storage: "database",
    createdAt: iso(a.created_at),
    createdBy: a.created_by,
  };
}

export function presentRescue(r: Selectable<RescueOperationsTable>): RescueView {
  return {
    id: r.id,
    startedAt: iso(r.started_at),
    endedAt: isoOrNull(r.ended_at),
    unit: r.unit,
    place: r.place,
    result: r.result as RescueView["result"],
    victimsFreed: r.victims_freed,
    suspectsArrested: r.suspects_arrested,
    casualties: r.casualties,
    summary: r.summary,
    createdAt: iso(r.created_at),
  };
}

/** `verdictDate` is read as text by the query (a date, never shifted by a time zone). */
export function presentCharge(
  c: Omit<Selectable<CaseChargesTable>, "verdict_date"> & { verdict_date: string | null },
): ChargeView {
  return {
    id: c.id,
    personId: c.person_id,
    offence: c.offence,
    legalProvision: c.legal_provision,
    court: c.court,
    courtCaseNumber: c.court_case_number,
    stage: c.stage as ChargeView["stage"],
    verdict: c.verdict as ChargeView["verdict"],
    verdictDate: c.verdict_date,
    sentence: c.sentence as ChargeView["sentence"],
    appeal: c.appeal as ChargeView["appeal"],
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
}
