import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/platform/config.ts";
import { migrationsCurrent, openDatabase, runMigrations } from "../../src/platform/db/index.ts";
import { MIGRATION_NAMES } from "../../src/platform/db/migrations/index.ts";
import { freshDatabase } from "../helpers/db.ts";
import { signedIn } from "../helpers/factories.ts";
import { createTestNode, type TestNode } from "../helpers/node.ts";

let node: TestNode;
beforeAll(async () => {
  node = await createTestNode();
});
afterAll(async () => node?.close());

describe("operations endpoints", () => {
  it("/health and /ready", async () => {
    expect((await node.app.inject({ method: "GET", url: "/health" })).json()).toEqual({ status: "ok" });
    const ready = await node.app.inject({ method: "GET", url: "/ready" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: "ready",
      integrity: expect.stringMatching(/^(verifying|intact)$/),
    });
  });

  it("/metrics in Prometheus format, for a token with system.monitor", async () => {
    const s = await signedIn(node, ["admin"]);
    const { secret } = (
      await s.inject("POST", "/api/tokens", {
        name: "prometheus",
        scopes: ["system.monitor"],
        expiresInDays: 90,
      })
    ).json();
    await node.app.inject({ method: "GET", url: "/health" });
    const res = await node.app.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/plain/);
    expect(res.body).toContain("ariadne_http_request_duration_seconds_bucket");
    expect(res.body).toContain('route="/health"');
    expect(res.body).toContain("process_resident_memory_bytes");
    expect((await node.app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(401);
    // A query string (as some scrapers add) does not make the token go unread.
    const withQuery = await node.app.inject({
      method: "GET",
      url: "/metrics?name[]=ariadne_integrity_ok",
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(withQuery.statusCode).toBe(200);
  });

  it("the OpenAPI 3.1 document and its docs UI", async () => {
    const doc = (await node.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/api/users"].post.requestBody.content["application/json"].schema.required).toEqual(
      expect.arrayContaining(["username", "displayName", "roles"]),
    );
    expect(
      doc.paths["/api/users"].post.requestBody.content["application/json"].schema.additionalProperties,
    ).toBe(false);
    const ui = await node.app.inject({ method: "GET", url: "/api/docs/" });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain("swagger");
  });

  it("security headers: strict CSP, no sniffing, no framing, request ids", async () => {
    const res = await node.app.inject({ method: "GET", url: "/health" });
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("rate-limits the sign-in route", async () => {
    const limited = await createTestNode({ ARIADNE_AUTH_RATE_LIMIT: 3 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        codes.push(
          (
            await limited.app.inject({
              method: "POST",
              url: "/api/auth/login",
              payload: { username: "x-user", password: "y" },
            })
          ).statusCode,
        );
      }
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes.slice(3)).toEqual([429, 429]);
      const body = (
        await limited.app.inject({
          method: "POST",
          url: "/api/auth/login",
          payload: { username: "x-user", password: "y" },
        })
      ).json();
      expect(body.error.code).toBe("rate_limited");
    } finally {
      await limited.close();
    }
  });

  it("unknown API paths answer a JSON 404", async () => {
    const res = await node.app.inject({ method: "GET", url: "/api/nothing-here" });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe("not_found");
  });

  it("unknown errors are masked, with the request id to quote", async () => {
    const broken = await createTestNode();
    const s = await signedIn(broken, ["admin"]);
    await broken.asSuperuser(async (q) => {
      await q("ALTER TABLE users RENAME COLUMN display_name TO display_name_gone");
    });
    const res = await s.inject("GET", "/api/users");
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe("internal");
    expect(res.body).not.toMatch(/display_name|column|SELECT|at .*\.ts/);
    expect(res.json().error.requestId).toBe(res.headers["x-request-id"]);
    await broken.close();
  });
});

describe("migrations", () => {
  it("apply on a fresh database, then are a no-op, and /ready tells a pending migration", async () => {
    const fresh = await freshDatabase();
    try {
      const db = await openDatabase(fresh.target, { migrate: false, asOwner: true });
      expect(await runMigrations(db.kysely)).toEqual([...MIGRATION_NAMES]);
      expect(await runMigrations(db.kysely)).toEqual([]);
      expect(await migrationsCurrent(db.kysely)).toBe(true);
      const tables = await sql<{
        t: string;
      }>`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`.execute(
        db.kysely,
      );
      expect(tables.rows.map((r) => r.t)).toEqual(
        expect.arrayContaining(["api_tokens", "audit_head", "audit_log", "sessions", "users"]),
      );
      await sql`DELETE FROM kysely_migration`.execute(db.kysely);
      expect(await migrationsCurrent(db.kysely)).toBe(false);
      await db.close();
    } finally {
      await fresh.drop();
    }
  });
});

describe("configuration", () => {
  it("a production node refuses to start without its id and secret key, and says what is wrong", () => {
    expect(() => loadConfig({ ARIADNE_MODE: "production" })).toThrow(
      /ARIADNE_NODE_ID is required in production[\s\S]*ARIADNE_SECRET_KEY is required/,
    );
  });

  it("names each bad variable and why", () => {
    expect(() => loadConfig({ ARIADNE_MODE: "sandbox", PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadConfig({ ARIADNE_MODE: "sandbox", DATABASE_URL: "mysql://x" })).toThrow(
      /DATABASE_URL must be a postgres:\/\/ URL/,
    );
    expect(() => loadConfig({ ARIADNE_MODE: "sandbox", ARIADNE_NODE_ID: "colombia" })).toThrow(
      /ISO 3166-1 alpha-3/,
    );
    expect(() =>
      loadConfig({ ARIADNE_MODE: "production", ARIADNE_NODE_ID: "COL", ARIADNE_SECRET_KEY: "c2hvcnQ=" }),
    ).toThrow(/32 bytes/);
  });

  it("parses a valid production configuration", () => {
    const c = loadConfig({
      ARIADNE_MODE: "production",
      ARIADNE_NODE_ID: "MEX",
      ARIADNE_SECRET_KEY: Buffer.alloc(32, 7).toString("base64"),
      DATABASE_URL: "postgres://ariadne@db.internal:5432/ariadne",
      ARIADNE_PUBLIC_URL: "https://ariadne.example.org",
      ARIADNE_SESSION_IDLE_MINUTES: "15",
    });
    expect(c.database).toEqual({
      kind: "postgres",
      url: "postgres://ariadne@db.internal:5432/ariadne",
      poolSize: 16,
    });
    expect(c.secureCookies).toBe(true);
    expect(c.session.idleMs).toBe(15 * 60_000);
  });
});

describe("the web app", () => {
  it("is served from the build directory, files looked up per request, with index.html for app paths", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { buildApp } = await import("../../src/server/app.ts");
    const dist = mkdtempSync(join(tmpdir(), "ariadne-web-"));
    writeFileSync(join(dist, "index.html"), "<!doctype html><title>Ariadne</title>");
    const { app } = await buildApp({
      config: node.config,
      db: node.db,
      box: node.box,
      logger: false,
      webDist: dist,
    });
    try {
      expect((await app.inject({ method: "GET", url: "/users/123" })).body).toContain(
        "<title>Ariadne</title>",
      );
      writeFileSync(join(dist, "app-2.js"), "console.log(2)"); // a rebuild while the node runs
      const js = await app.inject({ method: "GET", url: "/app-2.js" });
      expect(js.statusCode).toBe(200);
      expect(js.headers["content-type"]).toMatch(/javascript/);
      expect((await app.inject({ method: "GET", url: "/missing.js" })).statusCode).toBe(404);
      expect((await app.inject({ method: "GET", url: "/api/missing" })).json().error.code).toBe("not_found");
    } finally {
      await app.close();
    }
  });
});
