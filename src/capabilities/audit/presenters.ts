/** Presenters: allow-list the fields that leave the server. Nothing else is ever serialised. */
import type { Selectable } from "kysely";
import type { AuditEntryView } from "../../domain/schemas.ts";
import type { AuditLogTable } from "../../platform/db/schema.ts";
import { iso } from "../../platform/time.ts";

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
