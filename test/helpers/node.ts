/** Test factories: a node app on a fresh database, users with a second factor, signed-in clients. */
import { randomBytes } from "node:crypto";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import pg from "pg";
import { createUser } from "../../src/capabilities/accounts/users.ts";
import { ROLES, type Role } from "../../src/domain/roles.ts";
import { newTotpSecret, SecretBox, totpNow } from "../../src/platform/auth/crypto.ts";
import { type Config, type ConfigInput, loadConfig } from "../../src/platform/config.ts";
import { type Ctx, systemActor } from "../../src/platform/context.ts";
import { type Db, openDatabase } from "../../src/platform/db/index.ts";
import type { RouteRecord } from "../../src/platform/http/access.ts";
import { buildApp } from "../../src/server/app.ts";
import { freshDatabase } from "./db.ts";

export interface TestNode {
  app: FastifyInstance;
  routes: RouteRecord[];
  db: Db;
  config: Config;
  box: SecretBox;
  /** A system context for factories. */
  ctx: Ctx;
  /** Run SQL as the database owner/superuser, bypassing the application role (tamper tests). */
  asSuperuser<T>(
    fn: (q: (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>) => Promise<T>,
  ): Promise<T>;
  close(): Promise<void>;
}

export async function createTestNode(overrides: ConfigInput = {}): Promise<TestNode> {
  const fresh = await freshDatabase();
  const config = loadConfig(
    {},
    {
      ARIADNE_MODE: "production",
      ARIADNE_NODE_ID: "COL",
      ARIADNE_SECRET_KEY: randomBytes(32).toString("base64"),
      LOG_LEVEL: "silent",
      ...overrides,
    },
  );
  const db = await openDatabase(fresh.target, fresh.template ? { loadDataDir: fresh.template } : {});
  const box = new SecretBox(config.secretKey ?? Buffer.alloc(32));
  const { app, routes } = await buildApp({ config, db, box, logger: false });
  const ctx: Ctx = { actor: systemActor("test"), requestId: null, ip: null, db: db.kysely, config, box };
  return {
    app,
    routes,
    db,
    config,
    box,
    ctx,
    async asSuperuser(fn) {
      if (db.pglite) {
        const p = db.pglite;
        await p.exec("RESET ROLE");
        try {
          return await fn(async (text, params) => ({
            rows: (await p.query(text, params)).rows as Record<string, unknown>[],
          }));
        } finally {
          await p.exec("SET ROLE ariadne_app");
        }
      }
      const c = new pg.Client({ connectionString: fresh.superuserUrl });
      await c.connect();
      try {
        return await fn(async (text, params) => ({ rows: (await c.query(text, params as unknown[])).rows }));
      } finally {
        await c.end();
      }
    },
    async close() {
      await app.close();
      await db.close();
      await fresh.drop();
    },
  };
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  secret: string;
  roles: Role[];
}

let counter = 0;
export async function makeUser(
  node: TestNode,
  roles: Role[],
  opts: { enrolled?: boolean; username?: string; displayName?: string } = {},
): Promise<TestUser> {
  const username = opts.username ?? `u${Date.now().toString(36)}${(counter++).toString(36)}`;
  const password = `pw-${randomBytes(9).toString("base64url")}`;
  const secret = newTotpSecret();
  const { user } = await createUser(node.ctx, {
    username,
    displayName: opts.displayName ?? `Test ${username}`,
    roles,
    password,
    totpSecret: opts.enrolled === false ? undefined : secret,
  });
  return { id: user.id, username, password, secret, roles };
}

/** The code for the next unused time step of a user (a code is accepted once per 30-second step). */
const steps = new Map<string, number>();
export function nextCode(user: TestUser): string {
  const now = Math.floor(Date.now() / 30_000);
  const last = steps.get(user.secret) ?? now - 1;
  const step = Math.max(now, last + 1);
  if (step > now + 1) throw new Error("test used more than two codes of one user in one 30-second step");
  steps.set(user.secret, step);
  return totpNow(user.secret, step * 30_000 + 1000);
}

export interface Session {
  cookie: string;
  csrf: string;
  inject(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export function cookieFrom(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === "ariadne_session");
  if (!c) throw new Error(`no session cookie in response ${res.statusCode}: ${res.body}`);
  return `ariadne_session=${c.value}`;
}

export function sessionOf(app: FastifyInstance, cookie: string, csrf: string): Session {
  return {
    cookie,
    csrf,
    inject: (method, url, body, headers = {}) =>
      app.inject({
        method: method as "GET",
        url,
        headers: { cookie, "x-csrf-token": csrf, ...headers },
        ...(body !== undefined ? { payload: body as object } : {}),
      }),
  };
}

export async function signIn(node: TestNode, user: TestUser): Promise<Session> {
  const login = await node.app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: user.username, password: user.password },
  });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  const { csrfToken } = login.json() as { csrfToken: string };
  const res = await node.app.inject({
    method: "POST",
    url: "/api/auth/totp",
    headers: { cookie: cookieFrom(login), "x-csrf-token": csrfToken },
    payload: { code: nextCode(user) },
  });
  if (res.statusCode !== 200) throw new Error(`totp failed: ${res.body}`);
  return sessionOf(node.app, cookieFrom(res), (res.json() as { csrfToken: string }).csrfToken);
}

export async function auditEvents(node: TestNode, event?: string) {
  let q = node.db.kysely.selectFrom("audit_log").selectAll().orderBy("seq");
  if (event) q = q.where("event", "=", event);
  return q.execute();
}

export const ALL_ROLES = ROLES;
export { sql };
