import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpNow } from "../../src/platform/auth/crypto.ts";
import { signedIn } from "../helpers/factories.ts";
import {
  auditEvents,
  cookieFrom,
  createTestNode,
  makeUser,
  nextCode,
  sessionOf,
  signIn,
  type TestNode,
} from "../helpers/node.ts";

let node: TestNode;
beforeAll(async () => {
  node = await createTestNode({
    ARIADNE_LOGIN_MAX_ATTEMPTS: 3,
    ARIADNE_LOCKOUT_BASE_SECONDS: 1,
    ARIADNE_AUTH_RATE_LIMIT: 10_000,
  });
});
afterAll(async () => node?.close());

const login = (username: string, password: string) =>
  node.app.inject({ method: "POST", url: "/api/auth/login", payload: { username, password } });

describe("password sign-in", () => {
  it("refuses a wrong password with invalid_credentials and audits the failure", async () => {
    const u = await makeUser(node, ["investigator"]);
    const res = await login(u.username, "not-the-password");
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("invalid_credentials");
    expect(res.cookies.find((c) => c.name === "ariadne_session")).toBeUndefined();
    const failed = (await auditEvents(node, "auth.login_failed")).filter((e) => e.target_id === u.id);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.details).toEqual({ reason: "wrong_password", bucket: "address", failedAttempts: 1 });
  });

  it("answers an unknown user exactly like a wrong password", async () => {
    const res = await login("nobody-here", "whatever-password");
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("invalid_credentials");
    const last = (await auditEvents(node, "auth.login_failed")).at(-1);
    expect(last?.actor_label).toBe("nobody-here");
    expect(last?.details).toMatchObject({ reason: "unknown_user" });
  });

  it("slows down the address after the free failures instead of locking the account, and lets it in after the wait", async () => {
    const u = await makeUser(node, ["analyst"]);
    for (let i = 0; i < 2; i++) expect((await login(u.username, "wrong-password-x")).statusCode).toBe(401);
    // The failure that starts a wait already says so.
    const third = await login(u.username, "wrong-password-x");
    expect(third.statusCode).toBe(429);
    expect(third.json().error.code).toBe("rate_limited");
    const waiting = await login(u.username, u.password);
    expect(waiting.statusCode).toBe(429);
    expect(waiting.json().error.code).toBe("rate_limited");
    expect(waiting.json().error.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(waiting.headers["retry-after"]).toBe(String(waiting.json().error.retryAfterSeconds));
    expect(JSON.stringify(waiting.json())).not.toMatch(/lock/i);
    const throttled = (await auditEvents(node, "auth.login_failed")).filter((e) => e.target_id === u.id);
    expect(throttled.at(-1)?.details).toEqual({ reason: "throttled", bucket: "address" });
    expect((await auditEvents(node, "auth.throttled")).some((e) => e.target_id === u.id)).toBe(true);
    // The account itself is not locked: another address signs in at once.
    const elsewhere = await node.app.inject({
      method: "POST",
      url: "/api/auth/login",
      remoteAddress: "198.51.100.7",
      payload: { username: u.username, password: u.password },
    });
    expect(elsewhere.statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const again = await login(u.username, u.password);
    expect(again.statusCode).toBe(200);
    expect(again.json().stage).toBe("mfa");
  });

  it("doubles the wait with each further failure (backoff)", async () => {
    const u = await makeUser(node, ["analyst"]);
    for (let i = 0; i < 3; i++) await login(u.username, "wrong-password-x");
    await new Promise((r) => setTimeout(r, 1100));
    await login(u.username, "wrong-password-x"); // 4th failure: 2 s
    const row = await node.db.kysely
      .selectFrom("sign_in_throttle")
      .select(["blocked_until", "failures"])
      .where("kind", "=", "address")
      .where("username", "=", u.username)
      .executeTakeFirstOrThrow();
    expect(row.failures).toBe(4);
    const ms = new Date(row.blocked_until as Date).getTime() - Date.now();
    expect(ms).toBeGreaterThan(1200);
    expect(ms).toBeLessThanOrEqual(2000);
  });

  it("lets an administrator release a throttled sign-in at once", async () => {
    const u = await makeUser(node, ["analyst"]);
    const admin = await signedIn(node, ["admin"]);
    for (let i = 0; i < 3; i++) await login(u.username, "wrong-password-x");
    expect((await login(u.username, u.password)).statusCode).toBe(429);
    const res = await admin.inject("POST", `/api/users/${u.id}/unlock`);
    expect(res.statusCode).toBe(200);
    expect(res.json().locked).toBe(false);
    expect(
      await node.db.kysely
        .selectFrom("sign_in_throttle")
        .select("kind")
        .where("username", "=", u.username)
        .execute(),
    ).toEqual([]);
    expect((await login(u.username, u.password)).statusCode).toBe(200);
  });

  it("refuses a disabled account", async () => {
    const u = await makeUser(node, ["analyst"]);
    await node.db.kysely.updateTable("users").set({ status: "disabled" }).where("id", "=", u.id).execute();
    expect((await login(u.username, u.password)).statusCode).toBe(401);
  });
});

describe("second factor", () => {
  it("requires the TOTP code before anything else is reachable", async () => {
    const u = await makeUser(node, ["admin"]);
    const res = await login(u.username, u.password);
    const half = sessionOf(node.app, cookieFrom(res), res.json().csrfToken);
    const blocked = await half.inject("GET", "/api/users");
    expect(blocked.statusCode).toBe(401);
    expect(blocked.json().error.code).toBe("mfa_required");
  });

  it("refuses a wrong code, names the field, and counts it as a failure", async () => {
    const u = await makeUser(node, ["investigator"]);
    const res = await login(u.username, u.password);
    const half = sessionOf(node.app, cookieFrom(res), res.json().csrfToken);
    const good = totpNow(u.secret);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, "0");
    const bad = await half.inject("POST", "/api/auth/totp", { code: wrong });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error).toMatchObject({ code: "invalid_code", fields: [{ path: "body.code" }] });
    const failures = (await auditEvents(node)).filter(
      (e) => e.target_id === u.id && e.event.endsWith("_failed"),
    );
    expect(failures.map((e) => [e.event, e.actor_label, e.details])).toEqual([
      ["auth.mfa_failed", u.username, { reason: "wrong_code", bucket: "code", failedAttempts: 1 }],
    ]);
  });

  it("accepts the right code once, issues a new session id, and refuses the same code again (replay)", async () => {
    const u = await makeUser(node, ["investigator"]);
    const code = nextCode(u);
    const first = await login(u.username, u.password);
    const half = sessionOf(node.app, cookieFrom(first), first.json().csrfToken);
    const ok = await half.inject("POST", "/api/auth/totp", { code });
    expect(ok.statusCode).toBe(200);
    expect(cookieFrom(ok)).not.toBe(half.cookie);
    // The half-authenticated session id no longer works (no fixation).
    expect((await half.inject("GET", "/api/auth/session")).statusCode).toBe(401);
    const second = await login(u.username, u.password);
    const replay = await sessionOf(node.app, cookieFrom(second), second.json().csrfToken).inject(
      "POST",
      "/api/auth/totp",
      { code },
    );
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.fields[0].message).toMatch(/already used/);
    const signedIn = (await auditEvents(node, "auth.login")).filter((e) => e.target_id === u.id);
    expect(signedIn.map((e) => [e.actor_id, e.actor_label])).toEqual([[u.id, u.username]]);
  });

  it("a code given by two sessions at the same moment signs in only one of them (a relayed code)", async () => {
    const u = await makeUser(node, ["investigator"]);
    const code = nextCode(u);
    const halves = await Promise.all(
      [1, 2].map(async () => {
        const res = await login(u.username, u.password);
        return sessionOf(node.app, cookieFrom(res), res.json().csrfToken);
      }),
    );
    const answers = await Promise.all(halves.map((h) => h.inject("POST", "/api/auth/totp", { code })));
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    expect((await auditEvents(node, "auth.login")).filter((e) => e.target_id === u.id)).toHaveLength(1);
  });

  it("enrols an authenticator at first sign-in", async () => {
    const u = await makeUser(node, ["prosecutor"], { enrolled: false });
    const res = await login(u.username, u.password);
    expect(res.json().stage).toBe("enrol");
    const half = sessionOf(node.app, cookieFrom(res), res.json().csrfToken);
    expect((await half.inject("POST", "/api/auth/totp", { code: "123456" })).json().error.code).toBe(
      "invalid_state",
    );
    const start = await half.inject("POST", "/api/auth/enrol/start");
    expect(start.statusCode).toBe(200);
    const { secret, otpauthUri, qrSvg } = start.json();
    expect(otpauthUri).toContain("otpauth://totp/");
    expect(qrSvg).toContain("<svg");
    const confirm = await half.inject("POST", "/api/auth/enrol/confirm", { code: totpNow(secret) });
    expect(confirm.statusCode).toBe(200);
    const full = sessionOf(node.app, cookieFrom(confirm), confirm.json().csrfToken);
    const me = await full.inject("GET", "/api/auth/session");
    expect(me.statusCode).toBe(200);
    expect(me.json().user.mfaEnrolled).toBe(true);
    expect(me.json().permissions).toContain("self.read");
    const stored = await node.db.kysely
      .selectFrom("users")
      .select("mfa_secret_enc")
      .where("id", "=", u.id)
      .executeTakeFirstOrThrow();
    expect(stored.mfa_secret_enc).not.toContain(secret); // encrypted at rest
    expect(node.box.open(stored.mfa_secret_enc ?? "")).toBe(secret);
  });
});

describe("sessions", () => {
  it("ends a session idle for longer than the idle timeout", async () => {
    const s = await signedIn(node, ["analyst"]);
    expect((await s.inject("GET", "/api/auth/session")).statusCode).toBe(200);
    await node.db.kysely
      .updateTable("sessions")
      .set({ last_seen_at: new Date(Date.now() - node.config.session.idleMs - 1000) })
      .execute();
    const res = await s.inject("GET", "/api/auth/session");
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("unauthenticated");
  });

  it("ends a session at its absolute timeout even when active", async () => {
    const u = await makeUser(node, ["analyst"]);
    const s = await signIn(node, u);
    await node.db.kysely
      .updateTable("sessions")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("user_id", "=", u.id)
      .execute();
    expect((await s.inject("GET", "/api/auth/session")).statusCode).toBe(401);
  });

  it("sets the cookie httpOnly and SameSite=Strict", async () => {
    const u = await makeUser(node, ["analyst"]);
    const res = await login(u.username, u.password);
    const c = res.cookies.find((x) => x.name === "ariadne_session");
    expect(c?.httpOnly).toBe(true);
    expect(c?.sameSite).toBe("Strict");
  });

  it("signs out: the cookie no longer works", async () => {
    const s = await signedIn(node, ["analyst"]);
    expect((await s.inject("POST", "/api/auth/logout")).statusCode).toBe(200);
    expect((await s.inject("GET", "/api/auth/session")).statusCode).toBe(401);
  });
});

describe("CSRF", () => {
  it("refuses a cookie-authenticated write without the token, or with a wrong one", async () => {
    const s = await signedIn(node, ["analyst"]);
    const none = await node.app.inject({
      method: "PATCH",
      url: "/api/me/preferences",
      headers: { cookie: s.cookie },
      payload: { language: "fr" },
    });
    expect(none.statusCode).toBe(403);
    expect(none.json().error).toMatchObject({
      code: "csrf_failed",
      fields: [{ path: "headers.x-csrf-token" }],
    });
    const wrong = await s.inject(
      "PATCH",
      "/api/me/preferences",
      { language: "fr" },
      { "x-csrf-token": "forged" },
    );
    expect(wrong.statusCode).toBe(403);
    const ok = await s.inject("PATCH", "/api/me/preferences", { language: "fr" });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().language).toBe("fr");
  });

  it("does not ask API tokens for a CSRF token", async () => {
    const s = await signedIn(node, ["analyst"]);
    const created = await s.inject("POST", "/api/tokens", {
      name: "script",
      scopes: ["self.update"],
      expiresInDays: 1,
    });
    const res = await node.app.inject({
      method: "PATCH",
      url: "/api/me/preferences",
      headers: { authorization: `Bearer ${created.json().secret}` },
      payload: { language: "es" },
    });
    expect(res.statusCode).toBe(200);
  });
});
