/** Reading and verifying the audit trail. Looking at the trail is itself audited. */

import { type Kysely, sql } from "kysely";
import { type AuditEvent, REFUSAL_EVENTS } from "../../domain/audit-events.ts";
import type { AuditEntryView } from "../../domain/schemas.ts";
import { audit, sealAll, type VerifyResult, verifyChain } from "../../platform/audit/index.ts";
import { flushRefusals } from "../../platform/audit/refusals.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import type { Database } from "../../platform/db/schema.ts";
import { presentAuditEntry } from "./presenters.ts";

export interface AuditQuery {
  event?: AuditEvent | undefined;
  actor?: string | undefined;
  targetId?: string | undefined;
  /** Only entries that record a refusal (REFUSAL_EVENTS). */
  refusals?: boolean | undefined;
  /** A refusal's reason or route (details.reason, details.route: access.refused, message.refused…). */
  reason?: string | undefined;
  route?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Keyset pagination: entries written before the one with this id. */
  before?: number | undefined;
  limit: number;
}

export async function listAudit(
  ctx: Ctx,
  query: AuditQuery,
): Promise<{ entries: AuditEntryView[]; nextBefore: number | null }> {
  return inTransaction(ctx, async (tx) => {
    let q = tx.db
      .selectFrom("audit_log")
      .selectAll()
      .orderBy("id", "desc")
      .limit(query.limit + 1);
    if (query.event) q = q.where("event", "=", query.event);
    if (query.actor) q = q.where("actor_label", "=", query.actor);
    if (query.targetId) q = q.where("target_id", "=", query.targetId);
    if (query.refusals) q = q.where("event", "in", [...REFUSAL_EVENTS]);
    if (query.reason) q = q.where(sql<string>`details->>'reason'`, "=", query.reason);
    if (query.route) q = q.where(sql<string>`details->>'route'`, "=", query.route);
    if (query.from) q = q.where("at", ">=", new Date(query.from));
    if (query.to) q = q.where("at", "<", new Date(query.to));
    if (query.before) q = q.where("id", "<", query.before);
    const rows = await q.execute();
    const page = rows.slice(0, query.limit);
    await audit(tx, {
      event: "audit.viewed",
      purpose: "audit review",
      details: { filter: { ...query }, count: page.length },
    });
    return {
      entries: page.map(presentAuditEntry),
      nextBefore: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
    };
  });
}

export async function verifyAudit(ctx: Ctx): Promise<VerifyResult> {
  // The refusals of the minutes that have closed go into the trail first (the open minute is still counting).
  await flushRefusals(ctx.db as Kysely<Database>);
  await sealAll(ctx.db);
  const result = await verifyChain(ctx.db);
  await inTransaction(ctx, (tx) =>
    audit(tx, {
      event: "audit.verified",
      details: { ok: result.ok, entries: result.entries, firstBroken: result.firstBroken ?? null },
    }),
  );
  return result;
}
