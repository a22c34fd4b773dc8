/**
 * Security notices: a change someone else made to an account — a reset of its password or
 * second factor, a role granted, a token issued for it — shown to the account's holder until
 * they acknowledge it, to the leads of their cases on the case, and to every administrator
 * and auditor. Break-glass notices say so.
 */
import type { Selectable } from "kysely";
import { AppError } from "../../domain/errors.ts";
import type { ApprovalKind, SecurityNoticeView } from "../../domain/schemas.ts";
import { audit } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import type { SecurityNoticesTable } from "../../platform/db/schema.ts";
import { newId } from "../../platform/ids.ts";
import { iso, isoOrNull } from "../../platform/time.ts";

/** How long the leads of a case see a notice about a member of its team. */
export const TEAM_NOTICE_DAYS = 30;

type Row = Selectable<SecurityNoticesTable> & { username: string };

function present(r: Row): SecurityNoticeView {
  return {
    id: r.id,
    userId: r.user_id,
    username: r.username,
    kind: r.kind,
    approvalId: r.approval_id,
    requestedByLabel: r.requested_by_label,
    approvedByLabel: r.approved_by_label,
    at: iso(r.at),
    breakGlass: r.break_glass,
    reason: r.reason,
    acknowledgedAt: isoOrNull(r.acknowledged_at),
  };
}

export interface NoticeInput {
  userId: string;
  kind: ApprovalKind;
  approvalId?: string | null;
  requestedByLabel: string;
  approvedByLabel?: string | null;
  breakGlass?: boolean;
  reason?: string | null;
}

/** Record a notice, in the caller's transaction (the change it describes commits with it). */
export async function recordNotice(ctx: Ctx, n: NoticeInput): Promise<void> {
  await ctx.db
    .insertInto("security_notices")
    .values({
      id: newId(),
      user_id: n.userId,
      kind: n.kind,
      approval_id: n.approvalId ?? null,
      requested_by_label: n.requestedByLabel,
      approved_by_label: n.approvedByLabel ?? null,
      at: new Date(),
      break_glass: n.breakGlass ?? false,
      reason: n.reason ?? null,
      acknowledged_at: null,
    })
    .execute();
}

const base = (ctx: Ctx) =>
  ctx.db
    .selectFrom("security_notices as n")
    .innerJoin("users as u", "u.id", "n.user_id")
    .selectAll("n")
    .select("u.username");

/** The caller's notices not acknowledged yet (what the web app shows at sign-in). */
export async function myNotices(ctx: Ctx): Promise<SecurityNoticeView[]> {
  const userId = ctx.actor.userId;
  if (!userId) return [];
  const rows = await base(ctx)
    .where("n.user_id", "=", userId)
    .where("n.acknowledged_at", "is", null)
    .orderBy("n.at", "desc")
    .execute();
  return rows.map(present);
}

export async function acknowledgeNotice(ctx: Ctx, id: string): Promise<SecurityNoticeView> {
  const userId = ctx.actor.userId;
  if (!userId) throw new AppError("unauthenticated", "Sign in first.");
  return inTransaction(ctx, async (tx) => {
    const done = await tx.db
      .updateTable("security_notices")
      .set({ acknowledged_at: new Date() })
      .where("id", "=", id)
      .where("user_id", "=", userId)
      .where("acknowledged_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (!done) throw AppError.notFound("notice");
    await audit(tx, { event: "security_notice.acknowledged", targetType: "security_notice", targetId: id });
    const row = await base(tx).where("n.id", "=", id).executeTakeFirstOrThrow();
    return present(row);
  });
}

/** Every notice, newest first (administrators and auditors: who changed which account, break-glass marked). */
export async function listNotices(ctx: Ctx, input: { breakGlass?: boolean | undefined }) {
  return inTransaction(ctx, async (tx) => {
    let q = base(tx).orderBy("n.at", "desc").limit(500);
    if (input.breakGlass !== undefined) q = q.where("n.break_glass", "=", input.breakGlass);
    const rows = await q.execute();
    await audit(tx, {
      event: "security_notices.viewed",
      purpose: "user administration",
      details: {
        count: rows.length,
        ...(input.breakGlass !== undefined ? { breakGlass: input.breakGlass } : {}),
      },
    });
    return rows.map(present);
  });
}

/** Notices of the last TEAM_NOTICE_DAYS about the members of a case's team (for its lead, on the case). */
export async function teamSecurityNotices(ctx: Ctx, caseId: string): Promise<SecurityNoticeView[]> {
  const since = new Date(Date.now() - TEAM_NOTICE_DAYS * 86_400_000);
  const rows = await base(ctx)
    .innerJoin("case_team as t", (j) => j.onRef("t.user_id", "=", "n.user_id").on("t.case_id", "=", caseId))
    .where("n.at", ">=", since)
    .orderBy("n.at", "desc")
    .limit(50)
    .execute();
  return rows.map(present);
}
