/**
 * The role × route matrix, generated from the policy table and the OpenAPI
 * document: every route has a policy, and every role reaches exactly the
 * routes its permissions allow. A denied caller gets 404 (not 403) and the
 * denial is audited (access.refused, reason permission); an allowed one passes the guard (whatever the use case
 * then answers for a made-up id or an empty body).
 */
import { randomUUID } from "node:crypto";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLICY, ROLES, type Role } from "../../src/domain/roles.ts";
import { flushRefusals } from "../../src/platform/audit/refusals.ts";
import { registerRouteRegistry } from "../../src/platform/http/access.ts";
import { type SignedIn, signedIn } from "../helpers/factories.ts";
import { auditEvents, createTestNode, type TestNode } from "../helpers/node.ts";

let node: TestNode;
const sessions = new Map<Role, SignedIn>();
let openapi: { paths: Record<string, Record<string, unknown>> };

beforeAll(async () => {
  node = await createTestNode({ ARIADNE_AUTH_RATE_LIMIT: 10_000 });
  for (const role of ROLES) sessions.set(role, await signedIn(node, [role]));
  openapi = (await node.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
});
afterAll(async () => node?.close());

const protectedRoutes = () => node.routes.filter((r) => r.access !== "public" && r.access !== "partial");
const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, "{$1}");
const concrete = (url: string) => url.replace(/:([A-Za-z]+)/g, () => randomUUID());

describe("every route has a policy", () => {
  it("the OpenAPI document and the route registry list the same routes", () => {
    const documented = Object.entries(openapi.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ["get", "post", "put", "patch", "delete"].includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const registered = node.routes
      .filter((r) => r.url !== "/api/openapi.json")
      .map((r) => `${r.method} ${toOpenApiPath(r.url)}`);
    expect(new Set(registered)).toEqual(new Set(documented));
    expect(registered.length).toBeGreaterThan(15);
  });

  it("a route that declares no access policy stops the server from starting", async () => {
    const app = Fastify();
    registerRouteRegistry(app);
    expect(() => app.get("/api/forgotten", async () => "secret")).toThrow(/declares no access policy/);
    await app.close();
  });
});

describe("role × route", () => {
  it("unauthenticated callers get 401 on every protected route", async () => {
    for (const r of node.routes.filter((x) => x.access !== "public")) {
      const res = await node.app.inject({ method: r.method as "GET", url: concrete(r.url) });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
  });

  for (const role of ROLES) {
    it(`${role} reaches exactly what the policy table grants`, async () => {
      const session = sessions.get(role);
      if (!session) throw new Error("no session");
      const granted = new Set<string>(POLICY[role]);
      const denied: string[] = [];
      for (const r of protectedRoutes()) {
        // An open event stream never ends by itself: granted streams are followed in their own tests
        // (cases-live, federation-exchange); here only the refusals are checked.
        if (granted.has(r.access) && r.url.endsWith("/stream")) continue;
        const res = await session.inject(r.method, concrete(r.url));
        const label = `${role} ${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 120)}`;
        if (granted.has(r.access)) {
          expect([401, 403], label).not.toContain(res.statusCode);
        } else {
          denied.push(`${r.method} ${r.url}`);
          expect(res.statusCode, label).toBe(404);
          expect(res.json().error.code, label).toBe("not_found");
        }
      }
      // Each denial is counted (one entry per route here: every request named another object),
      // with the permission missing; no granted route is among them.
      await node.app.refusals?.settled();
      await flushRefusals(node.db.kysely, { all: true });
      const refused = (await auditEvents(node, "access.refused"))
        .filter((e) => e.actor_id === session.user.id && e.details.reason === "permission")
        .map((e) => e.details as { method: string; route: string; count: number; permission: string });
      expect(refused.map((d) => `${d.method} ${d.route}`).sort()).toEqual(denied.sort());
      expect(refused.reduce((n, d) => n + d.count, 0)).toBe(denied.length);
      for (const d of refused) expect(granted.has(d.permission), `${d.method} ${d.route}`).toBe(false);
    });
  }
});

describe("API tokens act within their scopes", () => {
  it("a token reaches only the routes of its scopes, even when its owner could do more", async () => {
    const admin = sessions.get("admin");
    const created = await admin?.inject("POST", "/api/tokens", {
      name: "monitoring",
      scopes: ["system.monitor"],
      expiresInDays: 30,
    });
    expect(created?.statusCode).toBe(201);
    const bearer = { authorization: `Bearer ${created?.json().secret}` };
    for (const r of protectedRoutes()) {
      const res = await node.app.inject({ method: r.method as "GET", url: concrete(r.url), headers: bearer });
      const label = `${r.method} ${r.url} → ${res.statusCode}`;
      if (r.access === "system.monitor") expect(res.statusCode, label).toBe(200);
      else expect(res.statusCode, label).toBe(404);
    }
  });
});
