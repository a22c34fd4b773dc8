/**
 * Four eyes, the deciding half: a request held by approvals-requests.ts is approved by
 * another administrator — never the one who asked, never the account it is about — or
 * refused, or expires after APPROVAL_TTL_HOURS; or the operator breaks the glass from the
 * command line (`ariadne user break-glass`). Approval makes the change then, in the same
 * transaction as the decision and its audit entries; a one-time password or a token's
 * secret is shown once, in the approver's answer (the operator's, on break-glass), and
 * kept nowhere.
 */
import { type Selectable, sql } from "kysely";
import { AppError } from "../../domain/errors.ts";
import type { Permission, Role } from "../../domain/roles.ts";
import type { ApprovalView, Language, TokenView, UserView } from "../../domain/schemas.ts";
import { audit, auditMany } from "../../platform/audit/index.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import type { ApprovalsTable } from "../../platform/db/schema.ts";
import { FOUR_EYES_ROLES, presentApproval, type Via } from "./approvals-requests.ts";
import { applyTokenFor } from "./tokens.ts";
import { applyMfaReset, applyPasswordReset, changeUser, createUser } from "./users.ts";

type Row = Selectable<ApprovalsTable>;

/** What the change made: the account, and a secret to hand over once. */
export interface Executed {
  user?: UserView;
  temporaryPassword?: string;
  token?: TokenView;
  secret?: string;
}

/** Mark the requests whose time is up as expired (audited), in the caller's transaction. */
async function expireDue(ctx: Ctx): Promise<void> {
  const now = new Date();
  const rows = await ctx.db
    .updateTable("approvals")
    .set({ decision: "expired", decided_at: now, decided_by_label: "system" })
    .where("decision", "is", null)
    .where("expires_at", "<=", now)
    .returningAll()
    .execute();
  await auditMany(
    ctx,
    rows.map((r) => ({
      event: "approval.expired" as const,
      targetType: "approval",
      targetId: r.id,
      details: { kind: r.kind, targetUserId: r.target_user_id, targetUsername: r.target_username },
    })),
  );
}

export async function listApprovals(
  ctx: Ctx,
  input: { status?: "pending" | "decided" | undefined },
): Promise<ApprovalView[]> {
  return inTransaction(ctx, async (tx) => {
    await expireDue(tx);
    let q = tx.db.selectFrom("approvals").selectAll().orderBy("requested_at", "desc").limit(200);
    if (input.status === "pending") q = q.where("decision", "is", null);
    if (input.status === "decided") q = q.where("decision", "is not", null);
    return (await q.execute()).map(presentApproval);
  });
}

export async function getApproval(ctx: Ctx, id: string): Promise<ApprovalView> {
  return inTransaction(ctx, async (tx) => {
    await expireDue(tx);
    const row = await tx.db.selectFrom("approvals").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) throw AppError.notFound("approval");
    return presentApproval(row);
  });
}

/** The request, locked, if it still waits; otherwise why not (naming the field). */
async function pending(ctx: Ctx, id: string): Promise<Row> {
  const row = await ctx.db
    .selectFrom("approvals")
    .selectAll()
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw AppError.notFound("approval");
  if (row.decision !== null)
    throw AppError.field("decision", `was already decided: ${row.decision}`, "invalid_state");
  if (new Date(row.expires_at).getTime() <= Date.now()) {
    throw AppError.field("expiresAt", "the request has expired: ask again", "invalid_state");
  }
  return row;
}

/**
 * Four eyes: the deciding administrator decides in person (a signed-in session, not an API
 * token, which another could hold), is neither the one who asked nor the account concerned, and
 * the one who asked is still an active administrator.
 */
async function secondPair(ctx: Ctx, row: Row): Promise<void> {
  const me = ctx.actor.userId;
  if (!me) throw new AppError("unauthenticated", "Sign in first.");
  if (ctx.actor.kind !== "user") {
    throw AppError.field(
      "headers.authorization",
      "a request for a second administrator is decided from a signed-in session, not with an API token",
      "invalid_state",
    );
  }
  if (row.requested_by === me) {
    throw AppError.field(
      "requestedBy",
      "you requested this change: another administrator must decide it",
      "invalid_state",
    );
  }
  if (row.target_user_id === me) {
    throw AppError.field(
      "targetUserId",
      "this change is about your own account: another administrator must decide it",
      "invalid_state",
    );
  }
  const requester = await ctx.db
    .selectFrom("users")
    .select(["status", "roles"])
    .where("id", "=", row.requested_by)
    .executeTakeFirst();
  if (!requester || requester.status !== "active" || !requester.roles.includes("admin")) {
    throw AppError.field(
      "requestedBy",
      "the administrator who asked is no longer an active administrator: refuse the request",
      "invalid_state",
    );
  }
}

/** Make the change a request holds. */
async function execute(ctx: Ctx, row: Row, via: Via): Promise<Executed> {
  const p = row.payload as Record<string, unknown>;
  const target = row.target_user_id ?? "";
  switch (row.kind) {
    case "password_reset":
      return applyPasswordReset(ctx, target, via);
    case "mfa_reset":
      return { user: await applyMfaReset(ctx, target, via) };
    case "roles_grant": {
      const now = await ctx.db
        .selectFrom("users")
        .select("roles")
        .where("id", "=", target)
        .forUpdate()
        .executeTakeFirst();
      if (!now) throw AppError.notFound("user");
      if ([...now.roles].sort().join() !== (p.before as string[]).join()) {
        throw AppError.field(
          "payload.before",
          "the account's roles changed since the request: ask again",
          "invalid_state",
        );
      }
      const user = await changeUser(ctx, target, { roles: p.after as Role[] }, via);
      // An account that held no guarded role may have credentials the requester knows (they made
      // it with a password, or reset it at once): its first guarded grant re-issues them through
      // the approver — a one-time password shown to them, the second factor to enrol again.
      if (!(p.before as string[]).some((r) => (FOUR_EYES_ROLES as readonly string[]).includes(r))) {
        await applyMfaReset(ctx, target, via);
        return applyPasswordReset(ctx, target, via);
      }
      return { user };
    }
    case "user_create":
      return createUser(
        ctx,
        {
          username: String(p.username),
          displayName: String(p.displayName),
          roles: p.roles as Role[],
          language: p.language as Language,
        },
        via,
      );
    case "token_create":
      return applyTokenFor(
        ctx,
        target,
        { name: String(p.name), scopes: p.scopes as Permission[], expiresInDays: Number(p.expiresInDays) },
        via,
      );
  }
}

const summary = (row: Row) => ({
  kind: row.kind,
  targetUserId: row.target_user_id,
  targetUsername: row.target_username,
  requestedBy: row.requested_by_label,
});

/** Approve a request: the change is made now; a secret it produces is in this answer only. */
export async function approve(ctx: Ctx, id: string): Promise<{ approval: ApprovalView } & Executed> {
  return inTransaction(ctx, async (tx) => {
    const row = await pending(tx, id);
    await secondPair(tx, row);
    const done = await execute(tx, row, {
      approvalId: row.id,
      requestedByLabel: row.requested_by_label,
      approvedByLabel: tx.actor.label,
      breakGlass: false,
      reason: null,
    });
    const decided = await tx.db
      .updateTable("approvals")
      .set({
        decision: "approved",
        decided_by: tx.actor.userId,
        decided_by_label: tx.actor.label,
        decided_at: new Date(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "approval.approved",
      targetType: "approval",
      targetId: id,
      details: summary(row),
    });
    return { approval: presentApproval(decided), ...done };
  });
}

export async function refuse(
  ctx: Ctx,
  id: string,
  input: { reason?: string | undefined },
): Promise<ApprovalView> {
  return inTransaction(ctx, async (tx) => {
    const row = await pending(tx, id);
    await secondPair(tx, row);
    const decided = await tx.db
      .updateTable("approvals")
      .set({
        decision: "refused",
        decided_by: tx.actor.userId,
        decided_by_label: tx.actor.label,
        decided_at: new Date(),
        reason: input.reason ?? null,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "approval.refused",
      targetType: "approval",
      targetId: id,
      details: { ...summary(row), reason: input.reason ?? null },
    });
    return presentApproval(decided);
  });
}

/**
 * Break-glass, for a node with a single administrator: the operator (the command line, on
 * the server) makes the change a request holds without a second administrator. Loud: the
 * entry `approval.break_glass` with the reason, and a notice marked break-glass that the
 * account's holder, the leads of their cases, every administrator and every auditor see.
 */
export async function breakGlass(
  ctx: Ctx,
  id: string,
  reason: string,
): Promise<{ approval: ApprovalView; otherAdministrators: number } & Executed> {
  if (reason.trim().length < 10) throw AppError.field("reason", "say why, in at least 10 characters");
  return inTransaction(ctx, async (tx) => {
    const row = await pending(tx, id);
    const done = await execute(tx, row, {
      approvalId: row.id,
      requestedByLabel: row.requested_by_label,
      approvedByLabel: null,
      breakGlass: true,
      reason,
    });
    const decided = await tx.db
      .updateTable("approvals")
      .set({
        decision: "break_glass",
        decided_by: tx.actor.userId,
        decided_by_label: tx.actor.label,
        decided_at: new Date(),
        reason,
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const admins = await tx.db
      .selectFrom("users")
      .select("id")
      .where("status", "=", "active")
      .where(sql<boolean>`'admin' = ANY(roles)`)
      .execute();
    const otherAdministrators = admins.filter(
      (a) => a.id !== row.requested_by && a.id !== row.target_user_id,
    ).length;
    await audit(tx, {
      event: "approval.break_glass",
      targetType: "approval",
      targetId: id,
      details: { ...summary(row), reason, otherAdministrators },
    });
    return { approval: presentApproval(decided), otherAdministrators, ...done };
  });
}
