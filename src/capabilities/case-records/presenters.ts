/** Presenters: allow-list the fields that leave the server. Nothing else is ever serialised. */
import type { Selectable } from "kysely";
import type {
  AttachmentView,
  ChargeView,
  GroupView,
  RescueView,
  SelectorView,
  VehicleView,
} from "../../domain/case-records.ts";
import type {
  CaseAttachmentsTable,
  CaseChargesTable,
  CaseGroupsTable,
  CaseSelectorsTable,
  CaseVehiclesTable,
  RescueOperationsTable,
} from "../../platform/db/schema.ts";
import { iso, isoOrNull } from "../../platform/time.ts";

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
