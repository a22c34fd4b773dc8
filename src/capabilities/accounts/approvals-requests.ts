/**
 * Four eyes, the asking half: when a change needs a second administrator, and the pending
 * request that waits for one. The deciding half (approve, refuse, expire, break-glass) is
 * approvals.ts.
 */
import type { Selectable } from "kysely";
import { AppError } from "../../domain/errors.ts";
import { POLICY, type Role } from "../../domain/roles.ts";
import type { ApprovalKind, ApprovalView } from "../../domain/schemas.ts";
import { audit } from "../../platform/audit/index.ts";
import type { Ctx } from "../../platform/context.ts";
import type { ApprovalsTable } from "../../platform/db/schema.ts";
import { newId } from "../../platform/ids.ts";
import { iso, isoOrNull } from "../../platform/time.ts";

/**
 * How a change held for four eyes is finally made: the request it comes from, who asked,
 * who approved (null for the operator's break-glass), and the break-glass reason.
 */
export interface Via {
  approvalId: string;
  requestedByLabel: string;
  approvedByLabel: string | null;
  breakGlass: boolean;
  reason: string | null;
}

/** A request waits this long for a second administrator, then expires. */
export const APPROVAL_TTL_HOURS = 24;

/** Roles that may serve on case teams, from the policy table. */
export const CASEWORK_ROLES = (Object.keys(POLICY) as Role[]).filter((r) => POLICY[r].includes("cases.work"));

/**
 * Does the rule apply to this caller? To a person — a signed-in administrator or their API
 * token. The command line (the operator on the server, holding the database and the node's
 * key) and the node's own seeding act at once; what they do is audited under their label.
 */
export function fourEyesApply(ctx: Ctx): boolean {
  return ctx.actor.kind === "user" || ctx.actor.kind === "token";
}

/**
 * The roles whose grant waits for a second administrator, and whose holders' passwords, second
 * factors and tokens do: every role with case work (it opens cases once on a team), and the
 * administrator and the auditor — or one administrator could make a second one (a sock puppet
 * that approves the first one's requests) or take over another's account, and so every rule here.
 */
export const FOUR_EYES_ROLES: readonly Role[] = [...CASEWORK_ROLES, "admin", "auditor"];

/**
 * Does changing this account's credentials need a second administrator? When it holds a role of
 * FOUR_EYES_ROLES or is on any case's team (roles can have been taken away since).
 */
export async function guardedAccount(
  ctx: Ctx,
  user: { id: string; roles: readonly string[] },
): Promise<boolean> {
  if (user.roles.some((r) => (FOUR_EYES_ROLES as readonly string[]).includes(r))) return true;
  const row = await ctx.db
    .selectFrom("case_team")
    .select("case_id")
    .where("user_id", "=", user.id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The roles of FOUR_EYES_ROLES in `after` that `before` does not hold (a grant that needs four eyes). */
export function guardedRolesGranted(before: readonly string[], after: readonly string[]): Role[] {
  return FOUR_EYES_ROLES.filter((r) => after.includes(r) && !before.includes(r));
}

export function presentApproval(a: Selectable<ApprovalsTable>): ApprovalView {
  return {
    id: a.id,
    kind: a.kind,
    targetUserId: a.target_user_id,
    targetUsername: a.target_username,
    payload: a.payload,
    requestedBy: a.requested_by,
    requestedByLabel: a.requested_by_label,
    requestedAt: iso(a.requested_at),
    expiresAt: iso(a.expires_at),
    decision: a.decision,
    decidedBy: a.decided_by,
    decidedByLabel: a.decided_by_label,
    decidedAt: isoOrNull(a.decided_at),
    reason: a.reason,
  };
}

/**
 * Hold the change for a second administrator, in the caller's transaction: one pending
 * request per kind and account (a second one is refused, naming the first).
 */
export async function requestApproval(
  ctx: Ctx,
  input: {
    kind: ApprovalKind;
    target: { id: string | null; username: string };
    payload: Record<string, unknown>;
  },
): Promise<ApprovalView> {
  const now = new Date();
  let pending = ctx.db
    .selectFrom("approvals")
    .select("id")
    .where("kind", "=", input.kind)
    .where("decision", "is", null)
    .where("expires_at", ">", now);
  pending = input.target.id
    ? pending.where("target_user_id", "=", input.target.id)
    : pending.where("target_username", "=", input.target.username);
  const already = await pending.executeTakeFirst();
  if (already) {
    throw new AppError(
      "conflict",
      `A request to do this to ${input.target.username} already waits for a second administrator (approval ${already.id}).`,
      [{ path: "approval", message: `already requested: ${already.id}` }],
    );
  }
  const row = await ctx.db
    .insertInto("approvals")
    .values({
      id: newId(),
      kind: input.kind,
      target_user_id: input.target.id,
      target_username: input.target.username,
      payload: JSON.stringify(input.payload),
      requested_by: ctx.actor.userId,
      requested_by_label: ctx.actor.label,
      requested_at: now,
      expires_at: new Date(now.getTime() + APPROVAL_TTL_HOURS * 3_600_000),
      decision: null,
      decided_by: null,
      decided_by_label: null,
      decided_at: null,
      reason: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(ctx, {
    event: "approval.requested",
    targetType: "approval",
    targetId: row.id,
    details: {
      kind: row.kind,
      targetUserId: row.target_user_id,
      targetUsername: row.target_username,
      payload: input.payload,
    },
  });
  return presentApproval(row);
}
