/** Staff accounts: listing, creation, roles, status, second-factor reset, unlock, password reset. */
import { randomInt } from "node:crypto";
import { type Selectable, sql } from "kysely";
import { AppError } from "../../domain/errors.ts";
import { type Role, separationBreach, separationRefusal } from "../../domain/roles.ts";
import type { ApprovalView, Language, UserView } from "../../domain/schemas.ts";
import { audit } from "../../platform/audit/index.ts";
import { hashPassword } from "../../platform/auth/crypto.ts";
import { type Ctx, inTransaction } from "../../platform/context.ts";
import { containsPattern } from "../../platform/db/index.ts";
import type { UsersTable } from "../../platform/db/schema.ts";
import {
  CASEWORK_ROLES,
  fourEyesApply,
  guardedAccount,
  guardedRolesGranted,
  requestApproval,
  type Via,
} from "./approvals-requests.ts";
import { newId } from "./auth.ts";
import { recordNotice } from "./notices.ts";
import { presentUser } from "./presenters.ts";
import { clearThrottle } from "./throttle.ts";

const PG_UNIQUE_VIOLATION = "23505";

/** A readable one-time password: 4 groups of 5 letters and digits without look-alikes. */
export function temporaryPassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const group = () => Array.from({ length: 5 }, () => alphabet[randomInt(alphabet.length)]).join("");
  return [group(), group(), group(), group()].join("-");
}

const viaDetails = (via: Via | undefined) =>
  via
    ? {
        approval: via.approvalId,
        requestedBy: via.requestedByLabel,
        ...(via.breakGlass ? { breakGlass: true, reason: via.reason } : { approvedBy: via.approvedByLabel }),
      }
    : {};

/** The notice the account's holder (and the leads of their cases) will see. */
const noticeOf = (ctx: Ctx, userId: string, kind: Parameters<typeof recordNotice>[1]["kind"], via?: Via) =>
  recordNotice(ctx, {
    userId,
    kind,
    approvalId: via?.approvalId ?? null,
    requestedByLabel: via?.requestedByLabel ?? ctx.actor.label,
    approvedByLabel: via?.approvedByLabel ?? null,
    breakGlass: via?.breakGlass ?? false,
    reason: via?.reason ?? null,
  });

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

/**
 * Create an account. An administrator who grants a role with case work waits for a second
 * administrator: the request is held (no password is kept: the account gets a one-time
 * password on approval, shown once to the approver).
 */
export async function createAccount(
  ctx: Ctx,
  input: CreateUserInput,
): Promise<{ user: UserView; temporaryPassword?: string } | { approval: ApprovalView }> {
  const breach = separationBreach(input.roles);
  if (breach) throw AppError.field("body.roles", separationRefusal(breach));
  const roles = [...new Set(input.roles)].sort();
  if (fourEyesApply(ctx) && guardedRolesGranted([], roles).length > 0) {
    if (input.password !== undefined) {
      throw AppError.field(
        "body.password",
        "an account with case work, administration or audit is created on a second administrator's approval, with a one-time password: leave the password out",
      );
    }
    return inTransaction(ctx, async (tx) => {
      const taken = await tx.db
        .selectFrom("users")
        .select("id")
        .where("username", "=", input.username)
        .executeTakeFirst();
      if (taken) throw AppError.field("body.username", "is already taken", "conflict");
      const approval = await requestApproval(tx, {
        kind: "user_create",
        target: { id: null, username: input.username },
        payload: {
          username: input.username,
          displayName: input.displayName,
          roles,
          language: input.language ?? "en",
        },
      });
      return { approval };
    });
  }
  return createUser(ctx, input);
}

/**
 * Make the account: by the command line and the node's seeding at once, by an administrator
 * through `createAccount` (which holds a grant of case work for four eyes), or as a request
 * approved (`via`).
 */
export async function createUser(
  ctx: Ctx,
  input: CreateUserInput,
  via?: Via,
): Promise<{ user: UserView; temporaryPassword?: string }> {
  const breach = separationBreach(input.roles);
  if (breach) throw AppError.field("body.roles", separationRefusal(breach));
  if (!via && fourEyesApply(ctx) && guardedRolesGranted([], input.roles).length > 0) {
    throw new Error("createUser: a grant of case work by an administrator goes through createAccount");
  }
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
        details: {
          username: row.username,
          roles,
          mfaPreEnrolled: Boolean(input.totpSecret),
          ...viaDetails(via),
        },
      });
      if (via) await noticeOf(tx, row.id, "user_create", via);
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

/**
 * Change an account. A grant of a role with case work, by an administrator, waits for a
 * second administrator (`approval`); the other fields of the same request take effect at once.
 */
export async function updateUser(
  ctx: Ctx,
  id: string,
  input: UpdateUserInput,
): Promise<{ user: UserView; approval: ApprovalView | null }> {
  return inTransaction(ctx, async (tx) => {
    const before = await findUser(tx, id);
    const roles = input.roles ? [...new Set(input.roles)].sort() : undefined;
    if (roles && fourEyesApply(tx) && guardedRolesGranted(before.roles, roles).length > 0) {
      if (id === tx.actor.userId) throw AppError.field("body.roles", "you cannot change your own roles");
      const breach = separationBreach(roles);
      if (breach) throw AppError.field("body.roles", separationRefusal(breach));
      const approval = await requestApproval(tx, {
        kind: "roles_grant",
        target: { id, username: before.username },
        payload: {
          before: [...before.roles].sort(),
          after: roles,
          granted: guardedRolesGranted(before.roles, roles),
        },
      });
      const { roles: _held, ...rest } = input;
      const user = Object.keys(rest).some((k) => rest[k as keyof typeof rest] !== undefined)
        ? await changeUser(tx, id, rest)
        : presentUser(before);
      return { user, approval };
    }
    return { user: await changeUser(tx, id, input), approval: null };
  });
}

/** Make the change (at once, or as a request approved). */
export async function changeUser(ctx: Ctx, id: string, input: UpdateUserInput, via?: Via): Promise<UserView> {
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
    if (input.status === "disabled") await signOutEverywhere(tx, id);
    if (roles && roles.join() !== [...before.roles].sort().join()) {
      await audit(tx, {
        event: "user.roles_changed",
        targetType: "user",
        targetId: id,
        details: { before: before.roles, after: roles, ...viaDetails(via) },
      });
      if (via) await noticeOf(tx, id, "roles_grant", via);
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

/**
 * Remove an account's second factor. An administrator resetting that of an account on a case
 * team waits for a second administrator (`approval`).
 */
export async function resetMfa(
  ctx: Ctx,
  id: string,
): Promise<{ user: UserView } | { approval: ApprovalView }> {
  return inTransaction(ctx, async (tx) => {
    const u = await findUser(tx, id);
    if (fourEyesApply(tx) && (await guardedAccount(tx, u))) {
      return {
        approval: await requestApproval(tx, {
          kind: "mfa_reset",
          target: { id, username: u.username },
          payload: {},
        }),
      };
    }
    return { user: await applyMfaReset(tx, id) };
  });
}

/**
 * End the account's sessions and forget its known devices: after a reset or when it is disabled,
 * a browser that signed in before (perhaps an intruder's) keeps no session and no bucket of its own.
 */
async function signOutEverywhere(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.deleteFrom("sessions").where("user_id", "=", id).execute();
  await ctx.db.deleteFrom("known_devices").where("user_id", "=", id).execute();
}

export async function applyMfaReset(ctx: Ctx, id: string, via?: Via): Promise<UserView> {
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
    await signOutEverywhere(tx, id);
    await audit(tx, { event: "user.mfa_reset", targetType: "user", targetId: id, details: viaDetails(via) });
    await noticeOf(tx, id, "mfa_reset", via);
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

/**
 * Replace an account's password with a one-time password. An administrator resetting that of
 * an account on a case team waits for a second administrator (`approval`): nothing changes
 * until then.
 */
export async function resetPassword(
  ctx: Ctx,
  id: string,
): Promise<{ user: UserView; temporaryPassword: string } | { approval: ApprovalView }> {
  if (fourEyesApply(ctx)) {
    const held = await inTransaction(ctx, async (tx) => {
      const u = await findUser(tx, id);
      if (!(await guardedAccount(tx, u))) return null;
      return requestApproval(tx, {
        kind: "password_reset",
        target: { id, username: u.username },
        payload: {},
      });
    });
    if (held) return { approval: held };
  }
  return applyPasswordReset(ctx, id);
}

export async function applyPasswordReset(
  ctx: Ctx,
  id: string,
  via?: Via,
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
    await signOutEverywhere(tx, id);
    await audit(tx, {
      event: "user.password_reset",
      targetType: "user",
      targetId: id,
      details: viaDetails(via),
    });
    await noticeOf(tx, id, "password_reset", via);
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
