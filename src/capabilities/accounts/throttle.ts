/**
 * Sign-in throttling and known devices (README "Sign-in policy").
 *
 * No account is ever locked. Failed attempts are counted per bucket, in the
 * database (sign_in_throttle, migration 013):
 * - `address`: one client address (IPv6 by its /64) and one username as typed;
 * - `device`: one known device of the account (the `ariadne_device` cookie a full
 *   sign-in leaves), so that its owner is never behind an attacker's bucket;
 * - `account`: one username from every address, known devices excepted — the
 *   ceiling against slow guessing from many addresses;
 * - `code`: second-factor codes of one account (or of one account on one known device).
 * `config.login.maxAttempts` failures of a bucket are free; each further one
 * makes the bucket wait, from `config.login.lockoutBaseMs`, doubling, up to
 * MAX_DELAY_MS. The account ceiling allows `config.login.accountFailuresPerHour`
 * failures per hour. The username is the one typed, whether an account has it or
 * not, so unknown and known usernames are throttled alike; the throttled answer
 * is the same for both.
 */
import { normalizeIP } from "@fastify/rate-limit";
import { sql } from "kysely";
import { AppError } from "../../domain/errors.ts";
import { randomToken, sha256 } from "../../platform/auth/crypto.ts";
import type { Ctx } from "../../platform/context.ts";
import type { SignInThrottleTable } from "../../platform/db/schema.ts";

/** The longest wait of one bucket. */
export const MAX_DELAY_MS = 15 * 60_000;
/** A bucket with no failure for this long starts again from nothing. */
export const FORGET_AFTER_MS = 24 * 3_600_000;
/** The account ceiling's window. */
export const ACCOUNT_WINDOW_MS = 3_600_000;

export const DEVICE_COOKIE = "ariadne_device";
/** The cookie is only sent to the sign-in routes. */
export const DEVICE_COOKIE_PATH = "/api/auth";
export const DEVICE_LIFETIME_MS = 180 * 24 * 3_600_000;
/** Tokens one browser keeps (a shared workstation: one per account signed in there). */
const MAX_DEVICE_TOKENS = 5;
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export type BucketKind = SignInThrottleTable["kind"];
export interface Bucket {
  kind: BucketKind;
  key: string;
  /** The username as typed (normalised), or the account's. */
  username: string;
}

/** The username as the throttle and the lookup see it. */
export function normaliseUsername(typed: string): string {
  return typed.trim().toLowerCase().slice(0, 64);
}

/** The address a bucket counts: the client as Fastify's trustProxy gives it; IPv6 by its /64. */
export function countedAddress(ip: string | null): string {
  return ip ? normalizeIP(ip, 64) : "unknown";
}

export function addressBucket(ctx: Ctx, username: string): Bucket {
  return { kind: "address", key: `${countedAddress(ctx.ip)}|${username}`, username };
}
export function accountBucket(username: string): Bucket {
  return { kind: "account", key: username, username };
}
export function deviceBucket(device: KnownDevice, username: string): Bucket {
  return { kind: "device", key: device.hashHex, username };
}
export function codeBucket(user: { id: string; username: string }, device: KnownDevice | null): Bucket {
  return { kind: "code", key: device ? `${user.id}|${device.hashHex}` : user.id, username: user.username };
}

/** The answer while a bucket waits: the same for every username, known or not. */
export function throttledError(until: Date): AppError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new AppError("rate_limited", `Too many failed attempts. Try again in ${seconds} s.`, [], {
    retryAfterSeconds: seconds,
  });
}

/** The latest end of a wait among the buckets, or null when none waits. */
export async function blockedUntil(ctx: Ctx, buckets: readonly Bucket[]): Promise<Date | null> {
  if (buckets.length === 0) return null;
  const now = new Date();
  const rows = await ctx.db
    .selectFrom("sign_in_throttle")
    .select("blocked_until")
    .where((eb) => eb.or(buckets.map((b) => eb.and([eb("kind", "=", b.kind), eb("key", "=", b.key)]))))
    .where("blocked_until", ">", now)
    .execute();
  let latest: Date | null = null;
  for (const r of rows) {
    const until = new Date(r.blocked_until as Date);
    if (!latest || until > latest) latest = until;
  }
  return latest;
}

function delayMs(ctx: Ctx, failures: number): number {
  const over = failures - ctx.config.login.maxAttempts;
  if (over < 0) return 0;
  return Math.min(ctx.config.login.lockoutBaseMs * 2 ** Math.min(over, 30), MAX_DELAY_MS);
}

export interface FailureOutcome {
  /** Failures of the first bucket (the one of the attempt's source), after this one. */
  failures: number;
  /** The end of a wait this failure started, if it started one. */
  until: Date | null;
  /** The kind of the bucket whose wait it started. */
  kind: BucketKind | null;
}

/**
 * Count one failure in each bucket (one statement each, atomic under concurrency)
 * and start the waits it earns. Call inside the transaction that audits it.
 */
export async function countFailure(ctx: Ctx, buckets: readonly Bucket[]): Promise<FailureOutcome> {
  const now = new Date();
  const forget = new Date(now.getTime() - FORGET_AFTER_MS);
  const windowStart = new Date(now.getTime() - ACCOUNT_WINDOW_MS);
  const outcome: FailureOutcome = { failures: 0, until: null, kind: null };
  for (const [i, b] of buckets.entries()) {
    // The account ceiling counts within a fixed hour; the others forget after a quiet day.
    const stale =
      b.kind === "account"
        ? sql<boolean>`sign_in_throttle.window_started_at <= ${windowStart}`
        : sql<boolean>`sign_in_throttle.last_failure_at <= ${forget}`;
    const row = await ctx.db
      .insertInto("sign_in_throttle")
      .values({
        kind: b.kind,
        key: b.key,
        username: b.username,
        failures: 1,
        window_started_at: now,
        last_failure_at: now,
        blocked_until: null,
      })
      .onConflict((oc) =>
        oc.columns(["kind", "key"]).doUpdateSet({
          failures: sql`CASE WHEN ${stale} THEN 1 ELSE sign_in_throttle.failures + 1 END`,
          window_started_at: sql`CASE WHEN ${stale} THEN ${now} ELSE sign_in_throttle.window_started_at END`,
          last_failure_at: now,
          username: b.username,
        }),
      )
      .returning(["failures", "window_started_at"])
      .executeTakeFirstOrThrow();
    if (i === 0) outcome.failures = row.failures;
    let until: Date | null = null;
    if (b.kind === "account") {
      if (row.failures >= ctx.config.login.accountFailuresPerHour)
        until = new Date(new Date(row.window_started_at).getTime() + ACCOUNT_WINDOW_MS);
    } else {
      const ms = delayMs(ctx, row.failures);
      if (ms > 0) until = new Date(now.getTime() + ms);
    }
    if (until) {
      await ctx.db
        .updateTable("sign_in_throttle")
        .set({ blocked_until: until })
        .where("kind", "=", b.kind)
        .where("key", "=", b.key)
        .execute();
      if (!outcome.until || until > outcome.until) {
        outcome.until = until;
        outcome.kind = b.kind;
      }
    }
  }
  // Forgotten buckets go, a few at a time (the index on last_failure_at keeps this cheap);
  // rows another attempt holds are skipped, so that this never waits for it (nor deadlocks).
  await sql`
    DELETE FROM sign_in_throttle WHERE (kind, key) IN (
      SELECT kind, key FROM sign_in_throttle
       WHERE last_failure_at < ${forget} AND (blocked_until IS NULL OR blocked_until < ${now})
       LIMIT 200 FOR UPDATE SKIP LOCKED)`.execute(ctx.db);
  return outcome;
}

/** After a full sign-in, the buckets it went through start again. */
export async function clearBuckets(ctx: Ctx, buckets: readonly Bucket[]): Promise<void> {
  if (buckets.length === 0) return;
  await ctx.db
    .deleteFrom("sign_in_throttle")
    .where((eb) => eb.or(buckets.map((b) => eb.and([eb("kind", "=", b.kind), eb("key", "=", b.key)]))))
    .execute();
}

/** An administrator's unlock: every bucket of the username (its addresses, devices, ceiling, codes). */
export async function clearThrottle(ctx: Ctx, username: string): Promise<void> {
  await ctx.db.deleteFrom("sign_in_throttle").where("username", "=", username).execute();
}

export interface KnownDevice {
  token: string;
  hashHex: string;
  userId: string;
}

/** The tokens of the device cookie (a few, dot-separated; malformed ones are ignored). */
export function deviceTokens(cookie: string | undefined): string[] {
  if (!cookie) return [];
  return cookie
    .split(".")
    .filter((t) => TOKEN_RE.test(t))
    .slice(0, MAX_DEVICE_TOKENS);
}

/** The cookie's valid token for this account (by username as typed, or by id), if it has one. */
export async function knownDevice(
  ctx: Ctx,
  tokens: readonly string[],
  account: { username: string } | { userId: string },
): Promise<KnownDevice | null> {
  if (tokens.length === 0) return null;
  const byHash = new Map(tokens.map((t) => [sha256(t).toString("hex"), t]));
  let q = ctx.db
    .selectFrom("known_devices as d")
    .innerJoin("users as u", "u.id", "d.user_id")
    .select(["d.token_hash", "d.user_id"])
    .where(
      "d.token_hash",
      "in",
      tokens.map((t) => sha256(t)),
    )
    .where("d.expires_at", ">", new Date());
  q =
    "userId" in account ? q.where("u.id", "=", account.userId) : q.where("u.username", "=", account.username);
  const row = await q.executeTakeFirst();
  if (!row) return null;
  const hashHex = Buffer.from(row.token_hash).toString("hex");
  const token = byHash.get(hashHex);
  return token ? { token, hashHex, userId: row.user_id } : null;
}

/**
 * A full sign-in: a new device token for the account (replacing the one the browser
 * had for it), and the cookie's new value (the other accounts' tokens kept).
 */
export async function issueDevice(
  ctx: Ctx,
  userId: string,
  tokens: readonly string[],
  previous: KnownDevice | null,
): Promise<string> {
  const now = new Date();
  const token = randomToken();
  if (previous)
    await ctx.db.deleteFrom("known_devices").where("token_hash", "=", sha256(previous.token)).execute();
  await ctx.db
    .deleteFrom("known_devices")
    .where("user_id", "=", userId)
    .where("expires_at", "<=", now)
    .execute();
  await ctx.db
    .insertInto("known_devices")
    .values({
      token_hash: sha256(token),
      user_id: userId,
      created_at: now,
      expires_at: new Date(now.getTime() + DEVICE_LIFETIME_MS),
    })
    .execute();
  const others = tokens.filter((t) => t !== previous?.token);
  return [token, ...others].slice(0, MAX_DEVICE_TOKENS).join(".");
}
