import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/platform/config.ts";
import { openDatabase } from "../../src/platform/db/index.ts";
import { openNode } from "../../src/server/node.ts";
import { freshDatabase } from "../helpers/db.ts";
import { type SignedIn, signedIn } from "../helpers/factories.ts";
import { auditEvents, createTestNode, makeUser, signIn, type TestNode } from "../helpers/node.ts";

let node: TestNode;
let admin: SignedIn;
beforeAll(async () => {
  node = await createTestNode({ ARIADNE_AUTH_RATE_LIMIT: 10_000 });
  admin = await signedIn(node, ["admin"]);
});
afterAll(async () => node?.close());

describe("account administration", () => {
  // An account with a role of case work waits for a second administrator (approvals.test.ts).
  it("creates an account with a one-time password; the new user signs in and must enrol a second factor", async () => {
    const res = await admin.inject("POST", "/api/users", {
      username: "new.officer",
      displayName: "New Officer",
      roles: ["statistics_focal_point"],
    });
    expect(res.statusCode).toBe(201);
    const { user, temporaryPassword } = res.json();
    expect(user).toMatchObject({
      username: "new.officer",
      roles: ["statistics_focal_point"],
      mfaEnrolled: false,
      status: "active",
    });
    expect(temporaryPassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    expect(JSON.stringify(user)).not.toMatch(/password_hash|mfa_secret|argon/);
    const login = await node.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: "new.officer", password: temporaryPassword },
    });
    expect(login.json().stage).toBe("enrol");
  });

  it("lists and filters accounts by role and text", async () => {
    await makeUser(node, ["fiu_officer"], { username: "fiu.filter.me" });
    const byRole = (await admin.inject("GET", "/api/users?role=fiu_officer")).json().users;
    expect(byRole.map((u: { username: string }) => u.username)).toContain("fiu.filter.me");
    expect(byRole.every((u: { roles: string[] }) => u.roles.includes("fiu_officer"))).toBe(true);
    const byText = (await admin.inject("GET", "/api/users?q=FILTER")).json().users;
    expect(byText.map((u: { username: string }) => u.username)).toEqual(["fiu.filter.me"]);
  });

  it("disabling an account ends its sessions at once", async () => {
    const u = await makeUser(node, ["analyst"]);
    const s = await signIn(node, u);
    expect((await s.inject("GET", "/api/auth/session")).statusCode).toBe(200);
    const res = await admin.inject("PATCH", `/api/users/${u.id}`, { status: "disabled" });
    expect(res.json().status).toBe("disabled");
    expect((await s.inject("GET", "/api/auth/session")).statusCode).toBe(401);
    expect((await auditEvents(node, "user.disabled")).some((e) => e.target_id === u.id)).toBe(true);
  });

  it("a role change takes effect on the user's next request", async () => {
    // (A role that four eyes does not hold back: test/integration/approvals.test.ts has the others.)
    const u = await makeUser(node, ["analyst"]);
    const s = await signIn(node, u);
    expect((await s.inject("GET", "/api/statistics/returns")).statusCode).toBe(404);
    const changed = await admin.inject("PATCH", `/api/users/${u.id}`, {
      roles: ["analyst", "statistics_focal_point"],
    });
    expect(changed.statusCode).toBe(200);
    expect((await s.inject("GET", "/api/statistics/returns")).statusCode).toBe(200);
    const me = (await s.inject("GET", "/api/auth/session")).json();
    expect(me.permissions).toContain("statistics.returns");
  });

  it("an administrator cannot disable their own account or drop their own admin role", async () => {
    const res = await admin.inject("PATCH", `/api/users/${admin.user.id}`, { status: "disabled" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe("body.status");
    const roles = await admin.inject("PATCH", `/api/users/${admin.user.id}`, { roles: ["analyst"] });
    expect(roles.json().error.fields[0].path).toBe("body.roles");
  });

  it("resetting the second factor makes the user enrol again", async () => {
    const u = await makeUser(node, ["statistics_focal_point"]);
    await admin.inject("POST", `/api/users/${u.id}/reset-mfa`);
    const login = await node.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: u.username, password: u.password },
    });
    expect(login.json().stage).toBe("enrol");
  });

  it("resetting a password issues a one-time password and the old one stops working", async () => {
    const u = await makeUser(node, ["statistics_focal_point"]);
    await signIn(node, u);
    const devices = () =>
      node.db.kysely.selectFrom("known_devices").select("user_id").where("user_id", "=", u.id).execute();
    expect(await devices()).toHaveLength(1);
    const res = await admin.inject("POST", `/api/users/${u.id}/reset-password`);
    // A browser that signed in before (perhaps an intruder's) is no longer a known device.
    expect(await devices()).toEqual([]);
    const temp = res.json().temporaryPassword;
    const old = await node.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: u.username, password: u.password },
    });
    expect(old.statusCode).toBe(401);
    const fresh = await node.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { username: u.username, password: temp },
    });
    expect(fresh.statusCode).toBe(200);
  });

  it("an unknown user id answers 404", async () => {
    const res = await admin.inject("POST", "/api/users/00000000-0000-4000-8000-000000000000/unlock");
    expect(res.statusCode).toBe(404);
  });
});

describe("API tokens", () => {
  it("are shown once, stored hashed, and act with their scopes", async () => {
    const res = await admin.inject("POST", "/api/tokens", {
      name: "nightly export",
      scopes: ["users.read"],
      expiresInDays: 7,
    });
    expect(res.statusCode).toBe(201);
    const { token, secret } = res.json();
    expect(secret).toMatch(/^ariadne_/);
    const stored = await node.db.kysely
      .selectFrom("api_tokens")
      .selectAll()
      .where("id", "=", token.id)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(stored.token_hash).toString("utf8")).not.toContain(secret);
    const list = await node.app.inject({
      method: "GET",
      url: "/api/users",
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(list.statusCode).toBe(200);
    const write = await node.app.inject({
      method: "POST",
      url: "/api/users",
      headers: { authorization: `Bearer ${secret}` },
      payload: {},
    });
    expect(write.statusCode).toBe(404);
  });

  it("cannot carry a permission the owner does not hold", async () => {
    const s = await signedIn(node, ["analyst"]);
    const res = await s.inject("POST", "/api/tokens", {
      name: "escalate",
      scopes: ["users.manage"],
      expiresInDays: 1,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe("body.scopes");
  });

  it("stop working when revoked, when expired, and when the owner loses the permission", async () => {
    const u = await makeUser(node, ["auditor"]);
    const s = await signIn(node, u);
    const mk = async () =>
      (await s.inject("POST", "/api/tokens", { name: "t", scopes: ["audit.read"], expiresInDays: 1 })).json();
    const call = (secret: string) =>
      node.app.inject({
        method: "GET",
        url: "/api/audit?limit=1",
        headers: { authorization: `Bearer ${secret}` },
      });

    const revoked = await mk();
    expect((await call(revoked.secret)).statusCode).toBe(200);
    expect((await s.inject("DELETE", `/api/tokens/${revoked.token.id}`)).json().revokedAt).not.toBeNull();
    expect((await call(revoked.secret)).statusCode).toBe(401);

    const expired = await mk();
    await node.db.kysely
      .updateTable("api_tokens")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", expired.token.id)
      .execute();
    expect((await call(expired.secret)).statusCode).toBe(401);

    const demoted = await mk();
    // (A role without case work: granting one with case work would wait for a second administrator.)
    expect(
      (await admin.inject("PATCH", `/api/users/${u.id}`, { roles: ["statistics_focal_point"] })).statusCode,
    ).toBe(200);
    expect((await call(demoted.secret)).statusCode).toBe(404);
  });

  it("another user's token cannot be revoked (404)", async () => {
    const mine = (
      await admin.inject("POST", "/api/tokens", { name: "mine", scopes: ["users.read"], expiresInDays: 1 })
    ).json();
    const other = await signedIn(node, ["analyst"]);
    expect((await other.inject("DELETE", `/api/tokens/${mine.token.id}`)).statusCode).toBe(404);
    expect((await other.inject("GET", "/api/tokens")).json().tokens).toEqual([]);
  });

  it("cannot create further tokens (tokens are managed from a signed-in session)", async () => {
    const t = (
      await admin.inject("POST", "/api/tokens", { name: "x", scopes: ["tokens.own"], expiresInDays: 1 })
    ).json();
    const res = await node.app.inject({
      method: "POST",
      url: "/api/tokens",
      headers: { authorization: `Bearer ${t.secret}` },
      payload: { name: "y", scopes: ["tokens.own"], expiresInDays: 1 },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe("separation of duties", () => {
  it("an administrator cannot give itself roles, nor create or make an account that is both admin and auditor", async () => {
    const self = await admin.inject("PATCH", `/api/users/${admin.user.id}`, { roles: ["admin", "auditor"] });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.fields[0]).toEqual({
      path: "body.roles",
      message: "you cannot change your own roles",
    });
    expect((await admin.inject("GET", `/api/users/${admin.user.id}`)).json().roles).toEqual(["admin"]);
    // The audit trail stays out of the administrator's reach.
    expect((await admin.inject("GET", "/api/audit")).statusCode).toBe(404);

    const both = await admin.inject("POST", "/api/users", {
      username: "both.hats",
      displayName: "Both Hats",
      roles: ["admin", "auditor"],
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.fields[0]).toEqual({
      path: "body.roles",
      message: "admin and auditor may not be held by one account (separation of duties)",
    });
    expect((await admin.inject("GET", "/api/users?q=both.hats")).json().users).toEqual([]);

    const auditor = await makeUser(node, ["auditor"]);
    const promote = await admin.inject("PATCH", `/api/users/${auditor.id}`, { roles: ["auditor", "admin"] });
    expect(promote.statusCode).toBe(400);
    expect(promote.json().error.fields[0].message).toMatch(/separation of duties/);
    expect((await admin.inject("GET", `/api/users/${auditor.id}`)).json().roles).toEqual(["auditor"]);
  });

  it("a node with an account holding both refuses to start, and names it", async () => {
    const fresh = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), "ariadne-sod-"));
    const config = loadConfig(
      {},
      {
        ARIADNE_MODE: "production",
        ARIADNE_NODE_ID: "COL",
        ARIADNE_SECRET_KEY: randomBytes(32).toString("base64"),
        LOG_LEVEL: "silent",
        ...(fresh.target.kind === "postgres"
          ? { DATABASE_URL: fresh.target.url }
          : { ARIADNE_DATA_DIR: join(dir, "node") }),
      },
    );
    try {
      const first = await openNode(config);
      // Set before the rule existed, or by hand in the database.
      await first.db.kysely
        .insertInto("users")
        .values({
          id: randomUUID(),
          username: "old.both",
          display_name: "Old Both",
          roles: ["admin", "auditor"],
          status: "active",
          password_hash: "x",
        })
        .execute();
      await first.close();
      await expect(openNode(config)).rejects.toThrow(
        /separation of duties: old\.both holds admin and auditor/,
      );
      // Corrected (as `ariadne user roles` would), the node starts.
      const db = await openDatabase(
        fresh.target.kind === "postgres" ? fresh.target : { kind: "pglite", dir: join(dir, "node") },
      );
      await db.kysely
        .updateTable("users")
        .set({ roles: ["auditor"] })
        .where("username", "=", "old.both")
        .execute();
      await db.close();
      const again = await openNode(config);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await fresh.drop();
    }
  });
});
