/** Staff accounts: listing, creation, roles, status, second-factor reset, unlock, password reset. */
import { randomInt } from "node:crypto";
import { type Selectable, sql } from "kysely";
import { AppError } from "../../domain/errors.ts";
import { POLICY, type Role, separationBreach, separationRefusal } from "../../domain/roles.ts";
import type { Language, UserView } from "../../domain/schemas.ts";
import { audit } from "../../platform/audit/index.ts";
import { hashPassword } from "../../platform/auth/crypto.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import { containsPattern } from "../../platform/db/index.ts";
import type { UsersTable } from "../../platform/db/schema.ts";
import { newId } from "./auth.ts";
import { presentUser } from "./presenters.ts";
import { clearThrottle } from "./throttle.ts";

const PG_UNIQUE_VIOLATION = "23505";

/** A readable one-time password: 4 groups of 5 letters and digits without look-alikes. */
export function temporaryPassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const group = () => Array.from({ length: 5 }, () => alphabet[randomInt(alphabet.length)]).join("");
  return [group(), group(), group(), group()].join("-");
}

async function findUser(ctx: Ctx, id: string): Promise<Selectable<UsersTable>> {
  const u = await ctx.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  if (!u) throw AppError.notFound("user");
  return u;
}

export async function listUsers(
  ctx: Ctx,
  input: { status?: "active" | "disabled"; role?: Role; q?: string },
) {
  return inTransaction(ctx, async (tx) => {
    let q = tx.db.selectFrom("users").selectAll().orderBy("username").limit(1000);
    if (input.status) q = q.where("status", "=", input.status);
    if (input.role) q = q.where(sql<boolean>`${input.role} = ANY(roles)`);
    if (input.q) {
      const like = containsPattern(input.q.toLowerCase());
      q = q.where((eb) =>
        eb.or([eb("username", "like", like), eb(eb.fn("lower", ["display_name"]), "like", like)]),
      );
    }
    const rows = await q.execute();
    await audit(tx, {
      event: "users.listed",
      purpose: "user administration",
      details: { count: rows.length, filter: input },
    });
    return rows.map((r) => presentUser(r));
  });
}

export async function getUser(ctx: Ctx, id: string, purpose: string): Promise<UserView> {
  return inTransaction(ctx, async (tx) => {
    const u = await findUser(tx, id);
    await audit(tx, { event: "user.viewed", targetType: "user", targetId: id, purpose });
    return presentUser(u);
  });
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  roles: Role[];
  password?: string | undefined;
  language?: Language | undefined;
  /** Sandbox only: pre-enrol the second factor with this secret. */
  totpSecret?: string | undefined;
}

export async function createUser(
  ctx: Ctx,
  input: CreateUserInput,
): Promise<{ user: UserView; temporaryPassword?: string }> {
  const breach = separationBreach(input.roles);
  if (breach) throw AppError.field("body.roles", separationRefusal(breach));
  const temp = input.password ? undefined : temporaryPassword();
  const passwordHash = await hashPassword(input.password ?? temp ?? "");
  const roles = [...new Set(input.roles)].sort();
  try {
    return await inTransaction(ctx, async (tx) => {
      const row = await tx.db
        .insertInto("users")
        .values({
          id: newId(),
          username: input.username,
          display_name: input.displayName,
          roles,
          status: "active",
          password_hash: passwordHash,
          mfa_secret_enc: input.totpSecret ? tx.box.seal(input.totpSecret) : null,
          mfa_pending_secret_enc: null,
          mfa_last_step: null,
          mfa_enrolled_at: input.totpSecret ? new Date() : null,
          locked_until: null,
          last_login_at: null,
          language: input.language ?? "en",
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(tx, {
        event: "user.created",
        targetType: "user",
        targetId: row.id,
        details: { username: row.username, roles, mfaPreEnrolled: Boolean(input.totpSecret) },
      });
      return { user: presentUser(row), ...(temp ? { temporaryPassword: temp } : {}) };
    });
  } catch (e) {
    if ((e as { code?: string }).code === PG_UNIQUE_VIOLATION) {
      throw AppError.field("body.username", "is already taken", "conflict");
    }
    throw e;
  }
}

export interface UpdateUserInput {
  displayName?: string | undefined;
  roles?: Role[] | undefined;
  status?: "active" | "disabled" | undefined;
}

export async function updateUser(ctx: Ctx, id: string, input: UpdateUserInput): Promise<UserView> {
  return inTransaction(ctx, async (tx) => {
    const before = await findUser(tx, id);
    if (id === tx.actor.userId && input.status === "disabled") {
      throw AppError.field("body.status", "you cannot disable your own account");
    }
    const roles = input.roles ? [...new Set(input.roles)].sort() : undefined;
    // Nobody changes their own roles: not to grant themselves more, nor to give up the last admin role.
    if (id === tx.actor.userId && roles && roles.join() !== [...before.roles].sort().join()) {
      throw AppError.field("body.roles", "you cannot change your own roles");
    }
    const breach = roles ? separationBreach(roles) : null;
    if (breach) throw AppError.field("body.roles", separationRefusal(breach));
    const row = await tx.db
      .updateTable("users")
      .set({
        ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
        ...(roles ? { roles } : {}),
        ...(input.status ? { status: input.status } : {}),
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.status === "disabled") await tx.db.deleteFrom("sessions").where("user_id", "=", id).execute();
    if (roles && roles.join() !== [...before.roles].sort().join()) {
      await audit(tx, {
        event: "user.roles_changed",
        targetType: "user",
        targetId: id,
        details: { before: before.roles, after: roles },
      });
    }
    if (input.status && input.status !== before.status) {
      await audit(tx, {
        event: input.status === "disabled" ? "user.disabled" : "user.enabled",
        targetType: "user",
        targetId: id,
      });
    }
    if (input.displayName !== undefined && input.displayName !== before.display_name) {
      await audit(tx, {
        event: "user.updated",
        targetType: "user",
        targetId: id,
        details: { displayName: { before: before.display_name, after: input.displayName } },
      });
    }
    return presentUser(row);
  });
}

export async function resetMfa(ctx: Ctx, id: string): Promise<UserView> {
  return inTransaction(ctx, async (tx) => {
    await findUser(tx, id);
    const row = await tx.db
      .updateTable("users")
      .set({
        mfa_secret_enc: null,
        mfa_pending_secret_enc: null,
        mfa_enrolled_at: null,
        mfa_last_step: null,
        updated_at: new Date(),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx.db.deleteFrom("sessions").where("user_id", "=", id).execute();
    await audit(tx, { event: "user.mfa_reset", targetType: "user", targetId: id });
    return presentUser(row);
  });
}

export async function unlockUser(ctx: Ctx, id: string): Promise<UserView> {
  return inTransaction(ctx, async (tx) => {
    await findUser(tx, id);
    const row = await tx.db
      .updateTable("users")
      .set({ failed_attempts: 0, locked_until: null, updated_at: new Date() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    // The sign-in throttle of the username: every address, device, ceiling and code bucket.
    await clearThrottle(tx, row.username);
    await audit(tx, { event: "user.unlocked", targetType: "user", targetId: id });
    return presentUser(row);
  });
}

export async function resetPassword(
  ctx: Ctx,
  id: string,
): Promise<{ user: UserView; temporaryPassword: string }> {
  const temp = temporaryPassword();
  const passwordHash = await hashPassword(temp);
  return inTransaction(ctx, async (tx) => {
    await findUser(tx, id);
    const row = await tx.db
      .updateTable("users")
      .set({ password_hash: passwordHash, failed_attempts: 0, locked_until: null, updated_at: new Date() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx.db.deleteFrom("sessions").where("user_id", "=", id).execute();
    await audit(tx, { event: "user.password_reset", targetType: "user", targetId: id });
    return { user: presentUser(row), temporaryPassword: temp };
  });
}

export async function updateOwnPreferences(ctx: Ctx, input: { language: Language }): Promise<UserView> {
  const userId = ctx.actor.userId;
  if (!userId) throw new AppError("unauthenticated", "Sign in first.");
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .updateTable("users")
      .set({ language: input.language, updated_at: new Date() })
      .where("id", "=", userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, {
      event: "self.preferences_updated",
      targetType: "user",
      targetId: userId,
      details: input,
    });
    return presentUser(row);
  });
}

/** Roles that may serve on case teams, from the policy table. */
const CASEWORK_ROLES = (Object.keys(POLICY) as Role[]).filter((r) => POLICY[r].includes("cases.work"));

/**
 * Colleagues a case lead may put on a team: active accounts holding a role that
 * works on cases, found by user name or display name. Only what a team list shows.
 */
export async function findColleagues(ctx: Ctx, input: { q: string }) {
  const like = containsPattern(input.q.trim().toLowerCase());
  const rows = await ctx.db
    .selectFrom("users")
    .select(["id", "username", "display_name", "roles"])
    .where("status", "=", "active")
    .where(sql<boolean>`roles && ${sql.val(CASEWORK_ROLES)}::text[]`)
    .where((eb) => eb.or([eb("username", "like", like), eb(eb.fn("lower", ["display_name"]), "like", like)]))
    .orderBy("username")
    .limit(20)
    .execute();
  return rows.map((r) => ({
    userId: r.id,
    username: r.username,
    displayName: r.display_name,
    roles: r.roles.filter((x): x is Role => CASEWORK_ROLES.includes(x as Role)),
  }));
}
