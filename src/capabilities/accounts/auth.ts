import type { Kysely, Selectable } from "kysely";
import QRCode from "qrcode";
import { AppError } from "../../domain/errors.ts";
import { isPermission, type Permission, permissionsOf, type Role } from "../../domain/roles.ts";
import type { ResolvedSession, SessionStage } from "../../platform/http/access.ts";

export type { ResolvedSession, SessionStage };

import { audit } from "../../platform/audit/index.ts";
import {
  dummyPasswordHash,
  newTotpSecret,
  randomToken,
  sha256,
  totpMatch,
  totpUri,
  verifyPassword,
} from "../../platform/auth/crypto.ts";
import { type Actor, type Ctx, inTransaction } from "../../platform/context.ts";
import type { Database, UsersTable } from "../../platform/db/schema.ts";
import { newId } from "../../platform/ids.ts";
import {
  accountBucket,
  addressBucket,
  type Bucket,
  blockedUntil,
  clearBuckets,
  codeBucket,
  countFailure,
  deviceBucket,
  issueDevice,
  type KnownDevice,
  knownDevice,
  normaliseUsername,
  throttledError,
} from "./throttle.ts";

export const SESSION_COOKIE = "ariadne_session";
export const TOKEN_PREFIX = "ariadne_";
/** A half-authenticated session (password given, second factor pending) lives this long. */
const PARTIAL_SESSION_MS = 10 * 60_000;
/** last_seen_at is written at most this often, so that reads stay reads. */
const TOUCH_EVERY_MS = 60_000;
export function actorForUser(user: Selectable<UsersTable>, scopes?: readonly Permission[]): Actor {
  const roles = user.roles as Role[];
  let permissions = permissionsOf(roles);
  if (scopes) permissions = new Set([...permissions].filter((p) => scopes.includes(p)));
  return { kind: scopes ? "token" : "user", userId: user.id, label: user.username, roles, permissions };
}

async function createSession(
  ctx: Ctx,
  userId: string,
  stage: SessionStage,
  meta: { userAgent: string | null },
): Promise<{ token: string; csrfToken: string }> {
  const token = randomToken();
  const csrfToken = randomToken();
  const now = new Date();
  const ttl = stage === "full" ? ctx.config.session.absoluteMs : PARTIAL_SESSION_MS;
  await ctx.db
    .insertInto("sessions")
    .values({
      id_hash: sha256(token),
      user_id: userId,
      stage,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + ttl),
      ip: ctx.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, csrfToken };
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  stage: Exclude<SessionStage, "full">;
}

export interface SignInMeta {
  userAgent: string | null;
  /** The tokens of the browser's known-device cookie (throttle.deviceTokens). */
  deviceTokens: readonly string[];
}

/** Refused: audited as `event` with the reason; `user` when the username is an account's. */
async function auditRefusal(
  ctx: Ctx,
  event: "auth.login_failed" | "auth.mfa_failed",
  username: string,
  user: { id: string } | undefined,
  details: Record<string, unknown>,
): Promise<void> {
  await audit(ctx, {
    event,
    actorLabel: username.slice(0, 64),
    ...(user ? { targetType: "user", targetId: user.id } : {}),
    details,
  });
}

/** Count a failure in the buckets and audit it (and the wait it starts). Returns the end of that wait. */
async function failed(
  ctx: Ctx,
  event: "auth.login_failed" | "auth.mfa_failed",
  username: string,
  user: { id: string } | undefined,
  reason: string,
  buckets: readonly Bucket[],
): Promise<Date | null> {
  return inTransaction(ctx, async (tx) => {
    const outcome = await countFailure(tx, buckets);
    const bucket = buckets[0]?.kind ?? "address";
    await auditRefusal(tx, event, username, user, { reason, bucket, failedAttempts: outcome.failures });
    if (outcome.until) {
      // The administrator sees the account as throttled (`locked`) while its ceiling holds.
      if (outcome.kind === "account" && user)
        await tx.db
          .updateTable("users")
          .set({ locked_until: outcome.until })
          .where("id", "=", user.id)
          .execute();
      await audit(tx, {
        event: "auth.throttled",
        actorLabel: username.slice(0, 64),
        ...(user ? { targetType: "user", targetId: user.id } : {}),
        details: {
          bucket: outcome.kind,
          until: outcome.until.toISOString(),
          failedAttempts: outcome.failures,
        },
      });
    }
    return outcome.until;
  });
}

/**
 * The buckets of a password attempt: the known device's own when the browser
 * proves one for this username; otherwise the (address, username) pair and the
 * username's ceiling.
 */
function passwordBuckets(ctx: Ctx, username: string, device: KnownDevice | null): Bucket[] {
  return device ? [deviceBucket(device, username)] : [addressBucket(ctx, username), accountBucket(username)];
}

/**
 * Username and password. Unknown and known usernames take the same path: the
 * throttle (keyed by the username as typed) is asked first and answers alike for
 * both; then exactly one password verification (against a dummy hash for an
 * unknown username); every refusal is the same `invalid_credentials`.
 */
export async function login(
  ctx: Ctx,
  input: { username: string; password: string } & SignInMeta,
): Promise<LoginResult> {
  const username = normaliseUsername(input.username);
  const device = await knownDevice(ctx, input.deviceTokens, { username });
  const buckets = passwordBuckets(ctx, username, device);
  // Attempts of one bucket are answered one after another: thirty sent at once would otherwise
  // all pass the check before the first failure is counted (thirty guesses instead of five).
  const first = buckets[0];
  return oneAtATime(`${ctx.config.nodeId}\u0000${first?.kind}\u0000${first?.key}`, () =>
    checkPassword(ctx, input, username, buckets),
  );
}

/**
 * Attempts in flight per bucket (this process): each waits for the one before it. Holds only
 * the attempts being answered, so it stays as small as the number of concurrent sign-ins.
 */
const inFlight = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = inFlight.get(key) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  inFlight.set(key, settled);
  try {
    return await run;
  } finally {
    if (inFlight.get(key) === settled) inFlight.delete(key);
  }
}

async function checkPassword(
  ctx: Ctx,
  input: { username: string; password: string } & SignInMeta,
  username: string,
  buckets: ReturnType<typeof passwordBuckets>,
): Promise<LoginResult> {
  const user = await ctx.db
    .selectFrom("users")
    .selectAll()
    .where("username", "=", username)
    .executeTakeFirst();
  const waitUntil = await blockedUntil(ctx, buckets);
  if (waitUntil) {
    await inTransaction(ctx, (tx) =>
      auditRefusal(tx, "auth.login_failed", username, user, {
        reason: "throttled",
        bucket: buckets[0]?.kind ?? "address",
      }),
    );
    throw throttledError(waitUntil);
  }
  const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), input.password);
  if (!user || !ok || user.status !== "active") {
    const reason = !user ? "unknown_user" : ok ? "disabled" : "wrong_password";
    const until = await failed(ctx, "auth.login_failed", username, user, reason, buckets);
    // The failure that starts a wait already says so.
    if (until) throw throttledError(until);
    throw new AppError("invalid_credentials", "Wrong username or password.");
  }
  const stage = user.mfa_secret_enc ? "mfa" : "enrol";
  return inTransaction(ctx, async (tx) => {
    const s = await createSession(tx, user.id, stage, input);
    return { ...s, stage };
  });
}

/** Resolve a session cookie. Expired sessions are removed; an idle one is reported as expired. */
export async function resolveSession(
  db: Kysely<Database>,
  config: Ctx["config"],
  token: string,
): Promise<ResolvedSession | null> {
  const idHash = sha256(token);
  const row = await db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .selectAll("u")
    .select(["s.stage", "s.csrf_token", "s.last_seen_at", "s.expires_at"])
    .where("s.id_hash", "=", idHash)
    .executeTakeFirst();
  if (!row) return null;
  const now = Date.now();
  const lastSeen = new Date(row.last_seen_at).getTime();
  const idle = row.stage === "full" && now - lastSeen > config.session.idleMs;
  if (idle || new Date(row.expires_at).getTime() <= now || row.status !== "active") {
    await db.deleteFrom("sessions").where("id_hash", "=", idHash).execute();
    return null;
  }
  if (now - lastSeen > TOUCH_EVERY_MS) {
    await db
      .updateTable("sessions")
      .set({ last_seen_at: new Date(now) })
      .where("id_hash", "=", idHash)
      .execute();
  }
  const { stage, csrf_token, last_seen_at: _l, expires_at: _e, ...user } = row;
  return { idHash, stage, csrfToken: csrf_token, user: user as Selectable<UsersTable> };
}

/**
 * A second-factor code. Wrong codes slow down the account's code attempts (its
 * known device's own when the browser proves one), never lock the account.
 */
async function checkCode(
  ctx: Ctx,
  user: Selectable<UsersTable>,
  secret: string,
  code: string,
  device: KnownDevice | null,
): Promise<number> {
  const bucket = codeBucket(user, device);
  const waitUntil = await blockedUntil(ctx, [bucket]);
  if (waitUntil) {
    await inTransaction(ctx, (tx) =>
      auditRefusal(tx, "auth.mfa_failed", user.username, user, { reason: "throttled", bucket: bucket.kind }),
    );
    throw throttledError(waitUntil);
  }
  const step = totpMatch(secret, code);
  if (step === null || (user.mfa_last_step !== null && step <= user.mfa_last_step)) {
    const reason = step === null ? "wrong_code" : "reused_code";
    const until = await failed(ctx, "auth.mfa_failed", user.username, user, reason, [bucket]);
    if (until) throw throttledError(until);
    throw AppError.field(
      "body.code",
      step === null ? "is not the current code" : "was already used; wait for the next one",
      "invalid_code",
    );
  }
  return step;
}

export interface FullSession {
  token: string;
  csrfToken: string;
  /** The new value of the known-device cookie. */
  deviceCookie: string;
}

/**
 * Promote a half-authenticated session to a full one, under a new id (no session
 * fixation); the buckets this sign-in went through start again, and the browser
 * becomes (or stays) a known device of the account.
 */
async function promote(
  ctx: Ctx,
  session: ResolvedSession,
  meta: SignInMeta,
  device: KnownDevice | null,
): Promise<FullSession> {
  const user = session.user;
  await ctx.db.deleteFrom("sessions").where("id_hash", "=", session.idHash).execute();
  await ctx.db
    .updateTable("users")
    .set({ failed_attempts: 0, last_login_at: new Date() })
    .where("id", "=", user.id)
    .execute();
  await clearBuckets(ctx, [
    ...passwordBuckets(ctx, user.username, device).slice(0, 1),
    codeBucket(user, device),
  ]);
  const s = await createSession(ctx, user.id, "full", meta);
  const deviceCookie = await issueDevice(ctx, user.id, meta.deviceTokens, device);
  await audit(ctx, { event: "auth.login", targetType: "user", targetId: user.id });
  return { ...s, deviceCookie };
}

export async function verifySecondFactor(
  ctx: Ctx,
  session: ResolvedSession,
  code: string,
  meta: SignInMeta,
): Promise<FullSession> {
  if (session.stage !== "mfa" || !session.user.mfa_secret_enc) {
    throw new AppError("invalid_state", "This session is not waiting for a second-factor code.");
  }
  const device = await knownDevice(ctx, meta.deviceTokens, { userId: session.user.id });
  const step = await checkCode(ctx, session.user, ctx.box.open(session.user.mfa_secret_enc), code, device);
  return inTransaction(ctx, async (tx) => {
    // A code is taken once, also by two sessions giving it at the same moment (a relayed code):
    // the step is claimed only if no other sign-in claimed it, or a later one, first.
    const claimed = await tx.db
      .updateTable("users")
      .set({ mfa_last_step: step })
      .where("id", "=", session.user.id)
      .where((eb) => eb.or([eb("mfa_last_step", "is", null), eb("mfa_last_step", "<", step)]))
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) {
      throw AppError.field("body.code", "was already used; wait for the next one", "invalid_code");
    }
    return promote(tx, session, meta, device);
  });
}

export async function startEnrolment(ctx: Ctx, session: ResolvedSession) {
  if (session.stage !== "enrol")
    throw new AppError("invalid_state", "This session is not enrolling a second factor.");
  const secret = newTotpSecret();
  await ctx.db
    .updateTable("users")
    .set({ mfa_pending_secret_enc: ctx.box.seal(secret) })
    .where("id", "=", session.user.id)
    .execute();
  const uri = totpUri(secret, session.user.username, `Ariadne ${ctx.config.nodeId}`);
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { secret, otpauthUri: uri, qrSvg };
}

export async function confirmEnrolment(
  ctx: Ctx,
  session: ResolvedSession,
  code: string,
  meta: SignInMeta,
): Promise<FullSession> {
  if (session.stage !== "enrol")
    throw new AppError("invalid_state", "This session is not enrolling a second factor.");
  const pending = session.user.mfa_pending_secret_enc;
  if (!pending) throw new AppError("invalid_state", "Start the enrolment first.");
  const device = await knownDevice(ctx, meta.deviceTokens, { userId: session.user.id });
  const step = await checkCode(ctx, session.user, ctx.box.open(pending), code, device);
  return inTransaction(ctx, async (tx) => {
    await tx.db
      .updateTable("users")
      .set({
        mfa_secret_enc: pending,
        mfa_pending_secret_enc: null,
        mfa_enrolled_at: new Date(),
        mfa_last_step: step,
      })
      .where("id", "=", session.user.id)
      .execute();
    await audit(tx, { event: "auth.mfa_enrolled", targetType: "user", targetId: session.user.id });
    return promote(tx, session, meta, device);
  });
}

export async function logout(ctx: Ctx, session: ResolvedSession): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom("sessions").where("id_hash", "=", session.idHash).execute();
    await audit(tx, { event: "auth.logout", targetType: "user", targetId: session.user.id });
  });
}

/** Why a bearer token was refused: no such token, revoked, expired, or its owner disabled. */
export type ApiTokenRefusal = "token_unknown" | "token_revoked" | "token_expired" | "token_owner_disabled";
export type ApiTokenCheck =
  | { actor: Actor }
  | { refused: ApiTokenRefusal; tokenId?: string; owner?: { id: string; username: string } };

/**
 * Check `Authorization: Bearer ariadne_…`, saying why a token is refused (for the audit trail).
 * The token acts with its scopes ∩ the owner's current permissions.
 */
export async function checkApiToken(db: Kysely<Database>, token: string): Promise<ApiTokenCheck> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return { refused: "token_unknown" };
  const row = await db
    .selectFrom("api_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .selectAll("u")
    .select(["t.id as token_id", "t.scopes", "t.expires_at", "t.revoked_at", "t.last_used_at"])
    .where("t.token_hash", "=", sha256(token))
    .executeTakeFirst();
  if (!row) return { refused: "token_unknown" };
  const refused: ApiTokenRefusal | null = row.revoked_at
    ? "token_revoked"
    : new Date(row.expires_at).getTime() <= Date.now()
      ? "token_expired"
      : row.status !== "active"
        ? "token_owner_disabled"
        : null;
  if (refused) return { refused, tokenId: row.token_id, owner: { id: row.id, username: row.username } };
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > TOUCH_EVERY_MS) {
    await db
      .updateTable("api_tokens")
      .set({ last_used_at: new Date() })
      .where("id", "=", row.token_id)
      .execute();
  }
  const { token_id: _t, scopes, expires_at: _e, revoked_at: _r, last_used_at: _l, ...user } = row;
  return { actor: actorForUser(user as Selectable<UsersTable>, scopes.filter(isPermission)) };
}

/** Resolve `Authorization: Bearer ariadne_…` to its actor, or null (checkApiToken says why). */
export async function resolveApiToken(db: Kysely<Database>, token: string): Promise<Actor | null> {
  const c = await checkApiToken(db, token);
  return "actor" in c ? c.actor : null;
}

export function newApiTokenSecret(): string {
  return `${TOKEN_PREFIX}${randomToken(32)}`;
}

export { newId };
