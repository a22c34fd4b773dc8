/** API tokens for machine clients: hashed at rest, scoped, expiring, revocable. */
import { AppError } from "../../domain/errors.ts";
import type { Permission } from "../../domain/roles.ts";
import type { TokenView } from "../../domain/schemas.ts";
import { audit } from "../../platform/audit/index.ts";
import { sha256 } from "../../platform/auth/crypto.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import { newApiTokenSecret, newId } from "./auth.ts";
import { presentToken } from "./presenters.ts";

function ownerOf(ctx: Ctx): string {
  if (!ctx.actor.userId || ctx.actor.kind !== "user") {
    throw new AppError("unauthenticated", "API tokens are managed from a signed-in session.");
  }
  return ctx.actor.userId;
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
  const now = new Date();
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .insertInto("api_tokens")
      .values({
        id: newId(),
        user_id: userId,
        name: input.name,
        token_hash: sha256(secret),
        scopes,
        created_at: now,
        expires_at: new Date(now.getTime() + input.expiresInDays * 86_400_000),
        revoked_at: null,
        last_used_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
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
