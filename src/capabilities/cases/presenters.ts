/** Presenters: allow-list the fields that leave the server. Nothing else is ever serialised. */
import type { Selectable } from "kysely";
import { abilitiesOf } from "../../domain/case-roles.ts";
import type { CaseRole, CaseView } from "../../domain/cases.ts";
import type { Role } from "../../domain/roles.ts";
import type { CasesTable, CrisisLogTable } from "../../platform/db/schema.ts";
import { iso } from "../../platform/time.ts";

/** A case as one team member sees it: `accountRoles` are theirs, for the abilities that need a qualification. */
export function presentCase(
  c: Selectable<CasesTable>,
  myRole: CaseRole,
  accountRoles: readonly Role[],
  securityNotices?: CaseView["securityNotices"],
): CaseView {
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
    abilities: abilitiesOf(myRole, accountRoles),
    ...(securityNotices ? { securityNotices } : {}),
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
