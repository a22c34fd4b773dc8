/**
 * Every refusal audited (issue "Trust"; EU Law Enforcement Directive art. 25): a request
 * the node refuses — a case outside the caller's team, a missing permission, no sign-in,
 * a CSRF failure, an unknown, revoked or expired API token, a rate limit — is counted per
 * minute and per identical refusal, and moved into the audit trail as one `access.refused`
 * entry with its count; a flood of them is one entry; nothing is lost when the node closes;
 * the auditor filters them; and the chain still verifies.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFUSAL_EVENTS } from "../../src/domain/audit-events.ts";
import { sealAll } from "../../src/platform/audit/index.ts";
import { flushRefusals, RefusalRecorder } from "../../src/platform/audit/refusals.ts";
import { randomToken, sha256 } from "../../src/platform/auth/crypto.ts";
import { openCase, type SignedIn, signedIn } from "../helpers/factories.ts";
import { auditEvents, createTestNode, makeUser, type TestNode } from "../helpers/node.ts";

let node: TestNode;
let lead: SignedIn;
let outsider: SignedIn;
let auditor: SignedIn;
let caseId: string;

beforeAll(async () => {
  node = await createTestNode({ ARIADNE_AUTH_RATE_LIMIT: 40 });
  lead = await signedIn(node, ["investigator"]);
  outsider = await signedIn(node, ["investigator"]);
  auditor = await signedIn(node, ["auditor"]);
  caseId = (await openCase(lead)).id;
});
afterAll(async () => node?.close());

interface Refused {
  actor_id: string | null;
  actor_label: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: {
    reason: string;
    count: number;
    method: string;
    route: string;
    object: { type: string | null; id: string | null } | null;
    first: string;
    last: string;
    [k: string]: unknown;
  };
}

/** Move every counted refusal into the trail now, and read the access.refused entries. */
async function refusedEntries(n: TestNode = node): Promise<Refused[]> {
  await n.app.refusals?.settled();
  await flushRefusals(n.db.kysely, { all: true });
  return (await auditEvents(n, "access.refused")) as unknown as Refused[];
}

/** Wait, if needed, so that what follows happens within one minute of the clock. */
async function startOfAMinute(needMs = 15_000) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}

/** An API token of `user`, written as the node would (the API may ask for approvals). */
async function tokenOf(user: SignedIn["user"], over: { expires_at?: Date; revoked_at?: Date | null } = {}) {
  const secret = `ariadne_${randomToken(32)}`;
  const id = randomUUID();
  await node.db.kysely
    .insertInto("api_tokens")
    .values({
      id,
      user_id: user.id,
      name: "test",
      token_hash: sha256(secret),
      scopes: ["cases.work"],
      created_at: new Date(),
      expires_at: over.expires_at ?? new Date(Date.now() + 86_400_000),
      revoked_at: over.revoked_at ?? null,
      last_used_at: null,
    })
    .execute();
  return { id, secret };
}

describe("every refusal is audited", () => {
  it("a user not on a case's team asking for it: actor, route, case and reason", async () => {
    const res = await outsider.inject("GET", `/api/cases/${caseId}`);
    expect(res.statusCode).toBe(404);
    // The lead sees it: the case exists; the refusal is need-to-know.
    expect((await lead.inject("GET", `/api/cases/${caseId}`)).statusCode).toBe(200);
    const entry = (await refusedEntries()).find(
      (e) => e.actor_id === outsider.user.id && e.details.route === "/api/cases/:id",
    );
    expect(entry).toMatchObject({
      actor_label: outsider.user.username,
      target_type: "case",
      target_id: caseId,
      request_id: res.headers["x-request-id"],
      details: {
        reason: "not_found",
        count: 1,
        method: "GET",
        route: "/api/cases/:id",
        object: { type: "case", id: caseId },
      },
    });
  });

  it("a missing permission: reason permission, with the permission (authz.denied, aggregated)", async () => {
    const res = await outsider.inject("GET", "/api/audit");
    expect(res.statusCode).toBe(404);
    const entry = (await refusedEntries()).find(
      (e) => e.actor_id === outsider.user.id && e.details.route === "/api/audit",
    );
    expect(entry?.details).toMatchObject({ reason: "permission", permission: "audit.read", count: 1 });
    expect(await auditEvents(node, "authz.denied")).toHaveLength(0);
  });

  it("a CSRF failure", async () => {
    const res = await outsider.inject("POST", "/api/cases", {}, { "x-csrf-token": "forged" });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe("csrf_failed");
    const entry = (await refusedEntries()).find(
      (e) => e.actor_id === outsider.user.id && e.details.reason === "csrf_failed",
    );
    expect(entry?.details).toMatchObject({ method: "POST", route: "/api/cases", count: 1 });
  });

  it("no sign-in at all", async () => {
    const res = await node.app.inject({ method: "GET", url: `/api/cases/${caseId}/persons` });
    expect(res.statusCode).toBe(401);
    const entry = (await refusedEntries()).find(
      (e) => e.details.reason === "unauthenticated" && e.details.route === "/api/cases/:id/persons",
    );
    expect(entry).toMatchObject({ actor_id: null, actor_label: "anonymous", target_id: caseId });
  });

  it("unknown, revoked and expired API tokens, each with its own reason", async () => {
    const revoked = await tokenOf(lead.user, { revoked_at: new Date() });
    const expired = await tokenOf(lead.user, { expires_at: new Date(Date.now() - 1000) });
    const good = await tokenOf(lead.user);
    const bearer = (secret: string) =>
      node.app.inject({
        method: "GET",
        url: `/api/cases/${caseId}`,
        headers: { authorization: `Bearer ${secret}` },
      });
    expect((await bearer(good.secret)).statusCode).toBe(200);
    for (const secret of [revoked.secret, expired.secret, `ariadne_${randomToken(32)}`]) {
      const res = await bearer(secret);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe("unauthenticated");
    }
    const entries = (await refusedEntries()).filter((e) => e.details.reason.startsWith("token_"));
    const byReason = Object.fromEntries(entries.map((e) => [e.details.reason, e]));
    expect(byReason.token_revoked).toMatchObject({
      target_type: "api_token",
      target_id: revoked.id,
      details: { owner: lead.user.username, route: "/api/cases/:id" },
    });
    expect(byReason.token_expired).toMatchObject({ target_type: "api_token", target_id: expired.id });
    expect(byReason.token_unknown).toMatchObject({ target_type: "case", target_id: caseId });
  });

  it("a rate-limited request", async () => {
    const from = "10.20.30.40";
    const login = () =>
      node.app.inject({
        method: "POST",
        url: "/api/auth/login",
        remoteAddress: from,
        payload: { username: "nobody", password: "wrong password" },
      });
    let limited = 0;
    for (let i = 0; i < 45; i++) if ((await login()).statusCode === 429) limited++;
    expect(limited).toBeGreaterThan(0);
    const entries = (await refusedEntries()).filter(
      (e) => e.ip === from && e.details.reason === "rate_limited",
    );
    expect(entries.reduce((n, e) => n + e.details.count, 0)).toBe(limited);
    expect(entries[0]?.details).toMatchObject({ method: "POST", route: "/api/auth/login" });
  });
});

describe("what is a refusal and what is not", () => {
  it("a sign-in wait is one: each refused attempt counted (sign-in audits its own failures besides)", async () => {
    const u = await makeUser(node, ["analyst"]);
    const from = "10.20.30.41";
    const login = (password: string) =>
      node.app.inject({
        method: "POST",
        url: "/api/auth/login",
        remoteAddress: from,
        payload: { username: u.username, password },
      });
    const codes: number[] = [];
    for (let i = 0; i < node.config.login.maxAttempts; i++)
      codes.push((await login("wrong-password-x")).statusCode);
    expect(codes.at(-1)).toBe(429);
    // The right password during the wait is refused like the rest (the account is not locked).
    expect((await login(u.password)).json().error.code).toBe("rate_limited");
    const entries = (await refusedEntries()).filter(
      (e) => e.ip === from && e.details.reason === "rate_limited",
    );
    expect(entries.reduce((n, e) => n + e.details.count, 0)).toBe(2);
    expect(entries[0]?.details).toMatchObject({ method: "POST", route: "/api/auth/login" });
  });

  it("bad input is not: the caller was allowed, the request was wrong", async () => {
    await refusedEntries();
    const since = Date.now();
    const res = await outsider.inject("POST", "/api/cases", { title: 42 });
    expect(res.statusCode).toBe(400);
    const unknownRoute = await outsider.inject("GET", "/api/no-such-thing");
    expect(unknownRoute.statusCode).toBe(404);
    // Nothing counted for the outsider since (the node's flusher may run meanwhile: read the trail).
    const counted = (await refusedEntries()).filter(
      (e) => e.actor_id === outsider.user.id && Date.parse(e.details.first ?? "") >= since,
    );
    expect(counted).toEqual([]);
    expect(await node.db.kysely.selectFrom("refusals").selectAll().execute()).toEqual([]);
  });
});

describe("aggregated: a flood of refusals is not a flood of entries", () => {
  it("N identical refusals within a minute are one entry with count N; other routes and actors, their own", async () => {
    await startOfAMinute();
    const other = await signedIn(node, ["investigator"]);
    await refusedEntries();
    // Entries are told apart by when they were refused, not by position: the trail is ordered
    // by the sealer's seq, which entries still waiting for it do not have yet.
    const since = Date.now();
    const N = 25;
    const answers = await Promise.all(
      Array.from({ length: N }, () => outsider.inject("GET", `/api/cases/${caseId}/records`)),
    );
    expect(answers.every((a) => a.statusCode === 404)).toBe(true);
    await outsider.inject("GET", `/api/cases/${caseId}/team`);
    await other.inject("GET", `/api/cases/${caseId}/records`);
    const entries = (await refusedEntries()).filter((e) => Date.parse(e.details.first ?? "") >= since);
    const mine = entries.filter(
      (e) => e.actor_id === outsider.user.id && e.details.route === "/api/cases/:id/records",
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]?.details.count).toBe(N);
    expect(Date.parse(mine[0]?.details.last ?? "")).toBeGreaterThanOrEqual(
      Date.parse(mine[0]?.details.first ?? ""),
    );
    expect(
      entries.filter((e) => e.actor_id === outsider.user.id && e.details.route === "/api/cases/:id/team"),
    ).toHaveLength(1);
    expect(
      entries.filter((e) => e.actor_id === other.user.id && e.details.route === "/api/cases/:id/records"),
    ).toMatchObject([{ details: { count: 1 } }]);
  });

  it("10,000 refusals in a minute: one row, count 10,000, a few statements", async () => {
    await startOfAMinute(20_000);
    let statements = 0;
    const counting = node.db.kysely.withPlugin({
      transformQuery: (a) => {
        statements++;
        return a.node;
      },
      transformResult: async (a) => a.result,
    });
    const counted = new RefusalRecorder(counting);
    const one = {
      actorId: null,
      actorLabel: "anonymous",
      ip: "192.0.2.7",
      method: "GET",
      route: "/api/flood/:id",
      reason: "unauthenticated",
      objectType: "flood",
      objectId: "x",
    };
    await Promise.all(Array.from({ length: 10_000 }, () => counted.record(one)));
    expect(statements).toBeLessThanOrEqual(3);
    const rows = await node.db.kysely
      .selectFrom("refusals")
      .selectAll()
      .where("route", "=", one.route)
      .execute();
    expect(rows.map((r) => r.count)).toEqual([10_000]);
    const entries = (await refusedEntries()).filter((e) => e.details.route === one.route);
    expect(entries.map((e) => e.details.count)).toEqual([10_000]);
  });

  it("a caller that is not signed in cannot make a row per made-up object: one per address, route and reason", async () => {
    await startOfAMinute(20_000);
    const route = "/api/probe/:id";
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        node.app.refusals?.record({
          actorId: null,
          actorLabel: "anonymous",
          ip: "192.0.2.9",
          method: "GET",
          route,
          reason: "unauthenticated",
          objectType: "probe",
          objectId: randomUUID(),
          details: { attempt: i },
        }),
      ),
    );
    const rows = await node.db.kysely.selectFrom("refusals").selectAll().where("route", "=", route).execute();
    expect(rows.map((r) => r.count)).toEqual([50]);
    // The object of the first stays as a sample (a signed-in caller's refusals keep each object).
    expect(rows[0]?.object_type).toBe("probe");
  });

  it("a NUL or a lone surrogate from the caller is stored replaced, and does not lose the others' refusals", async () => {
    await startOfAMinute(20_000);
    const route = "/api/odd/:id";
    const base = { actorLabel: "someone", ip: "192.0.2.10", method: "GET", route, reason: "not_found" };
    const recorder = new RefusalRecorder(node.db.kysely);
    await recorder.record([
      {
        ...base,
        actorId: outsider.user.id,
        objectType: "odd",
        objectId: "a\u0000b\ud800",
        details: { x: "\udc00" },
      },
      { ...base, actorId: outsider.user.id, objectType: "odd", objectId: "plain" },
    ]);
    const rows = await node.db.kysely
      .selectFrom("refusals")
      .select(["object_id", "count"])
      .where("route", "=", route)
      .orderBy("object_id")
      .execute();
    expect(rows).toEqual([
      { object_id: "a\uFFFDb\uFFFD", count: 1 },
      { object_id: "plain", count: 1 },
    ]);
  });

  it("closed minutes move into the trail on their own, the open one stays counted", async () => {
    await startOfAMinute(5000);
    const minuteAgo = new Date(Date.now() - 61_000);
    await node.app.refusals?.record({
      actorId: null,
      actorLabel: "anonymous",
      ip: "192.0.2.8",
      method: "GET",
      route: "/api/old/:id",
      reason: "unauthenticated",
      at: minuteAgo,
    });
    await node.app.refusals?.record({
      actorId: null,
      actorLabel: "anonymous",
      ip: "192.0.2.8",
      method: "GET",
      route: "/api/now/:id",
      reason: "unauthenticated",
    });
    // (The node's own flusher may be first: either way, the closed minute is in the trail.)
    await flushRefusals(node.db.kysely);
    const routes = (await auditEvents(node, "access.refused")).map(
      (e) => (e.details as { route: string }).route,
    );
    expect(routes).toContain("/api/old/:id");
    expect(routes).not.toContain("/api/now/:id");
    const left = await node.db.kysely.selectFrom("refusals").select("route").execute();
    expect(left.map((r) => r.route)).toContain("/api/now/:id");
  });
});

describe("the auditor's view", () => {
  it("filters refusals by the quick filter, reason and route; the chain still verifies", async () => {
    await outsider.inject("GET", `/api/cases/${caseId}`);
    await refusedEntries();
    const all = await auditor.inject("GET", "/api/audit?refusals=true&limit=500");
    expect(all.statusCode).toBe(200);
    const events = new Set(all.json().entries.map((e: { event: string }) => e.event));
    expect(events.has("access.refused")).toBe(true);
    expect([...events].every((e) => (REFUSAL_EVENTS as readonly string[]).includes(e as string))).toBe(true);
    const csrf = (await auditor.inject("GET", "/api/audit?event=access.refused&reason=csrf_failed")).json();
    expect(csrf.entries.length).toBeGreaterThan(0);
    expect(
      csrf.entries.every((e: { details: { reason: string } }) => e.details.reason === "csrf_failed"),
    ).toBe(true);
    const onCase = (
      await auditor.inject(
        "GET",
        `/api/audit?refusals=true&route=${encodeURIComponent("/api/cases/:id")}&actor=${outsider.user.username}`,
      )
    ).json();
    expect(onCase.entries.length).toBeGreaterThan(0);
    for (const e of onCase.entries)
      expect(e).toMatchObject({ actorLabel: outsider.user.username, details: { route: "/api/cases/:id" } });
    expect(onCase.entries[0].details.count).toBeGreaterThanOrEqual(1);
    await sealAll(node.db.kysely);
    const verified = await auditor.inject("GET", "/api/audit/verify");
    expect(verified.json()).toMatchObject({ ok: true });
  });
});

describe("a node closing", () => {
  it("moves the refusals still counted into the trail, sealed", async () => {
    const other = await createTestNode();
    const stranger = await signedIn(other, ["investigator"]);
    await startOfAMinute(10_000);
    const res = await stranger.inject("GET", `/api/cases/${randomUUID()}`);
    expect(res.statusCode).toBe(404);
    expect(await other.db.kysely.selectFrom("refusals").selectAll().execute()).toHaveLength(1);
    await other.app.close();
    try {
      expect(await other.db.kysely.selectFrom("refusals").selectAll().execute()).toHaveLength(0);
      const entries = await auditEvents(other, "access.refused");
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor_id: stranger.user.id,
        details: { reason: "not_found", count: 1 },
      });
      expect(entries[0]?.seq).not.toBeNull();
    } finally {
      await other.close();
    }
  });
});
