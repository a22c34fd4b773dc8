/**
 * The sign-in policy (README "Sign-in policy"): no enumeration, no lockout to abuse.
 * Unknown and known usernames get the same answers for the same work; failures slow
 * down one address against one username, not the account; a known device has its own
 * bucket; one address failing against one account leaves the others alone; the
 * counted address is the peer's unless a configured proxy says otherwise.
 */
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as crypto from "../../src/platform/auth/crypto.ts";
import {
  auditEvents,
  cookieFrom,
  createTestNode,
  makeUser,
  nextCode,
  type TestNode,
  type TestUser,
} from "../helpers/node.ts";

// Count every password verification the node makes.
vi.mock("../../src/platform/auth/crypto.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/platform/auth/crypto.ts")>();
  return { ...original, verifyPassword: vi.fn(original.verifyPassword) };
});
const verifications = () => vi.mocked(crypto.verifyPassword).mock.calls.length;

let node: TestNode;
beforeAll(async () => {
  node = await createTestNode({
    ARIADNE_LOGIN_MAX_ATTEMPTS: 3,
    ARIADNE_LOCKOUT_BASE_SECONDS: 30,
    ARIADNE_AUTH_RATE_LIMIT: 10_000,
    ARIADNE_LOGIN_ACCOUNT_FAILURES_PER_HOUR: 12,
  });
});
afterAll(async () => node?.close());

interface Attempt {
  username: string;
  password: string;
  from?: string;
  cookie?: string;
  headers?: Record<string, string>;
}
const login = (a: Attempt) =>
  node.app.inject({
    method: "POST",
    url: "/api/auth/login",
    remoteAddress: a.from ?? "192.0.2.1",
    headers: { ...(a.cookie ? { cookie: a.cookie } : {}), ...a.headers },
    payload: { username: a.username, password: a.password },
  });

/** Sign in with both factors; the known-device cookie the node gives back. */
async function fullSignIn(u: TestUser, from: string, device?: string): Promise<string> {
  const res = await login({ username: u.username, password: u.password, from, cookie: device });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = [cookieFrom(res), device].filter(Boolean).join("; ");
  const done = await node.app.inject({
    method: "POST",
    url: "/api/auth/totp",
    remoteAddress: from,
    headers: { cookie, "x-csrf-token": res.json().csrfToken },
    payload: { code: nextCode(u) },
  });
  expect(done.statusCode, done.body).toBe(200);
  const d = done.cookies.find((c) => c.name === "ariadne_device");
  if (!d) throw new Error("no known-device cookie");
  return `ariadne_device=${d.value}`;
}

/** What a caller can observe of an answer, minus what differs on every request. */
function observable(res: LightMyRequestResponse) {
  const body = res.json() as { error: Record<string, unknown> };
  const { requestId: _r, retryAfterSeconds, ...error } = body.error;
  // The seconds to wait are compared apart (±1), here only their place in the message.
  if (typeof error.message === "string") error.message = error.message.replace(/\d+/g, "N");
  const headers = { ...res.headers };
  for (const h of ["x-request-id", "date", "retry-after", "x-ratelimit-reset", "content-length"])
    delete headers[h];
  return {
    status: res.statusCode,
    error,
    retryAfter: retryAfterSeconds,
    headers,
    headerNames: Object.keys(res.headers).sort(),
    cookies: res.cookies.map((c) => c.name),
  };
}
/** Waits computed a few milliseconds apart may round to neighbouring seconds. */
function expectSameAnswer(a: LightMyRequestResponse, b: LightMyRequestResponse) {
  const x = observable(a);
  const y = observable(b);
  expect({ ...y, retryAfter: undefined }).toEqual({ ...x, retryAfter: undefined });
  if (x.retryAfter !== undefined || y.retryAfter !== undefined) {
    expect(Math.abs(Number(x.retryAfter) - Number(y.retryAfter))).toBeLessThanOrEqual(1);
    expect(Math.abs(Number(a.headers["retry-after"]) - Number(b.headers["retry-after"]))).toBeLessThanOrEqual(
      1,
    );
  }
}

describe("unknown and known usernames", () => {
  it("get the same status, code, message, body and headers, before and after many failures", async () => {
    const known = await makeUser(node, ["investigator"]);
    const unknown = `${known.username}-not`;
    const from = "192.0.2.20";
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const k = await login({ username: known.username, password: "wrong-password-x", from });
      const u = await login({ username: unknown, password: "wrong-password-x", from });
      expectSameAnswer(k, u);
      statuses.push(k.statusCode);
    }
    // Three free failures, the third starts a wait; after it, the same 429 for both.
    expect(statuses).toEqual([401, 401, 429, 429, 429, 429, 429]);
    // The right password of the known account changes nothing while it waits.
    const right = await login({ username: known.username, password: known.password, from });
    const anyOther = await login({ username: unknown, password: known.password, from });
    expectSameAnswer(right, anyOther);
    expect(right.json().error).toMatchObject({ code: "rate_limited" });
    expect(right.body).not.toMatch(/lock|unknown|exist/i);
    // Both refusals audited alike, each with the reason.
    const reasons = (await auditEvents(node, "auth.login_failed"))
      .filter((e) => e.actor_label === known.username || e.actor_label === unknown)
      .map((e) => [
        e.actor_label === unknown ? "unknown" : "known",
        (e.details as { reason: string }).reason,
      ]);
    expect(reasons.filter(([who]) => who === "known").map(([, r]) => r)).toEqual([
      "wrong_password",
      "wrong_password",
      "wrong_password",
      "throttled",
      "throttled",
      "throttled",
      "throttled",
      "throttled",
    ]);
    expect(reasons.filter(([who]) => who === "unknown").map(([, r]) => r)).toEqual([
      "unknown_user",
      "unknown_user",
      "unknown_user",
      "throttled",
      "throttled",
      "throttled",
      "throttled",
      "throttled",
    ]);
  });

  it("cost the same work: one password verification per answered attempt, none while waiting", async () => {
    const known = await makeUser(node, ["analyst"]);
    const unknown = `${known.username}-x`;
    const run = async (username: string, from: string) => {
      const costs: number[] = [];
      const started = performance.now();
      for (let i = 0; i < 5; i++) {
        const before = verifications();
        await login({ username, password: "wrong-password-x", from });
        costs.push(verifications() - before);
      }
      return { costs, ms: performance.now() - started };
    };
    // Warm up once (the dummy hash is made at start-up; the first request warms the code paths).
    await login({ username: "warm-up-user", password: "x", from: "192.0.2.99" });
    const k = await run(known.username, "192.0.2.21");
    const u = await run(unknown, "192.0.2.22");
    expect(k.costs).toEqual([1, 1, 1, 0, 0]);
    expect(u.costs).toEqual(k.costs);
    // A loose ratio only: the machine may be busy.
    const ratio = k.ms / u.ms;
    expect(ratio).toBeGreaterThan(0.25);
    expect(ratio).toBeLessThan(4);
    // A disabled account and a right password cost one verification too.
    const disabled = await makeUser(node, ["analyst"]);
    await node.db.kysely
      .updateTable("users")
      .set({ status: "disabled" })
      .where("id", "=", disabled.id)
      .execute();
    for (const a of [
      { username: disabled.username, password: disabled.password },
      { username: known.username, password: known.password },
    ]) {
      const before = verifications();
      await login({ ...a, from: "192.0.2.23" });
      expect(verifications() - before).toBe(1);
    }
  });
});

describe("attempts sent all at once", () => {
  it("are answered one after another: no more guesses than the free failures", async () => {
    const u = await makeUser(node, ["analyst"]);
    const before = verifications();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        login({ username: u.username, password: `wrong-password-${i}`, from: "192.0.2.40" }),
      ),
    );
    // Three free failures (ARIADNE_LOGIN_MAX_ATTEMPTS here), the third already starting the wait.
    expect(verifications() - before).toBe(3);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([...Array(2).fill(401), ...Array(10).fill(429)]);
  });
});

describe("rising delay for one address against one username", () => {
  it("waits the base after the free failures, doubles with each further one, up to 15 minutes", async () => {
    const u = await makeUser(node, ["analyst"]);
    const from = "192.0.2.30";
    const fail = () => login({ username: u.username, password: "wrong-password-x", from });
    const endWait = () =>
      node.db.kysely
        .updateTable("sign_in_throttle")
        .set({ blocked_until: new Date(Date.now() - 1000) })
        .where("kind", "=", "address")
        .where("username", "=", u.username)
        .execute();
    expect((await fail()).statusCode).toBe(401);
    expect((await fail()).statusCode).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await fail();
      expect(res.statusCode).toBe(429);
      expect(res.headers["retry-after"]).toBe(String(res.json().error.retryAfterSeconds));
      waits.push(res.json().error.retryAfterSeconds);
      // While it waits, the pair is refused without trying the password…
      const during = await login({ username: u.username, password: u.password, from });
      expect(during.statusCode).toBe(429);
      // …until the wait is over (simulated here instead of sleeping).
      await endWait();
    }
    const expected = [30, 60, 120, 240, 480, 900, 900];
    for (const [i, w] of waits.entries()) {
      expect(w).toBeLessThanOrEqual(expected[i] as number);
      expect(w).toBeGreaterThanOrEqual((expected[i] as number) - 1);
    }
    // After the wait the right password passes, and a full sign-in starts the pair again.
    expect((await login({ username: u.username, password: u.password, from })).statusCode).toBe(200);
  });

  it("one address failing against account A leaves account B alone from the same address", async () => {
    const a = await makeUser(node, ["analyst"]);
    const b = await makeUser(node, ["analyst"]);
    const from = "192.0.2.40";
    for (let i = 0; i < 5; i++) await login({ username: a.username, password: "wrong-password-x", from });
    expect((await login({ username: a.username, password: a.password, from })).statusCode).toBe(429);
    expect((await login({ username: b.username, password: "wrong-password-x", from })).statusCode).toBe(401);
    expect((await login({ username: b.username, password: b.password, from })).statusCode).toBe(200);
    // Nor does it block A from another address.
    expect((await login({ username: a.username, password: a.password, from: "192.0.2.41" })).statusCode).toBe(
      200,
    );
  });
});

describe("known devices", () => {
  it("sets a long-lived HttpOnly, SameSite=Strict cookie for the sign-in routes only, its hash stored", async () => {
    const u = await makeUser(node, ["analyst"]);
    const login1 = await login({ username: u.username, password: u.password, from: "192.0.2.50" });
    expect(login1.cookies.find((c) => c.name === "ariadne_device")).toBeUndefined(); // password alone: no
    const done = await node.app.inject({
      method: "POST",
      url: "/api/auth/totp",
      remoteAddress: "192.0.2.50",
      headers: { cookie: cookieFrom(login1), "x-csrf-token": login1.json().csrfToken },
      payload: { code: nextCode(u) },
    });
    const c = done.cookies.find((x) => x.name === "ariadne_device");
    expect(c).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/api/auth" });
    expect(c?.maxAge).toBeGreaterThan(90 * 24 * 3600);
    expect(c?.secure).toBeFalsy(); // no https:// public URL in this node
    const rows = await node.db.kysely
      .selectFrom("known_devices")
      .selectAll()
      .where("user_id", "=", u.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]?.token_hash ?? []).toString("hex")).toBe(
      crypto.sha256(c?.value ?? "").toString("hex"),
    );
  });

  it("keep an account usable from its own device while an attacker fails many times elsewhere", async () => {
    const u = await makeUser(node, ["investigator"]);
    const device = await fullSignIn(u, "192.0.2.60");
    // An attacker from several addresses, past every free failure and past the account's ceiling (12).
    for (const from of ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"])
      for (let i = 0; i < 4; i++) await login({ username: u.username, password: "wrong-password-x", from });
    expect(
      (await login({ username: u.username, password: u.password, from: "203.0.113.1" })).statusCode,
    ).toBe(429);
    // The ceiling: a new device anywhere now waits, known or unknown username alike…
    const fresh = await login({ username: u.username, password: u.password, from: "198.51.100.200" });
    expect(fresh.statusCode).toBe(429);
    expect(
      (await auditEvents(node, "auth.throttled")).some(
        (e) => (e.details as { bucket?: string }).bucket === "account" && e.target_id === u.id,
      ),
    ).toBe(true);
    // …but the known device signs in, even from the attacker's own address.
    const fromDevice = await login({
      username: u.username,
      password: u.password,
      from: "203.0.113.1",
      cookie: device,
    });
    expect(fromDevice.statusCode, fromDevice.body).toBe(200);
    const again = await fullSignIn(u, "203.0.113.1", device);
    expect(again).not.toBe(device); // the token is renewed at each full sign-in
    // A device of one account is nothing special for another username.
    const other = await makeUser(node, ["analyst"]);
    for (let i = 0; i < 3; i++)
      await login({ username: other.username, password: "wrong-password-x", from: "203.0.113.9" });
    expect(
      (
        await login({
          username: other.username,
          password: other.password,
          from: "203.0.113.9",
          cookie: again,
        })
      ).statusCode,
    ).toBe(429);
  });

  it("count their own failures: a wrong password on the device waits on the device only", async () => {
    const u = await makeUser(node, ["analyst"]);
    const device = await fullSignIn(u, "192.0.2.70");
    for (let i = 0; i < 3; i++)
      await login({ username: u.username, password: "wrong-password-x", from: "192.0.2.70", cookie: device });
    expect(
      (await login({ username: u.username, password: u.password, from: "192.0.2.70", cookie: device }))
        .statusCode,
    ).toBe(429);
    // The same address without the device cookie is its own (untouched) bucket.
    expect((await login({ username: u.username, password: u.password, from: "192.0.2.70" })).statusCode).toBe(
      200,
    );
  });
});

describe("second factor", () => {
  it("slows down wrong codes per account, across new sessions, but not on the account's known device", async () => {
    const u = await makeUser(node, ["analyst"]);
    const device = await fullSignIn(u, "192.0.2.80");
    // Someone who knows the password tries codes from elsewhere.
    const half = async (cookie?: string) => {
      const res = await login({ username: u.username, password: u.password, from: "203.0.113.80", cookie });
      expect(res.statusCode, res.body).toBe(200);
      return {
        cookie: [cookieFrom(res), cookie].filter(Boolean).join("; "),
        csrf: res.json().csrfToken as string,
      };
    };
    const code = (s: { cookie: string; csrf: string }, value: string) =>
      node.app.inject({
        method: "POST",
        url: "/api/auth/totp",
        remoteAddress: "203.0.113.80",
        headers: { cookie: s.cookie, "x-csrf-token": s.csrf },
        payload: { code: value },
      });
    const wrong = String((Number(crypto.totpNow(u.secret)) + 500_000) % 1_000_000).padStart(6, "0");
    const s1 = await half();
    expect((await code(s1, wrong)).statusCode).toBe(401);
    expect((await code(s1, wrong)).statusCode).toBe(401);
    const third = await code(s1, wrong);
    expect(third.statusCode).toBe(429);
    expect(third.json().error.code).toBe("rate_limited");
    // A new session does not start again.
    const s2 = await half();
    expect((await code(s2, wrong)).statusCode).toBe(429);
    const throttled = (await auditEvents(node, "auth.mfa_failed")).filter((e) => e.target_id === u.id).at(-1);
    expect(throttled?.details).toEqual({ reason: "throttled", bucket: "code" });
    // The owner's device has its own bucket for codes too.
    const own = await half(device);
    const ok = await code(own, nextCode(u));
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe("the counted address", () => {
  let proxied: TestNode;
  beforeAll(async () => {
    proxied = await createTestNode({
      ARIADNE_TRUST_PROXY: "10.0.0.1, 2001:db8::/32",
      ARIADNE_PUBLIC_URL: "https://ariadne.example.org",
      ARIADNE_LOGIN_MAX_ATTEMPTS: 2,
      ARIADNE_AUTH_RATE_LIMIT: 10_000,
    });
  });
  afterAll(async () => proxied?.close());
  const attempt = (username: string, remoteAddress: string, xff?: string) =>
    proxied.app.inject({
      method: "POST",
      url: "/api/auth/login",
      remoteAddress,
      headers: xff ? { "x-forwarded-for": xff } : {},
      payload: { username, password: "wrong-password-x" },
    });
  const keys = async (username: string) =>
    (
      await proxied.db.kysely
        .selectFrom("sign_in_throttle")
        .select("key")
        .where("kind", "=", "address")
        .where("username", "=", username)
        .orderBy("key")
        .execute()
    ).map((r) => r.key);

  it("gives the known-device cookie Secure when the node is reached over HTTPS", async () => {
    const u = await makeUser(proxied, ["analyst"]);
    const first = await proxied.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: u.username, password: u.password },
    });
    const done = await proxied.app.inject({
      method: "POST",
      url: "/api/auth/totp",
      headers: { cookie: cookieFrom(first), "x-csrf-token": first.json().csrfToken },
      payload: { code: nextCode(u) },
    });
    expect(done.cookies.find((c) => c.name === "ariadne_device")).toMatchObject({
      secure: true,
      httpOnly: true,
      sameSite: "Strict",
    });
  });

  it("ignores X-Forwarded-For from a peer that is not a configured proxy", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await attempt("spoofing-target", "203.0.113.50", `198.51.100.${i + 1}`)).statusCode);
    // Each spoofed address would have been a fresh bucket: it is the peer that is counted.
    expect(statuses).toEqual([401, 429, 429, 429]);
    expect(await keys("spoofing-target")).toEqual(["203.0.113.50|spoofing-target"]);
    const audited = (await auditEvents(proxied, "auth.login_failed")).filter(
      (e) => e.actor_label === "spoofing-target",
    );
    expect(new Set(audited.map((e) => e.ip))).toEqual(new Set(["203.0.113.50"]));
  });

  it("honours X-Forwarded-For from a configured proxy: each client behind it has its own bucket", async () => {
    for (let i = 0; i < 3; i++) await attempt("behind-proxy", "10.0.0.1", "198.51.100.7");
    expect((await attempt("behind-proxy", "10.0.0.1", "198.51.100.7")).statusCode).toBe(429);
    expect((await attempt("behind-proxy", "10.0.0.1", "198.51.100.8")).statusCode).toBe(401);
    // An IPv6 proxy in a configured block; its client counted by its /64.
    expect((await attempt("behind-proxy", "2001:db8::1", "2001:db8:aaaa:1::5")).statusCode).toBe(401);
    expect(await keys("behind-proxy")).toEqual([
      "198.51.100.7|behind-proxy",
      "198.51.100.8|behind-proxy",
      "2001:db8:aaaa:1::|behind-proxy",
    ]);
  });
});

describe("housekeeping", () => {
  it("forgets a bucket a day after its last failure", async () => {
    const u = await makeUser(node, ["analyst"]);
    await login({ username: u.username, password: "wrong-password-x", from: "192.0.2.90" });
    await node.db.kysely
      .updateTable("sign_in_throttle")
      .set({ last_failure_at: new Date(Date.now() - 25 * 3_600_000) })
      .where("username", "=", u.username)
      .execute();
    // Any later failure sweeps the forgotten buckets.
    await login({ username: "someone-else", password: "wrong-password-x", from: "192.0.2.91" });
    const left = await node.db.kysely
      .selectFrom("sign_in_throttle")
      .select("kind")
      .where("username", "=", u.username)
      .execute();
    expect(left).toEqual([]);
  });
});
