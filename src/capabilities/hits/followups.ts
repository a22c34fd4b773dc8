/**
 * Follow-ups of hits on this node's cases: the matched case's lead or crisis team approves
 * (disclosing what they choose to write) or refuses; the decision travels as `hit-disclosure`.
 */
import type { Selectable } from "kysely";
import { ABILITY_OBJECT, type CaseRole, mayOnCase } from "../../domain/case-roles.ts";
import { AppError } from "../../domain/errors.ts";
import type { FollowupView, HitItemType } from "../../domain/hits.ts";
import type { Role } from "../../domain/roles.ts";
import { audit } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import type { HitFollowupsTable } from "../../platform/db/schema.ts";
import { queueMessages } from "../../platform/exchange/outbox.ts";
import { iso } from "../../platform/time.ts";
import { me } from "../cases/index.ts";

// ---------------------------------------------------------------- follow-ups

function presentFollowup(
  f: Selectable<HitFollowupsTable> & { reference: string; case_role: string },
  accountRoles: readonly Role[],
): FollowupView {
  return {
    id: f.id,
    peer: f.peer,
    createdAt: iso(f.created_at),
    purpose: f.purpose,
    legalBasis: f.legal_basis,
    askerCaseReference: f.asker_case_reference,
    itemType: f.item_type as HitItemType,
    score: f.score,
    caseId: f.case_id,
    caseReference: f.reference,
    matched: f.matched,
    status: f.status as FollowupView["status"],
    decidedAt: f.decided_at ? iso(f.decided_at) : null,
    information: f.information,
    reason: f.reason,
    mayDecide: f.status === "pending" && mayOnCase(f.case_role as CaseRole, "hits.decide", accountRoles),
  };
}

function followupsQuery(ctx: Ctx) {
  return ctx.db
    .selectFrom("hit_followups as f")
    .innerJoin("cases as c", "c.id", "f.case_id")
    .innerJoin("case_team as t", (j) => j.onRef("t.case_id", "=", "f.case_id").on("t.user_id", "=", me(ctx)))
    .selectAll("f")
    .select(["c.reference", "t.case_role"]);
}

/** The follow-ups on the caller's cases (other cases' do not exist for them); reading them is audited. */
export async function listFollowups(
  ctx: Ctx,
  input: { status?: string | undefined },
  purpose: string,
): Promise<FollowupView[]> {
  return inTransaction(ctx, async (tx) => {
    let q = followupsQuery(tx).orderBy("f.created_at", "desc").limit(200);
    if (input.status) q = q.where("f.status", "=", input.status);
    const rows = await q.execute();
    await audit(tx, {
      event: "hits.viewed",
      purpose,
      details: { box: "followups", status: input.status ?? null, count: rows.length },
    });
    return rows.map((f) => presentFollowup(f, tx.actor.roles));
  });
}

/** The matched case's lead or crisis team approves (disclosing what they write) or refuses; the asking node is told. */
export async function decideFollowup(
  ctx: Ctx,
  id: string,
  input: { decision: "approved" | "refused"; information?: string | undefined; reason?: string | undefined },
): Promise<FollowupView> {
  return inTransaction(ctx, async (tx) => {
    const f = await followupsQuery(tx).where("f.id", "=", id).forUpdate("f").executeTakeFirst();
    if (!f) throw AppError.notFound("follow-up");
    // Only those who may decide on the matched case see a decision to take: for others it does not exist.
    if (!mayOnCase(f.case_role as CaseRole, "hits.decide", tx.actor.roles))
      throw AppError.notFound(ABILITY_OBJECT["hits.decide"]);
    if (f.status !== "pending") throw AppError.field("params.id", `was ${f.status} already`, "invalid_state");
    const decided = {
      status: input.decision,
      decided_by: me(tx),
      decided_at: new Date(),
      information: input.decision === "approved" ? (input.information?.trim() ?? null) : null,
      reason: input.decision === "refused" ? (input.reason?.trim() ?? null) : null,
    };
    await tx.db.updateTable("hit_followups").set(decided).where("id", "=", id).execute();
    const query = await tx.db
      .selectFrom("inbox")
      .select("thread")
      .where("id", "=", f.query_message_id)
      .executeTakeFirstOrThrow();
    await queueMessages(
      tx,
      [
        {
          to: [f.peer],
          type: "hit-disclosure",
          version: 1,
          tlp: "amber",
          handling: ["H0"],
          thread: query.thread,
          caseId: f.case_id,
          body: {
            queryRef: f.query_ref,
            reference: f.id,
            decision: input.decision,
            ...(decided.information ? { information: decided.information } : {}),
            ...(decided.reason ? { reason: decided.reason } : {}),
          },
        },
      ],
      () => "body",
    );
    await audit(tx, {
      event: "hit.followup_decided",
      targetType: "case",
      targetId: f.case_id,
      details: { followup: id, peer: f.peer, decision: input.decision, query: f.query_ref },
    });
    return presentFollowup({ ...f, ...decided }, tx.actor.roles);
  });
}
