/** API tokens for machine clients: hashed at rest, scoped, expiring, revocable; one's own, or (four eyes) for another account. */
import { AppError } from "../../domain/errors.ts";
import { isRole, type Permission, permissionsOf } from "../../domain/roles.ts";
import type { ApprovalView, TokenView } from "../../domain/schemas.ts";
import { audit } from "../../platform/audit/index.ts";
import { sha256 } from "../../platform/auth/crypto.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import { fourEyesApply, requestApproval, type Via } from "./approvals-requests.ts";
import { newApiTokenSecret, newId } from "./auth.ts";
import { recordNotice } from "./notices.ts";
import { presentToken } from "./presenters.ts";

function ownerOf(ctx: Ctx): string {
  if (!ctx.actor.userId || ctx.actor.kind !== "user") {
    throw new AppError("unauthenticated", "API tokens are managed from a signed-in session.");
  }
  return ctx.actor.userId;
}

/** Store a token: only the hash of its secret, its scopes and its expiry. */
function insertToken(
  ctx: Ctx,
  userId: string,
  input: { name: string; scopes: Permission[]; expiresInDays: number },
  secret: string,
) {
  const now = new Date();
  return ctx.db
    .insertInto("api_tokens")
    .values({
      id: newId(),
      user_id: userId,
      name: input.name,
      token_hash: sha256(secret),
      scopes: input.scopes,
      created_at: now,
      expires_at: new Date(now.getTime() + input.expiresInDays * 86_400_000),
      revoked_at: null,
      last_used_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function createToken(
  ctx: Ctx,
  input: { name: string; scopes: Permission[]; expiresInDays: number },
): Promise<{ token: TokenView; secret: string }> {
  const userId = ownerOf(ctx);
  const scopes = [...new Set(input.scopes)].sort();
  const notHeld = scopes.filter((s) => !ctx.actor.permissions.has(s));
  if (notHeld.length > 0) {
    throw AppError.field(
      "body.scopes",
      `you do not hold ${notHeld.join(", ")}; a token can only narrow your permissions`,
    );
  }
  const secret = newApiTokenSecret();
  return inTransaction(ctx, async (tx) => {
    const row = await insertToken(tx, userId, { ...input, scopes }, secret);
    await audit(tx, {
      event: "token.created",
      targetType: "api_token",
      targetId: row.id,
      details: { name: input.name, scopes },
    });
    return { token: presentToken(row), secret };
  });
}

export async function listTokens(ctx: Ctx): Promise<TokenView[]> {
  const rows = await ctx.db
    .selectFrom("api_tokens")
    .selectAll()
    .where("user_id", "=", ownerOf(ctx))
    .orderBy("created_at", "desc")
    .execute();
  return rows.map(presentToken);
}

export async function revokeToken(ctx: Ctx, id: string): Promise<TokenView> {
  const userId = ownerOf(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .updateTable("api_tokens")
      .set({ revoked_at: new Date() })
      .where("id", "=", id)
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw AppError.notFound("token");
    await audit(tx, { event: "token.revoked", targetType: "api_token", targetId: id });
    return presentToken(row);
  });
}

export interface TokenForInput {
  name: string;
  scopes: Permission[];
  expiresInDays: number;
}

/**
 * An API token for another account (e.g. a service account), by an administrator. A token
 * acts as its owner, so it always waits for a second administrator (`approval`); the secret
 * is shown once, on approval, to the approver. Scopes are a subset of the owner's permissions.
 */
export async function requestTokenFor(
  ctx: Ctx,
  userId: string,
  input: TokenForInput,
): Promise<{ approval: ApprovalView } | { token: TokenView; secret: string }> {
  return inTransaction(ctx, async (tx) => {
    const owner = await checkedOwner(tx, userId, input.scopes);
    const scopes = [...new Set(input.scopes)].sort();
    if (!fourEyesApply(tx)) return applyTokenFor(tx, userId, input);
    if (userId === tx.actor.userId) {
      throw AppError.field(
        "params.id",
        "this is your own account: create your own tokens from your account page",
      );
    }
    const approval = await requestApproval(tx, {
      kind: "token_create",
      target: { id: userId, username: owner.username },
      payload: { name: input.name, scopes, expiresInDays: input.expiresInDays },
    });
    return { approval };
  });
}

async function checkedOwner(ctx: Ctx, userId: string, wanted: readonly Permission[]) {
  const owner = await ctx.db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirst();
  if (!owner) throw AppError.notFound("user");
  if (owner.status !== "active")
    throw AppError.field("params.id", "the account is disabled", "invalid_state");
  // Administration never travels in a token made for someone else: whoever approves it would hold
  // a second administrator's identity, and could approve their own requests with it.
  if (wanted.includes("users.manage")) {
    throw AppError.field(
      "body.scopes",
      "users.manage cannot be given in a token for another account; its holder signs in to administer",
    );
  }
  const held = permissionsOf(owner.roles.filter(isRole));
  const notHeld = [...new Set(wanted)].filter((s) => !held.has(s)).sort();
  if (notHeld.length > 0) {
    throw AppError.field(
      "body.scopes",
      `${owner.username} does not hold ${notHeld.join(", ")}; a token can only narrow its owner's permissions`,
    );
  }
  return owner;
}

/** Make the token for the account (as a request approved, or by the operator). */
export async function applyTokenFor(
  ctx: Ctx,
  userId: string,
  input: TokenForInput,
  via?: Via,
): Promise<{ token: TokenView; secret: string }> {
  return inTransaction(ctx, async (tx) => {
    await checkedOwner(tx, userId, input.scopes);
    const scopes = [...new Set(input.scopes)].sort();
    const secret = newApiTokenSecret();
    const row = await insertToken(tx, userId, { ...input, scopes }, secret);
    await audit(tx, {
      event: "token.created",
      targetType: "api_token",
      targetId: row.id,
      details: {
        name: input.name,
        scopes,
        owner: userId,
        ...(via
          ? {
              approval: via.approvalId,
              requestedBy: via.requestedByLabel,
              ...(via.breakGlass
                ? { breakGlass: true, reason: via.reason }
                : { approvedBy: via.approvedByLabel }),
            }
          : {}),
      },
    });
    await recordNotice(tx, {
      userId,
      kind: "token_create",
      approvalId: via?.approvalId ?? null,
      requestedByLabel: via?.requestedByLabel ?? tx.actor.label,
      approvedByLabel: via?.approvedByLabel ?? null,
      breakGlass: via?.breakGlass ?? false,
      reason: via?.reason ?? null,
    });
    return { token: presentToken(row), secret };
  });
}
